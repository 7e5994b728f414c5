package discord

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

// offerAnswered answers a press on a KB offer that was answered already.
const offerAnswered = "You've already answered that suggestion, so I'm keeping your first answer. If something else is wrong, just describe it to me."

// offerChoice is the line that replaces a KB offer's buttons once one of
// them is pressed.
func offerChoice(action string) string {
	if action == chat.ActionKBFixed {
		return "✓ This fixed it"
	}
	return "Still broken — opening a ticket"
}

// answered is a bounded set of the KB offers (message IDs) already
// answered by a button, so a second press (a double click, a stale
// client) is not taken as another answer to whatever the intake asks
// next. When full it starts over.
type answered struct {
	mu  sync.Mutex
	max int
	m   map[string]struct{}
}

func newAnswered(max int) *answered { return &answered{max: max, m: map[string]struct{}{}} }

// add records id and reports whether it was new.
func (s *answered) add(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[id]; ok {
		return false
	}
	if len(s.m) >= s.max {
		s.m = map[string]struct{}{}
	}
	s.m[id] = struct{}{}
	return true
}

// answerOffer is the initial response to a press on a KB offer's button:
// the offer updated in place (UPDATE_MESSAGE) with its buttons gone and
// the choice below its text, so it cannot be pressed again. Without the
// message (not sent by Discord) it is an invisible deferred update. It
// reports false when the offer was answered already.
func (a *Adapter) answerOffer(i *discordgo.Interaction, action string) (*discordgo.InteractionResponse, bool) {
	msg := i.Message
	if msg == nil || msg.ID == "" {
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}, true
	}
	if !a.offers.add(msg.ID) {
		return nil, false
	}
	choice := offerChoice(action)
	text := strings.TrimRight(msg.Content, "\n ")
	if room := maxContent - utf8.RuneCountInString(choice) - 2; utf8.RuneCountInString(text) > room {
		text = truncate(text, room)
	}
	if text != "" {
		text += "\n\n"
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage, Data: &discordgo.InteractionResponseData{
		Content: text + choice, Components: []discordgo.MessageComponent{}, Embeds: msg.Embeds, AllowedMentions: noMentions(),
	}}, true
}
