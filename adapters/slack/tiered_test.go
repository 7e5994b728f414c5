package slack

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/helpdesk-bot/helpdesk/adapters/slack/slackfake"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// The tiered desk through Slack: the escalation modal refused for a
// missing handoff part and then accepted; the owner told of tier-2 work;
// a merge; a major incident absorbing three reports, one update reaching
// each once; a third-party reset flagged; a requester refused another's
// ticket.

// slash runs /helpdesk text as user in channel and returns the ephemeral
// answer posted to its response URL.
func (r *rig) slash(user, channel, text string) slackfake.Post {
	r.t.Helper()
	env := r.fake.command(user, channel, text)
	r.fake.ack(env)
	return r.fake.waitPost("the answer to /helpdesk "+text, 0, func(p slackfake.Post) bool { return p.Channel == env })
}

// reportAs takes user through the VPN incident in their DM.
func reportAs(t *testing.T, r *rig, user string, id int) {
	t.Helper()
	got := r.dm(user, vpnReport)
	offer := got[len(got)-1]
	from := r.fake.postCount()
	r.press(user, offer, "kb_not_fixed")
	r.answers(from, "D"+user, "")
	r.dm(user, "just me")
	mustContain(t, bodies(r.dm(user, "I can't work at all")), fmt.Sprintf("Ticket #%d is open", id))
}

func TestEscalationModalRefusedThenAccepted(t *testing.T) {
	r := newRig(t, rigOptions{socket: true})
	card := reportVPN(t, r)
	r.press(agentID, card, "claim")
	r.fake.waitFor("the card edited", func() bool { return r.fake.message(card.Channel, card.TS).Edits > 0 })

	view := openForm(t, r, agentID, r.fake.message(card.Channel, card.TS), "escalate")
	raw, _ := json.Marshal(view["blocks"])
	mustContain(t, string(raw), `"initial_value":"2"`, `"initial_value":"P3"`, "rebooted")
	values := map[string]string{"to": "2", "description": "VPN fails with The VPN server did not respond", "steps": "rebooted",
		"priority": "P3", "system": "device: laptop; versions: ; error: The VPN server did not respond"}
	ack := submit(r, agentID, view, values)
	var errs struct {
		Action string            `json:"response_action"`
		Errors map[string]string `json:"errors"`
	}
	if err := json.Unmarshal(ack, &errs); err != nil || errs.Action != "errors" {
		t.Fatalf("incomplete handoff ack = %s (%v), want response_action errors", ack, err)
	}
	if !strings.Contains(errs.Errors["steps"], `"rebooted"`) || !strings.Contains(errs.Errors["system"], "versions") {
		t.Errorf("field errors = %v, want steps and system named", errs.Errors)
	}
	if tk := r.ticket(1); tk.Tier != 1 {
		t.Fatalf("refused escalation moved the ticket to tier %d", tk.Tier)
	}
	values["steps"] = "rebooted -> same error"
	values["system"] = "device: laptop; versions: macOS 15.1, GlobalProtect 6.2; error: The VPN server did not respond"
	submit(r, agentID, view, values)
	r.fake.waitPost("the requester told", 0, func(p slackfake.Post) bool {
		return p.Channel == "D"+aliceID && strings.Contains(p.Body(), "is now with Sam (tier 2)")
	})
	if tk := r.ticket(1); tk.Tier != 2 || tk.Owner != "slack:"+agentID || tk.Assignee != "slack:"+tier2ID {
		t.Fatalf("after escalation: tier %d owner %q assignee %q", tk.Tier, tk.Owner, tk.Assignee)
	}

	// Tier 2's note reaches the tier-1 owner, never the requester.
	r.slash(tier2ID, triageChannel, "note 1 the gateway certificate expired")
	r.fake.waitPost("the owner told", 0, func(p slackfake.Post) bool {
		return p.Channel == "D"+agentID && strings.Contains(p.Body(), "On your escalated ticket #1")
	})
	for _, p := range r.fake.Posts(0) {
		if p.Channel == "D"+aliceID && strings.Contains(p.Body(), "certificate") {
			t.Errorf("the note reached the requester: %q", p.Body())
		}
	}
}

func TestMergeMajorIncidentAndRefusals(t *testing.T) {
	r := newRig(t, rigOptions{socket: true})
	reportVPN(t, r)          // #1, alice
	reportAs(t, r, bobID, 2) // #2, bob: the same problem

	mustContain(t, r.slash(bobID, "D"+bobID, "status 1").Body(), "You have no ticket #1")
	mustContain(t, r.slash(bobID, "D"+bobID, "merge 2 into 1").Body(), "Only help desk agents")
	r.slash(agentID, triageChannel, "merge 2 into 1")
	r.fake.waitPost("bob told of the merge", 0, func(p slackfake.Post) bool {
		return p.Channel == "D"+bobID && strings.Contains(p.Body(), "#2 is the same problem as #1")
	})
	if tk := r.ticket(2); tk.Status != tickets.StatusClosed || tk.LinkedTo != 1 {
		t.Fatalf("merged #2: %s linked to %d", tk.Status, tk.LinkedTo)
	}

	mustContain(t, r.slash(tier2ID, triageChannel, "major 1 VPN").Body(), "now a major incident")
	reporters := []string{"UCY", "UDI", "UED"}
	for _, u := range reporters {
		mustContain(t, bodies(r.dm(u, "the VPN is down for me too")), "known major incident #1 (VPN)")
	}
	from := r.fake.postCount()
	mustContain(t, r.slash(tier2ID, triageChannel, "update 1 Gateway restart under way").Body(), "Update sent to 5 affected people")
	everyone := append([]string{aliceID, bobID}, reporters...)
	for _, u := range everyone {
		r.fake.waitPost("the update to "+u, from, func(p slackfake.Post) bool {
			return p.Channel == "D"+u && strings.Contains(p.Body(), "Gateway restart under way")
		})
	}
	r.disp.DeliverDue(t.Context())
	for _, u := range everyone {
		n := 0
		for _, p := range r.fake.Posts(from) {
			if p.Channel == "D"+u && strings.Contains(p.Body(), "Gateway restart under way") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s got the update %d times, want once", u, n)
			for _, p := range r.fake.Posts(from) {
				if p.Channel == "D"+u {
					t.Logf("%s %s thread=%s: %q", p.Method, p.Channel, p.ThreadTS, p.Body())
				}
			}
		}
	}

	// Someone else's password: no self-service offer, a flag for agents.
	got := bodies(r.dm("UFAY", "Please reset Carol's password, I'm her manager"))
	if strings.Contains(got, "might fix it right away") {
		t.Errorf("a third-party reset was offered self-service:\n%s", got)
	}
}
