package bot

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/kb"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

func wantIn(t *testing.T, what, text string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(text, p) {
			t.Errorf("%s lacks %q:\n%s", what, p, text)
		}
	}
}

// An escalation without a complete handoff is refused with exactly what is
// missing; completed, it goes to tier 2 with an assignee, tier 1 stays the
// owner, the requester is told, the owner hears of tier-2 work, and it can
// be sent back.
func TestEscalation(t *testing.T) {
	d := newDesk(t)
	id := d.openVPN("amy")
	d.run("dana", "/claim 1")
	d.delivered()

	out := d.run("dana", "/escalate 1 2")
	wantIn(t, "refusal", out, "#1 cannot be escalated yet", `what each step did (write "step -> result") for "rebooted"`,
		"the OS and app versions", "Issue: my laptop can't connect to the VPN", "error 809")
	if strings.Contains(out, "the issue description") || strings.Contains(out, "the priority") {
		t.Errorf("refusal asks for what intake already knows:\n%s", out)
	}
	if tk := d.ticket(id); tk.Tier != 1 || tk.Status == tickets.StatusEscalated {
		t.Fatalf("refused escalation changed the ticket: tier %d %s", tk.Tier, tk.Status)
	}
	out = d.run("dana", "/escalate 1 2 steps: rebooted -> same error 809; reinstalled the VPN client -> same | system: device: laptop; versions: Windows 11 23H2, GlobalProtect 6.2; error: error 809")
	wantIn(t, "escalation", out, "#1 escalated to tier2 (tier 2), assigned to Sam", "You stay the owner")
	tk := d.ticket(id)
	if tk.Tier != 2 || tk.Owner != "test:dana" || tk.Assignee != "test:sam" || tk.Status != tickets.StatusEscalated {
		t.Fatalf("escalated ticket: tier %d owner %q assignee %q %s", tk.Tier, tk.Owner, tk.Assignee, tk.Status)
	}
	got := d.delivered()
	wantIn(t, "tier 2 channel", strings.Join(got["#tier2"], "\n"), "Escalated to tier2 (tier 2)", "Owner: Dana. Assigned: Sam.",
		"rebooted -> same error 809", "GlobalProtect 6.2", "Priority: P")
	wantIn(t, "requester", strings.Join(got["@amy"], "\n"), "is now with Sam (tier 2)", "Dana stays your contact")
	if strings.Contains(strings.Join(got["@amy"], "\n"), "GlobalProtect") {
		t.Error("the handoff note reached the requester")
	}

	// Other tier 1 agents no longer reach it; tier 2 works it, and the
	// owner hears of it.
	if out := d.run("tom", "/resolve 1 fixed"); !strings.Contains(out, "#1 is at tier 2, above yours (1)") {
		t.Errorf("another tier 1 agent resolving a tier 2 ticket got: %s", out)
	}
	if out := d.run("tom", "/queue"); strings.Contains(out, "#1") {
		t.Errorf("the tier 2 ticket shows in a tier 1 queue:\n%s", out)
	}
	if out := d.run("dana", "/claim 1"); !strings.Contains(out, "tier 2, above yours") {
		t.Errorf("owner claimed the escalated ticket back: %s", out)
	}
	wantIn(t, "tier 2 note", d.run("sam", "/note 1 MTU mismatch on the new ISP router"), "Internal note added")
	got = d.delivered()
	wantIn(t, "owner", strings.Join(got["@dana"], "\n"), "On your escalated ticket #1", "MTU mismatch")
	if len(got["@amy"]) != 0 {
		t.Errorf("the requester got the tier 2 note: %v", got["@amy"])
	}

	// The requester never sees handoff notes in the history.
	st := d.run("amy", "/status 1")
	if strings.Contains(st, "GlobalProtect") || strings.Contains(st, "MTU") {
		t.Errorf("requester's status shows internal work:\n%s", st)
	}

	// Sent back with a note: the owner has it again at tier 1.
	wantIn(t, "de-escalation", d.run("sam", "/deescalate 1 router fixed upstream, please confirm with Amy"), "#1 is back with Dana at tier 1")
	tk = d.ticket(id)
	if tk.Tier != 1 || tk.Assignee != "test:dana" || tk.Status != tickets.StatusOpen {
		t.Errorf("de-escalated ticket: tier %d assignee %q %s", tk.Tier, tk.Assignee, tk.Status)
	}
	wantIn(t, "owner", strings.Join(d.delivered()["@dana"], "\n"), "router fixed upstream")

	// The form is prefilled from what the desk knows.
	f, err := d.bot.Form(context.Background(), person("dana"), chat.ActionEscalate, "1")
	if err != nil {
		t.Fatal(err)
	}
	vals := map[string]string{}
	for _, fd := range f.Fields {
		vals[fd.Name] = fd.Value
	}
	// Nobody else sees the prefilled handoff: not a requester, not an
	// agent the ticket is out of reach of.
	if _, err := d.bot.Form(context.Background(), person("amy"), chat.ActionEscalate, "1"); err == nil || !strings.Contains(tickets.ErrorMessage(err), "Only help desk agents") {
		t.Errorf("requester's escalation form: %v", err)
	}
	d.run("sam", "/escalate 1 3 steps: rebooted -> same error 809 | system: device: laptop; versions: Windows 11 23H2, GlobalProtect 6.2; error: error 809")
	if _, err := d.bot.Form(context.Background(), person("tom"), chat.ActionEscalate, "1"); tickets.ErrorCode(err) != tickets.EFORBIDDEN {
		t.Errorf("a tier 1 agent's form on a tier 3 ticket: %v", err)
	}
	if _, err := d.bot.Form(context.Background(), person("amy"), chat.ActionReply, "1"); err == nil {
		t.Error("a requester got the reply form")
	}
	wantIn(t, "prefilled steps", vals["steps"], "rebooted -> same error 809")
	wantIn(t, "prefilled system", vals["system"], "GlobalProtect 6.2")
	if vals["to"] != "2" || !strings.HasPrefix(vals["priority"], "P") {
		t.Errorf("prefilled to %q priority %q", vals["to"], vals["priority"])
	}
}

