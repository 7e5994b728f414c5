package slackfake

import (
	"encoding/json"
	"strings"
	"time"
)

// Post is one message the bot sent, as the fake stores it.
type Post struct {
	Method    string // chat.postMessage, chat.postEphemeral, chat.update, response_url
	Channel   string // a response_url's ID for Method response_url
	TS        string
	ThreadTS  string
	User      string // an ephemeral message's recipient
	Text      string // the notification text
	Blocks    json.RawMessage
	Ephemeral bool
	// Edits counts the chat.updates of the message so far: on Message,
	// and on a chat.update Post, those up to and with it.
	Edits int
	At    time.Time
}

// Button finds the post's button whose action_id names action (the help
// desk writes "action#n"): its action_id and value.
func (p Post) Button(action string) (actionID, value string, ok bool) {
	var blocks []struct {
		Elements []struct {
			Type     string `json:"type"`
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
		} `json:"elements"`
	}
	if json.Unmarshal(p.Blocks, &blocks) != nil {
		return "", "", false
	}
	for _, b := range blocks {
		for _, e := range b.Elements {
			if name, _, _ := strings.Cut(e.ActionID, "#"); e.Type == "button" && name == action {
				return e.ActionID, e.Value, true
			}
		}
	}
	return "", "", false
}

// Body is the text of the post's section blocks, one section a line: what
// a person reads, where Text is only the notification.
func (p Post) Body() string {
	var blocks []struct {
		Type string `json:"type"`
		Text *struct {
			Text string `json:"text"`
		} `json:"text"`
	}
	_ = json.Unmarshal(p.Blocks, &blocks)
	var parts []string
	for _, b := range blocks {
		if b.Type == "section" && b.Text != nil {
			parts = append(parts, b.Text.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// Message is the message posted in channel at ts as it stands now, after
// its edits; false if there is none (ephemeral messages are not kept).
func (s *Server) Message(channel, ts string) (Post, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.messages[channel+":"+ts]
	if !ok {
		return Post{}, false
	}
	return *m, true
}
