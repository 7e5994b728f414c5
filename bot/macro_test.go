package bot

import (
	"strings"
	"testing"
)

// Macros: agents add, list and remove canned replies in chat, send one
// with /reply N :NAME filled in for the ticket, and see each use counted;
// those of the config file work the same but are changed there.
func TestMacros(t *testing.T) {
	d := newDesk(t, func(c *Config, _ *Options) {
		c.Macros = map[string]string{"thanks": "Thanks {requester}, {agent} here: I'm closing ticket #{ticket}."}
	})
	d.openVPN("amy")
	d.delivered()
	wantIn(t, "requester", d.run("amy", "/macro list"), "Only help desk agents")
	wantIn(t, "bad placeholder", d.run("dana", "/macro add vpn-reset Hi {name}, restart the VPN"),
		"{name} is not a placeholder", "{requester} (the requester's name)")
	wantIn(t, "bad name", d.run("dana", "/macro add VPN/reset Hi"), "is not a macro name", "vpn-reset")
	wantIn(t, "no text", d.run("dana", "/macro add vpn-reset"), "has no text")
	wantIn(t, "add", d.run("dana", "/macro add vpn-reset Hi {requester}, please restart the VPN client and tell me if {ticket} works. — {agent}"),
		"Macro vpn-reset added", "/reply N :vpn-reset")
	wantIn(t, "config clash", d.run("tom", "/macro add thanks hi"), "set in the config file")
	wantIn(t, "list", d.run("tom", "/macro"),
		"Macros (2)", ":thanks  Thanks {requester}, {agent} here", "(config file; used 0 times)",
		":vpn-reset  Hi {requester}, please restart", "(added by Dana; used 0 times)")

	wantIn(t, "reply", d.run("tom", "/reply 1 :vpn-reset It's the new client."), "Reply sent to amy on #1", "(macro vpn-reset, used once)")
	got := d.delivered()
	wantIn(t, "amy", strings.Join(got["@amy"], "\n"),
		"> Hi amy, please restart the VPN client and tell me if #1 works. — Tom\n> It's the new client.")
	wantIn(t, "unknown", d.run("tom", "/reply 1 :vpn-rest"), "There is no macro vpn-rest", "/macro list")
	if n := len(d.delivered()["@amy"]); n != 0 {
		t.Errorf("an unknown macro sent %d messages", n)
	}
	// A reply that only starts with a colon is sent as written.
	d.run("tom", "/reply 1 :) glad it works")
	wantIn(t, "smiley", strings.Join(d.delivered()["@amy"], "\n"), "> :) glad it works")

	wantIn(t, "resolve", d.run("dana", "/resolve 1 :thanks"), "#1 resolved", "(macro thanks, used once)")
	// "#{ticket}" reads as #1, not ##1: {ticket} is written with its #.
	wantIn(t, "amy resolved", strings.Join(d.delivered()["@amy"], "\n"), "Thanks amy, Dana here: I'm closing ticket #1.")
	d.openVPN("amy")
	d.run("dana", "/reply 2 :vpn-reset")
	wantIn(t, "counted", d.run("dana", "/macro list"), "(added by Dana; used 2 times)", "(config file; used once)")

	wantIn(t, "rm config", d.run("dana", "/macro rm thanks"), "set in the config file; remove it there")
	wantIn(t, "rm", d.run("dana", "/macro rm vpn-reset"), "Macro vpn-reset removed")
	wantIn(t, "rm again", d.run("dana", "/macro rm vpn-reset"), "There is no macro vpn-reset")
	wantIn(t, "bad verb", d.run("dana", "/macro edit x"), "say list, add NAME text, or rm NAME")
}
