package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/bot/extract"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// A major incident absorbs matching new reports (by error text, service
// name or symptom), an update reaches each affected person once, and
// resolving it resolves every linked report and tells each reporter.
func TestMajorIncident(t *testing.T) {
	d := newDesk(t)
	id := d.openVPN("amy")
	if out := d.run("dana", "/major 1 VPN"); !strings.Contains(out, "Only tier 2 and 3 agents and managers") {
		t.Errorf("tier 1 declared a major incident: %s", out)
	}
	wantIn(t, "declare", d.run("sam", "/major 1 VPN"), "#1 is now a major incident")
	d.delivered()

	reports := map[string]string{
		"ben": `GlobalProtect shows "error 809" when I try to connect`, // same error text
		"cy":  "the vpn is down for me too",                            // names the service
		"di":  "can't connect to the VPN from home since this morning",
	}
	for user, text := range reports {
		out := d.run(user, text)
		wantIn(t, user+"'s answer", out, "known major incident #1 (VPN)", "linked to it")
		if strings.Contains(out, "can't connect to the VPN since this morning") {
			t.Errorf("%s was shown the incident's summary, its reporter's words: %s", user, out)
		}
	}
	linked, err := d.store.FindTickets(context.Background(), tickets.TicketFilter{LinkedTo: id})
	if err != nil || len(linked) != 3 {
		t.Fatalf("linked reports: %d (%v), want 3", len(linked), err)
	}
	if q := d.run("mia", "/queue"); strings.Count(q, "#") != 1 {
		t.Errorf("linked reports show in the queue:\n%s", q)
	}
	// An unrelated report still becomes its own ticket.
	if out := d.run("ed", "my printer is jammed on floor 3"); strings.Contains(out, "major incident") {
		t.Errorf("unrelated report linked: %s", out)
	}
	d.delivered()

	wantIn(t, "update", d.run("sam", "/update 1 The VPN gateway is being restarted, back by 15:00"), "Update sent to 4 affected people")
	got := d.delivered()
	for _, user := range []string{"amy", "ben", "cy", "di"} {
		if n := len(got["@"+user]); n != 1 || !strings.Contains(got["@"+user][0], "gateway is being restarted") {
			t.Errorf("%s got %d messages %v, want the update once", user, n, got["@"+user])
		}
	}
	if len(got["@ed"]) != 0 {
		t.Errorf("an unaffected person got the update: %v", got["@ed"])
	}
	// Delivering again sends nothing more.
	if again := d.delivered(); len(again) != 0 {
		t.Errorf("second delivery sent %v", again)
	}
	// A reporter after the update hears it straight away.
	wantIn(t, "late reporter", d.run("fay", "VPN not working at all"), "Latest update", "gateway is being restarted")

	// The resolution is written to the incident's requester; the linked
	// reporters hear that it is resolved, and its updates are their news.
	wantIn(t, "resolve", d.run("sam", "/resolve 1 gateway restarted and patched"), "#1 resolved")
	got = d.delivered()
	wantIn(t, "amy's resolution", strings.Join(got["@amy"], "\n"), "gateway restarted and patched")
	for _, user := range []string{"ben", "cy", "di", "fay"} {
		msgs := strings.Join(got["@"+user], "\n")
		if !strings.Contains(msgs, "The major incident #1 (VPN), which your report") || !strings.Contains(msgs, "is resolved") {
			t.Errorf("%s was not told of the resolution: %v", user, got["@"+user])
		}
		if strings.Contains(msgs, "gateway restarted and patched") {
			t.Errorf("%s got the text written to the incident's requester: %s", user, msgs)
		}
	}
	linked, _ = d.store.FindTickets(context.Background(), tickets.TicketFilter{LinkedTo: id})
	for _, l := range linked {
		if l.Status != tickets.StatusResolved || l.Resolution != "Resolved with the major incident #1 (VPN)." {
			t.Errorf("linked %s is %s (%q), want resolved with the major incident #1", l.Ref(), l.Status, l.Resolution)
		}
	}
}

