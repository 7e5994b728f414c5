package slack

import (
	"fmt"
	"strings"
	"testing"

	"github.com/helpdesk-bot/helpdesk/adapters/slack/slackfake"
)

// The agent's side through Slack: a macro added with /helpdesk macro add
// and sent with reply 1 :NAME reaches the requester filled in; the
// requester's transcript has the reply and not the internal note.
func TestMacroAndTranscript(t *testing.T) {
	r := newRig(t, rigOptions{socket: true})
	reportVPN(t, r)
	mustContain(t, r.slash(agentID, triageChannel, "macro add hotspot Hi {requester}, please try {ticket} on your phone's hotspot. {agent}").Body(), "Macro hotspot added")
	from := r.fake.postCount()
	mustContain(t, r.slash(agentID, triageChannel, "reply 1 :hotspot").Body(), "Reply sent", "macro hotspot, used once")
	got := r.fake.waitPost("the macro's reply", from, func(p slackfake.Post) bool {
		return p.Channel == "D"+aliceID && strings.Contains(p.Body(), "please try #1 on your phone")
	})
	mustContain(t, got.Body(), "Hi Alice")
	r.slash(agentID, triageChannel, "note 1 gateway certificate expired")
	agent := r.slash(agentID, triageChannel, "transcript 1").Body()
	mustContain(t, agent, "# Ticket #1", "please try #1 on your phone", "gateway certificate expired")
	mine := r.slash(aliceID, "D"+aliceID, "transcript 1").Body()
	mustContain(t, mine, "# Ticket #1", "please try #1 on your phone", "the requester's")
	if strings.Contains(mine, "gateway certificate") {
		t.Errorf("the requester's transcript has the internal note:\n%s", mine)
	}
	mustContain(t, r.slash(bobID, "D"+bobID, "transcript 1").Body(), "You have no ticket #1")
}

// The macro picker through Slack: the Reply modal has a static_select of
// the macros; submitted with one picked and a line typed, the requester
// gets the macro filled in, then the line; with neither, Slack is told
// what to fix on the text field.
func TestMacroPickerModal(t *testing.T) {
	r := newRig(t, rigOptions{socket: true})
	reportVPN(t, r)
	mustContain(t, r.slash(agentID, triageChannel, "macro add hotspot Hi {requester}, please try {ticket} on your phone's hotspot. {agent}").Body(), "Macro hotspot added")
	view := openForm(t, r, agentID, r.card(1), "reply")
	var picker map[string]any
	for _, b := range view["blocks"].([]any) {
		if b := b.(map[string]any); b["block_id"] == "macro" {
			picker = b
		}
	}
	el, _ := picker["element"].(map[string]any)
	if el == nil || el["type"] != "static_select" || picker["optional"] != true {
		t.Fatalf("the reply modal has no optional macro select: %v", view["blocks"])
	}
	opts, _ := el["options"].([]any)
	if len(opts) != 1 || opts[0].(map[string]any)["value"] != "hotspot" {
		t.Fatalf("the macro select offers %v", opts)
	}
	mustContain(t, fmt.Sprint(opts[0]), "hotspot — Hi {requester}, please try")
	mustContain(t, fmt.Sprint(el["placeholder"]), "None: send only your text")

	ack := submit(r, agentID, view, map[string]string{"text": " "})
	mustContain(t, string(ack), `"response_action":"errors"`, `"text":"Write the text here, or pick a macro."`)

	from := r.fake.postCount()
	if ack := submit(r, agentID, view, map[string]string{"macro": "hotspot", "text": "Then tell me if it connects."}); string(ack) != "null" {
		t.Fatalf("a reply with a macro picked answered with %s", ack)
	}
	got := r.fake.waitPost("the macro's reply", from, func(p slackfake.Post) bool {
		return p.Channel == "D"+aliceID && strings.Contains(p.Body(), "please try #1 on your phone")
	})
	mustContain(t, got.Body(), "Hi Alice", "Dana", "Then tell me if it connects.")
	r.fake.waitPost("the agent told of the use", from, func(p slackfake.Post) bool {
		return p.Ephemeral && p.User == agentID && strings.Contains(p.Body(), "macro hotspot, used once")
	})
}
