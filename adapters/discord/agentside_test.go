package discord

import (
	"strings"
	"testing"
)

// The agent's side through Discord: /desk macro add, then /desk reply with
// :NAME reaches the requester filled in; /helpdesk transcript gives the
// requester their ticket without the internal note.
func TestMacroAndTranscript(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{})
	f := d.fake
	reportInDM(t, d, alice)
	m := f.mark()
	d.slash(triageChan, dana, nil, "macro", "action", "add", "name", "hotspot", "text", "Hi {requester}, please try {ticket} on your phone's hotspot.")
	f.waitCall(m, "POST", "/webhooks/"+fakeAppID+"/", "Macro hotspot added")
	m = f.mark()
	d.slash(triageChan, dana, nil, "reply", "ticket", 1, "text", ":hotspot")
	f.waitCall(m, "POST", "/channels/"+dmChannelOf(alice)+"/messages", "please try #1 on your phone")
	d.slash(triageChan, dana, nil, "note", "ticket", 1, "text", "gateway certificate expired")
	m = f.mark()
	d.slash(dmChannelOf(alice), alice, nil, "transcript", "ticket", 1)
	c, _ := f.waitCall(m, "POST", "/webhooks/"+fakeAppID+"/", "# Ticket #1")
	if body := string(c.Body); !strings.Contains(body, "please try #1 on your phone") || strings.Contains(body, "gateway certificate") {
		t.Errorf("the requester's transcript: %s", body)
	}
}
