package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/bottest"
)

// FuzzCommand types whatever the fuzzer makes as a command, as an admin
// and as a requester, into a desk with an open ticket: every command's
// argument parsing. Nothing may panic, and every command gets an answer
// (a refusal says what is wrong) within the worker's time.
//
//	go test -run '^$' -fuzz FuzzCommand -fuzztime 10s ./bot/
func FuzzCommand(f *testing.F) {
	for _, s := range []string{"claim 1", "helpdesk claim 1", "desk reply 1 try again", "escalate 1 2 steps: rebooted -> same | system: device: x",
		"merge 2 into 1", "major 1 VPN", "update 1 text", "pending 1 are you there?", "resolve 1", "reopen 1", "note 1 x",
		"kbedit vpn-cannot-connect ---\nid: x\n---", "status -1", "show 99999999999999999999", "queue", "as dana", "outbox", "help claim",
		"reply", "escalate 1 9", "deescalate 1", "new", "mine", "article ../../etc/passwd", "claim 1 1 1", "\x00", "claim ١"} {
		f.Add(s)
	}
	d := bottest.New(f, bottest.Options{})
	d.Say("alice", `My laptop can't connect to the VPN since this morning, it says "The VPN server did not respond". I already rebooted.`)
	d.Say("alice", "no")
	d.Say("alice", "just me")
	d.Say("alice", "I can't work at all")
	f.Fuzz(func(t *testing.T, cmd string) {
		for _, who := range []string{"ada", "alice"} {
			start := time.Now()
			got := d.Say(who, "/"+cmd)
			if strings.TrimSpace(got) == "" && !strings.HasPrefix(strings.TrimSpace(cmd), "as") {
				t.Errorf("/%q as %s: no answer", cmd, who)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("/%q as %s took %v", cmd, who, d)
			}
		}
	})
}