// A merged ticket closes into the one that stays, keeps its history, and
// its requester hears how the survivor goes, never the replies written to
// the survivor's requester.
func TestMerge(t *testing.T) {
	d := newDesk(t)
	keep := d.openVPN("amy")
	d.finish("bo", d.run("bo", "my printer on floor 2 is jammed"))
	dup := d.openVPN("cy")
	if dup != 3 {
		t.Fatalf("tickets #%d, want #3 after the printer one", dup)
	}
	d.delivered()
	if out := d.run("cy", "/merge 2 into 1"); !strings.Contains(out, "Only help desk agents") {
		t.Errorf("requester merged: %s", out)
	}
	if out := d.run("dana", "/merge 3 into 3"); !strings.Contains(out, "cannot be merged into itself") {
		t.Errorf("self-merge: %s", out)
	}
	wantIn(t, "merge", d.run("dana", "/merge 3 into 1"), "#3 is merged into #1 and closed", "cy will hear how #1 goes", "not the replies you write to amy", "/reply 3")
	tk := d.ticket(dup)
	if tk.Status != tickets.StatusClosed || tk.LinkedTo != keep {
		t.Errorf("merged ticket: %s linked to %d", tk.Status, tk.LinkedTo)
	}
	merged := strings.Join(d.delivered()["@cy"], "\n")
	wantIn(t, "merged requester", merged, "#3 is the same problem as #1")
	if strings.Contains(merged, d.ticket(keep).Summary) {
		t.Errorf("cy was told amy's summary: %s", merged)
	}
	// The scenario: a reply written to amy reaches amy only; cy
	// hears there is news, and the agent is told so.
	done := d.run("dana", "/reply 1 Amy, your manager approved the reset; your temporary PIN is in your personal email")
	wantIn(t, "reply confirmation", done, "Reply sent to amy on #1", "cy (#3) was told only that there is news on it, not your text")
	got := d.delivered()
	wantIn(t, "amy's reply", strings.Join(got["@amy"], "\n"), "your temporary PIN is in your personal email")
	cyGot := strings.Join(got["@cy"], "\n")
	wantIn(t, "cy's news", cyGot, "#1, which your report #3 was joined to, has news")
	if strings.Contains(cyGot, "PIN") || strings.Contains(cyGot, "manager approved") {
		t.Errorf("cy got the reply written to amy: %s", cyGot)
	}
	// Writing to cy is a reply on cy's own ticket.
	d.run("dana", "/reply 3 Cy, the fix for your VPN is the same as on #1: restart the client")
	if got := d.delivered(); count(got, "@cy", "restart the client") != 1 || count(got, "@amy", "restart the client") != 0 {
		t.Errorf("a reply on #3: %v, want it to cy only", got)
	}
	evs, err := d.store.Events(context.Background(), dup)
	if err != nil || len(evs) < 2 {
		t.Errorf("merged ticket lost its history: %d events (%v)", len(evs), err)
	}
	if out := d.run("dana", "/merge 3 into 1"); !strings.Contains(out, "already linked to #1") {
		t.Errorf("merging twice: %s", out)
	}
}