// The escalation form reports missing handoff parts on their fields.
func TestEscalationFormValidation(t *testing.T) {
	d := newDesk(t)
	f, _ := d.bot.FormFor(chat.ActionEscalate)
	errs := d.bot.CheckForm(f, map[string]string{"to": "2", "description": "VPN down", "steps": "rebooted", "priority": "P9", "system": "device: laptop"})
	for field, want := range map[string]string{"steps": `"rebooted"`, "priority": "P1, P2, P3 or P4", "system": "versions"} {
		if !strings.Contains(errs[field], want) {
			t.Errorf("error on %s = %q, want it to mention %q", field, errs[field], want)
		}
	}
	if _, ok := errs["description"]; ok {
		t.Errorf("description given but flagged: %v", errs)
	}
	ok := map[string]string{"to": "2", "description": "VPN down", "steps": "rebooted -> same", "priority": "P2",
		"system": "device: laptop; versions: Win 11; error: none"}
	if errs := d.bot.CheckForm(f, ok); errs != nil {
		t.Errorf("complete form refused: %v", errs)
	}
}

// /summary gives agents a ticket in a few lines; a model's summary is
// marked as a draft; a failing model falls back to the offline one.
func TestSummary(t *testing.T) {
	d := newDesk(t)
	d.openVPN("amy")
	d.run("dana", "/claim 1")
	d.run("dana", "/note 1 suspect the new VPN profile")
	wantIn(t, "offline summary", d.run("dana", "/summary 1"), "Summary of #1 (P3, open", "error 809", "With: Dana at tier 1", "suspect the new VPN profile")
	if out := d.run("amy", "/summary 1"); !strings.Contains(out, "Only help desk agents") {
		t.Errorf("a requester got a summary: %s", out)
	}
	d.bot.llm.budget = time.Second
	d.bot.llm.drafter = summarizerFunc(func() (string, error) { return "Amy's VPN fails with error 809 since the profile change.", nil })
	wantIn(t, "model summary", d.run("dana", "/summary 1"), "a model's draft", "since the profile change")
	d.bot.llm.drafter = summarizerFunc(func() (string, error) { return "", errors.New("500") })
	wantIn(t, "fallback", d.run("dana", "/summary 1"), "With: Dana at tier 1")
}

// summarizerFunc is a Drafter whose summary comes from a function.
type summarizerFunc func() (string, error)

func (f summarizerFunc) DraftArticle(_ context.Context, _ kb.TicketFacts, offline kb.Draft) (kb.Draft, error) {
	return offline, nil
}

func (f summarizerFunc) SummarizeTicket(context.Context, kb.TicketFacts) (string, error) { return f() }

