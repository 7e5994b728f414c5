package discordfake

import (
	"encoding/json"
	"strings"
	"time"
)

// Post is one thing the bot made appear, or tried to: a message created
// or edited in a channel, an interaction's follow-up, or an interaction
// callback.
type Post struct {
	// Method is POST (a new message or a callback) or PATCH (an edit);
	// Route is the request's route template.
	Method, Route string
	// Channel is where it shows (for interactions, the channel the
	// interaction came from).
	Channel string
	// Interaction is the interaction a callback or follow-up answers.
	Interaction string
	// Callback is the callback's type (4 a message, 5 and 6 deferred,
	// 7 the message updated, 9 a modal); 0 for anything else.
	Callback int
	// Message is the message as Discord stores it (nil for a callback
	// without data).
	Message json.RawMessage
	// Text is the message's content and its embeds' text, for reading.
	Text string
	At   time.Time
}

func newPost(method, channel, interaction string, callback int, msg json.RawMessage) *Post {
	return &Post{Method: method, Channel: channel, Interaction: interaction, Callback: callback, Message: msg, Text: textOf(msg)}
}

// Answers reports whether p is something a person reads as an answer:
// a new message, a follow-up or a callback with a message (not an edit,
// a deferral or a modal).
func (p Post) Answers() bool {
	return p.Method == "POST" && (p.Callback == 0 || p.Callback == 4)
}

// creates reports whether p adds a message to its channel.
func (p Post) creates() bool { return p.Answers() && p.Channel != "" }

// message is the part of a message the fake reads.
type message struct {
	ID      string `json:"id"`
	Content string `json:"content"`
	Embeds  []struct {
		Title       string `json:"title"`
		Description string `json:"description"`
		Fields      []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"fields"`
	} `json:"embeds"`
	Components []struct {
		Components []struct {
			Label    string `json:"label"`
			CustomID string `json:"custom_id"`
		} `json:"components"`
	} `json:"components"`
}

func textOf(raw json.RawMessage) string {
	var m message
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	parts := []string{m.Content}
	for _, e := range m.Embeds {
		parts = append(parts, e.Title, e.Description)
		for _, f := range e.Fields {
			parts = append(parts, f.Name, f.Value)
		}
	}
	return strings.TrimSpace(strings.Join(parts, "\n"))
}

// ID is the message's ID.
func (p Post) ID() string {
	var m message
	_ = json.Unmarshal(p.Message, &m)
	return m.ID
}

// Button is the custom ID of p's button labelled label.
func (p Post) Button(label string) (customID string, ok bool) {
	var m message
	if json.Unmarshal(p.Message, &m) != nil {
		return "", false
	}
	for _, row := range m.Components {
		for _, c := range row.Components {
			if c.Label == label && c.CustomID != "" {
				return c.CustomID, true
			}
		}
	}
	return "", false
}
