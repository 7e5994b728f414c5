package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// An agent retitles a ticket whose title intake took from a rambling first
// message; the change is an audit event, the triage card shows it, and
// wrong arguments and the requester get a sentence saying what to do.
func TestRetitle(t *testing.T) {
	d := newDesk(t)
	id := d.openVPN("amy")
	d.delivered()

	out := d.run("dana", "/title 1   VPN   fails with error 809 on Amy's laptop ")
	wantIn(t, "reply", out, `#1 is now titled "VPN fails with error 809 on Amy's laptop".`)
	tk := d.ticket(id)
	if tk.Summary != "VPN fails with error 809 on Amy's laptop" {
		t.Errorf("summary = %q", tk.Summary)
	}
	sent := d.delivered()
	var card string
	for _, msgs := range sent {
		card += strings.Join(msgs, "\n") + "\n"
	}
	wantIn(t, "triage", card, "retitled #1", "VPN fails with error 809 on Amy's laptop")
	wantIn(t, "history", d.run("dana", "/show 1"), `changed title from "my laptop can't connect to the VPN`, `to "VPN fails with error 809 on Amy's laptop"`)

	for _, c := range []struct{ user, text, want string }{
		{"dana", "/title", "Which ticket? Usage: /title N text"},
		{"dana", "/title 1", "Give the new title after the ticket number. Usage: /title N text"},
		{"dana", "/title x VPN", `"x" is not a ticket number`},
		{"dana", "/title 99 VPN", "#99"},
		{"dana", "/title 1 " + strings.Repeat("long ", 40), "keep it to 120"},
		{"dana", "/title 1 VPN fails with error 809 on Amy's laptop", "already titled"},
		{"amy", "/title 1 mine now", "agents"},
	} {
		if out := d.run(c.user, c.text); !strings.Contains(out, c.want) {
			t.Errorf("%s: %q → %q, want %q in it", c.user, c.text, out, c.want)
		}
	}
	if tk := d.ticket(id); tk.Summary != "VPN fails with error 809 on Amy's laptop" {
		t.Errorf("after the refusals, summary = %q", tk.Summary)
	}
	// A title is shown as typed, not as a Go string.
	if out := d.run("dana", `/title 1 Outlook says "Disconnected" for C:\Users\amy`); !strings.Contains(out, `titled "Outlook says "Disconnected" for C:\Users\amy".`) {
		t.Errorf("title with quotes and a path: %s", out)
	}
	var titled int
	events, err := d.store.Events(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if e.Kind == tickets.EventField && e.Field == "title" {
			titled++
		}
	}
	if titled != 2 {
		t.Errorf("%d title events, want 2", titled)
	}
}