// A step's result may be written in words, not only after an arrow.
func TestHandoffStepOutcomes(t *testing.T) {
	for _, tc := range []struct {
		step string
		want bool
	}{
		{"rebooted -> same error", true},
		{"reinstalled Teams, it still crashes", true},
		{"tried starting it in safe mode but it still crashes", true},
		{"restarted the router and it worked", true},
		{"cleared the cache; no change", true},
		{"rebooted", false},
		{"cleared the browser cache", false},
		{"checked the cable", false},
	} {
		if got := hasOutcome(tc.step); got != tc.want {
			t.Errorf("hasOutcome(%q) = %v, want %v", tc.step, got, tc.want)
		}
	}
}

// What an agent adds to the handoff is merged with what the desk knows:
// writing the versions keeps the device and error from intake, and a
// known step written again with its result replaces it.
func TestHandoffMergesWhatTheAgentAdds(t *testing.T) {
	d := newDesk(t)
	d.openVPN("amy")
	d.run("dana", "/claim 1")
	out := d.run("dana", "/escalate 1 2 VPN gateway refuses the client")
	wantIn(t, "refusal before the versions", out, "System: device laptop; error error 809")
	if strings.Contains(out, "versions ;") {
		t.Errorf("the draft shows an empty part:\n%s", out)
	}
	out = d.run("dana", "/escalate 1 2 system: versions: Windows 11 24H2")
	wantIn(t, "refusal", out, "System: device laptop; versions Windows 11 24H2; error error 809", "/escalate 1 2 steps:")
	if strings.Contains(out, "/escalate 1 tier2") {
		t.Errorf("the example names another form of the tier than the one typed:\n%s", out)
	}
	out = d.run("dana", "/escalate 1 2 steps: rebooted, it still says error 809 | system: versions: Windows 11 24H2")
	wantIn(t, "escalated", out, "escalated to tier2")
	h, ok := parseHandoff(lastEscalation(t, d, 1))
	if !ok || !strings.Contains(h.System, "device: laptop") || !strings.Contains(h.System, "error: error 809") ||
		!strings.Contains(h.Steps, "rebooted, it still says error 809") || strings.Count(h.Steps, "rebooted") != 1 {
		t.Errorf("handoff = %+v", h)
	}
}

// lastEscalation is the handoff note of ticket id's last escalation.
func lastEscalation(t *testing.T, d *desk, id int64) string {
	t.Helper()
	evs, err := d.store.Events(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].Kind == tickets.EventEscalated {
			return evs[i].Text
		}
	}
	t.Fatalf("ticket %d was not escalated", id)
	return ""
}

// Pending needs the question: a requester told only "waiting on you" does
// not know what to answer.
func TestPendingNeedsItsQuestion(t *testing.T) {
	d := newDesk(t)
	d.openVPN("amy")
	wantIn(t, "bare pending", d.run("dana", "/pending 1"), "What do you need from the requester?", "/pending N question")
	if tk := d.ticket(1); tk.Status == tickets.StatusPending {
		t.Fatal("a pending without its question set the status")
	}
	d.run("dana", "/pending 1 Which Wi-Fi are you on?")
	got := d.delivered()
	if count(got, "@amy", "waiting on you. Dana asks:\n> Which Wi-Fi are you on?") != 1 {
		t.Errorf("the requester was not asked the question: %v", got["@amy"])
	}
}

// A step whose result the person wrote in the same sentence carries it
// into the handoff, though intake keeps the step itself short: "I opened
// every tray and it still shows the jam" needs nothing more from the agent.
func TestHandoffTakesTheResultFromTheirWords(t *testing.T) {
	for _, tc := range []struct{ step, words, want string }{
		{"opened every tray", "Paper jam. I opened every tray and it still shows the jam. Nobody can print.", "opened every tray and it still shows the jam"},
		{"starting it in safe mode", "Outlook crashes. I already tried starting it in safe mode but it still crashes.", "starting it in safe mode but it still crashes"},
		{"rebooted", "It is broken. I rebooted. Please help.", "rebooted"},
		{"rebooted -> same", "I rebooted and it worked", "rebooted -> same"},
		{"cleared the cache", "no such step in these words", "cleared the cache"},
	} {
		if got := withSaidOutcome(tc.step, tc.words); got != tc.want {
			t.Errorf("withSaidOutcome(%q) = %q, want %q", tc.step, got, tc.want)
		}
	}
}
