package extract

import (
	"testing"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Every choice the impact and urgency questions offer is understood when
// the person answers with its words, as they are, or echoed in their own
// person ("just you" → "just me").
func TestLevelAnswersInTheQuestionsWords(t *testing.T) {
	for _, tc := range []struct {
		parse  func(string) (tickets.Level, bool)
		answer string
		want   tickets.Level
	}{
		{ParseUrgency, "can't work", tickets.High},
		{ParseUrgency, "I can't work at all", tickets.High},
		{ParseUrgency, "slowed down", tickets.Medium},
		{ParseUrgency, "it slows me down", tickets.Medium},
		{ParseUrgency, "slows us down", tickets.Medium},
		{ParseUrgency, "I have a workaround", tickets.Medium},
		{ParseUrgency, "not urgent", tickets.Low},
		{ParseUrgency, "it's not urgent", tickets.Low},
		{ParseImpact, "just me", tickets.Low},
		{ParseImpact, "just you", tickets.Low},
		{ParseImpact, "my team", tickets.Medium},
		{ParseImpact, "your team", tickets.Medium},
		{ParseImpact, "everyone", tickets.High},
		{ParseImpact, "the whole office", tickets.High},
	} {
		if got, ok := tc.parse(tc.answer); !ok || got != tc.want {
			t.Errorf("%q = %q, %v; want %q", tc.answer, got, ok, tc.want)
		}
	}
}
