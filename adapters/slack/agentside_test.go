package slack

import (
	"strings"
	"testing"
)

// The agent's side through Slack: a macro added with /helpdesk macro add
// and sent with reply 1 :NAME reaches the requester filled in; the
// requester's transcript has the reply and not the internal note.
func TestMacroAndTranscript(t *testing.T) {
	r := newRig(t, rigOptions{socket: true})
	reportVPN(t, r)
	mustContain(t, r.slash(agentID, triageChannel, "macro add hotspot Hi {requester}, please try {ticket} on your phone's hotspot. {agent}").body(), "Macro hotspot added")
	from := r.fake.postCount()
	mustContain(t, r.slash(agentID, triageChannel, "reply 1 :hotspot").body(), "Reply sent", "macro hotspot, used once")
	got := r.fake.waitPost("the macro's reply", from, func(p post) bool {
		return p.Channel == "D"+aliceID && strings.Contains(p.body(), "please try #1 on your phone")
	})
	mustContain(t, got.body(), "Hi Alice")
	r.slash(agentID, triageChannel, "note 1 gateway certificate expired")
	agent := r.slash(agentID, triageChannel, "transcript 1").body()
	mustContain(t, agent, "# Ticket #1", "please try #1 on your phone", "gateway certificate expired")
	mine := r.slash(aliceID, "D"+aliceID, "transcript 1").body()
	mustContain(t, mine, "# Ticket #1", "please try #1 on your phone", "the requester's")
	if strings.Contains(mine, "gateway certificate") {
		t.Errorf("the requester's transcript has the internal note:\n%s", mine)
	}
	mustContain(t, r.slash(bobID, "D"+bobID, "transcript 1").body(), "You have no ticket #1")
}
