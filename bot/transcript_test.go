package bot

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// /transcript gives the whole ticket: the agent's copy with internal notes
// and flags, the requester's without them (offered when it is resolved);
// anyone else's ticket reads as not theirs.
func TestTranscript(t *testing.T) {
	d := newDesk(t)
	d.openVPN("amy")
	d.run("dana", "/claim 1")
	d.run("dana", "/reply 1 Can you try your phone's hotspot?\nAnd tell me the error.")
	d.run("amy", "same error 809 on the hotspot")
	d.run("dana", "/note 1 ISP blocks UDP 4501")
	d.run("dana", "/resolve 1 Switched the VPN client to TCP mode")
	got := d.delivered()
	wantIn(t, "resolution message", strings.Join(got["@amy"], "\n"), "/transcript 1 gives you the whole conversation")

	agent := d.run("dana", "/transcript 1")
	wantIn(t, "agent's copy", agent,
		"# Ticket #1 — my laptop can't connect to the VPN",
		"## Report\n\n> my laptop can't connect to the VPN since this morning",
		"- Error: error 809",
		"## Resolution\n\nSwitched the VPN client to TCP mode",
		"Dana: replied: Can you try your phone's hotspot?\n      And tell me the error.",
		"amy: wrote: same error 809 on the hotspot",
		"Dana: internal note: ISP blocks UDP 4501 *(internal)*",
		"Dana: status open → resolved: Switched the VPN client to TCP mode",
	)
	mine := d.run("amy", "/transcript 1")
	wantIn(t, "requester's copy", mine, "This copy is the requester's", "Can you try your phone's hotspot?", "Switched the VPN client to TCP mode")
	for _, secret := range []string{"UDP 4501", "internal note:", "(internal)"} {
		if strings.Contains(mine, secret) {
			t.Errorf("the requester's transcript has %q:\n%s", secret, mine)
		}
	}
	wantIn(t, "someone else", d.run("bo", "/transcript 1"), "You have no ticket #1")
	wantIn(t, "no number", d.run("amy", "/transcript"), "Which ticket?", "/transcript N")

	// The exported JSON carries the same, by field.
	tr, err := d.bot.Transcript(context.Background(), 1, true)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(tr)
	if err != nil {
		t.Fatal(err)
	}
	var back Transcript
	if err := json.Unmarshal(raw, &back); err != nil || back.Ticket != 1 || !back.Internal || len(back.Timeline) != len(tr.Timeline) {
		t.Errorf("JSON round trip: %v, %+v", err, back)
	}
	if _, err := d.bot.Transcript(context.Background(), 99, true); !isNotFound(err) {
		t.Errorf("a missing ticket: %v, want not found", err)
	}
}