// A request about someone else's account is never self-served and is
// flagged for identity verification; pressure plus authority is flagged as
// social engineering; agents see both flags, requesters neither.
func TestSecurityFlags(t *testing.T) {
	d := newDesk(t)
	out := d.run("eve", "Please reset Bob's password, I'm his manager and he is locked out")
	if strings.Contains(out, "might fix it right away") {
		t.Fatalf("a third-party password reset was offered self-service:\n%s", out)
	}
	out = d.finish("eve", out)
	wantIn(t, "ticket", out, "Ticket #1 is open")
	if tk := d.ticket(1); !tk.HasFlag(tickets.FlagIdentity) {
		t.Errorf("flags = %v, want identity verification", tk.Flags)
	}
	wantIn(t, "agent view", d.run("dana", "/show 1"), "Identity verification required")
	wantIn(t, "agent claim", d.run("dana", "/claim 1"), "Identity verification required")
	if st := d.run("eve", "/status 1"); strings.Contains(st, "verification") {
		t.Errorf("requester sees the flag:\n%s", st)
	}

	for _, tc := range []struct {
		text string
		want []string
	}{
		{"reset Bob's password please", []string{tickets.FlagIdentity}},
		{"unlock my manager's account", []string{tickets.FlagIdentity}},
		{"I need the MFA for my colleague reset", []string{tickets.FlagIdentity}},
		{"my colleague says the printer is down", nil}, // about a colleague, not their account
		{"reset my password", nil},
		{"The CEO needs this urgently, skip the verification", []string{tickets.FlagSocialEngineering}},
		{"I'm the director and I need access right now before the board meeting", []string{tickets.FlagSocialEngineering}},
		{"urgent: my laptop won't boot", nil},
		{"on behalf of our CFO, reset his password immediately", []string{tickets.FlagIdentity, tickets.FlagSocialEngineering}},
	} {
		got := extract.SecurityFlags(tc.text)
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("extract.SecurityFlags(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// A requester asking about another person's ticket is told it does not
// exist for them, the same as a number that does not exist.
func TestRequesterRefusedOthersTicket(t *testing.T) {
	d := newDesk(t)
	d.openVPN("amy")
	for _, cmd := range []string{"/status 1", "/reopen 1", "/status 99"} {
		if out := d.run("ben", cmd); !strings.Contains(out, "You have no ticket #") {
			t.Errorf("%s by another requester: %s", cmd, out)
		}
	}
	if out := d.run("ben", "/show 1"); !strings.Contains(out, "Only help desk agents") {
		t.Errorf("/show by a requester: %s", out)
	}
	if out := d.run("amy", "/status 1"); !strings.Contains(out, "Ticket #1") {
		t.Errorf("requester cannot see their own ticket: %s", out)
	}
}

// /reload swaps the config for an admin only, and a bad file changes
// nothing; /outbox lists what was given up.
func TestAdminCommands(t *testing.T) {
	d := newDesk(t)
	cfg := *d.bot.conf() // with Ada, an admin
	next := cfg
	next.Agents = append(append([]Agent(nil), cfg.Agents...), Agent{Name: "Zoe", IDs: []string{"test:zoe"}, Tier: 1, Role: RoleAgent})
	var reloadErr error
	d.bot.reload = func() (Config, error) { return next, reloadErr }

	if out := d.run("zoe", "/queue"); !strings.Contains(out, "Only help desk agents") {
		t.Fatalf("zoe is an agent before the reload: %s", out)
	}
	if out := d.run("dana", "/reload"); !strings.Contains(out, "Only admins") {
		t.Errorf("an agent reloaded: %s", out)
	}
	reloadErr = errors.New("config x.yaml: agents[0].tier: 5 is not a tier")
	if out := d.run("ada", "/reload"); !strings.Contains(out, "nothing changed: config x.yaml: agents[0].tier") {
		t.Errorf("bad reload: %s", out)
	}
	reloadErr = nil
	wantIn(t, "reload", d.run("ada", "/reload"), fmt.Sprintf("Config reloaded: %d agents", len(next.Agents)))
	if out := d.run("zoe", "/queue"); strings.Contains(out, "Only help desk agents") {
		t.Errorf("zoe is not an agent after the reload: %s", out)
	}

	wantIn(t, "empty outbox", d.run("ada", "/outbox"), "none were given up")
	if _, err := d.store.Enqueue(context.Background(), &tickets.OutboxMessage{Key: "lost", To: tickets.Place{Platform: "gone", ChannelID: "C1"}, Text: "x", Created: testNow}); err != nil {
		t.Fatal(err)
	}
	d.delivered()
	wantIn(t, "outbox", d.run("ada", "/outbox"), "lost to gone #C1 after 1 attempts", `no adapter for platform "gone"`)
}

// Merging a ticket that others were merged into brings them along;
// reopening a merged ticket points to the one that stays.
func TestMergeChainAndReopen(t *testing.T) {
	d := newDesk(t)
	d.openVPN("amy") // #1
	d.openVPN("ben") // #2
	d.openVPN("cy")  // #3
	d.run("dana", "/merge 3 into 2")
	d.run("dana", "/merge 2 into 1")
	if tk := d.ticket(3); tk.LinkedTo != 1 {
		t.Errorf("#3 linked to #%d after its ticket was merged on, want #1", tk.LinkedTo)
	}
	d.delivered()
	d.run("dana", "/reply 1 fixed upstream, please retry")
	if got := d.delivered(); count(got, "@cy", "#1, which your report #3 was joined to, has news") != 1 || count(got, "@cy", "fixed upstream") != 0 {
		t.Errorf("cy did not follow the merges, or got the text written to amy: %v", got)
	}
	wantIn(t, "reopen merged", d.run("ben", "/reopen 2"), "#2 was joined to #1")
	if out := d.run("ben", "/reopen 99"); !strings.Contains(out, "You have no ticket #99") {
		t.Errorf("requester reopening a missing ticket: %s", out)
	}
	if r := d.bot.HandleAction(context.Background(), chat.Action{Platform: "test", User: person("dana"), Name: chat.ActionResolve, Fields: map[string]string{"text": "1 fixed"}}); len(r) != 1 || !strings.Contains(r[0].Text, "names no ticket") {
		t.Errorf("a button without a ticket: %+v", r)
	}
}

// A reopened ticket gets fresh SLA targets, and an escalation that raises
// the priority moves the deadlines to the new priority's, counted from when
// the current targets started (here the reopen).
func TestSLARecomputedOnReopenAndPriority(t *testing.T) {
	d := newDesk(t)
	d.openVPN("amy") // P3: resolve within 72h
	d.run("dana", "/claim 1")
	d.run("dana", "/resolve 1 done")
	d.now = testNow.Add(100 * time.Hour)
	d.run("amy", "/reopen 1 still broken")
	if tk := d.ticket(1); !tk.ResolveDue.Equal(d.now.Add(72 * time.Hour)) {
		t.Errorf("reopened: resolve due %v, want 72h from the reopen", tk.ResolveDue)
	}
	d.run("dana", "/escalate 1 2 steps: rebooted -> same | priority: P1 | system: device: laptop; versions: Win 11; error: 809")
	if tk := d.ticket(1); tk.Priority != tickets.P1 || !tk.ResolveDue.Equal(d.now.Add(4*time.Hour)) {
		t.Errorf("escalated as P1: %s due %v, want P1's 4h from the reopen", tk.Priority, tk.ResolveDue)
	}
}
