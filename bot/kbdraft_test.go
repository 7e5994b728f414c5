package bot

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/kb"
	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/sqlite"
)

// kbDesk is the desk seen from its KB commands: a tier-1 agent (dana), a
// tier-2 agent (sam) and an admin (ada), and the live index published
// articles join.
type kbDesk struct {
	b     *Bot
	store *sqlite.Store
	live  *kb.Live
	path  string
}

func newKBDesk(t *testing.T) *kbDesk {
	t.Helper()
	d := newDesk(t)
	return &kbDesk{b: d.bot, store: d.store, live: d.live, path: d.path}
}

// run sends a KB command as user and returns the reply text, errors
// turned into their sentence as Handle does.
func (d *kbDesk) run(t *testing.T, user, text string) string {
	t.Helper()
	m := chat.Message{Platform: "test", ChannelID: "agents", User: person(user), Text: text}
	in, ok := parseCommand(text)
	if !ok {
		t.Fatalf("%q is not a command", text)
	}
	replies, err := d.b.command(t.Context(), m, in, nil)
	if err != nil {
		replies = d.b.fail(t.Context(), "test", err)
	}
	var out []string
	for _, r := range replies {
		out = append(out, r.Text)
	}
	return strings.Join(out, "\n")
}

// ticket stores a ticket with an escalation handoff note, worked by dana
// at tier 1 and by nobody above.
func (d *kbDesk) ticket(t *testing.T, status tickets.Status, tier int) int64 {
	t.Helper()
	ctx := t.Context()
	tk := &tickets.Ticket{Kind: tickets.KindIncident, Status: status, Priority: tickets.P3, Category: tickets.CategoryNetwork,
		Summary: "VPN drops every few minutes", Requester: person("amy"), Tier: tier, Assignee: "test:dana",
		Fields: map[string]string{
			tickets.FieldSymptom: "VPN drops every few minutes", tickets.FieldDevice: "ThinkPad T14",
			tickets.FieldError: "gateway not responding", tickets.FieldSteps: "rebooted; tried KB articles: VPN won't connect",
			tickets.FieldArticles: "vpn-cannot-connect",
		},
		Resolution: "Switched the portal to vpn2.example.com.", CreatedAt: testNow, UpdatedAt: testNow}
	if tier > 1 {
		tk.Assignee = ""
	}
	if err := d.store.CreateTicket(ctx, tk); err != nil {
		t.Fatal(err)
	}
	if err := d.store.AddEvent(ctx, &tickets.Event{TicketID: tk.ID, At: testNow, Actor: "test:dana", Kind: tickets.EventEscalated,
		Before: "1", After: "2", Text: "Issue: VPN drops\nSteps taken:\n  - rebooted -> same\nPriority: P3"}); err != nil {
		t.Fatal(err)
	}
	return tk.ID
}

func TestKBDraftRefusals(t *testing.T) {
	d := newKBDesk(t)
	d.ticket(t, tickets.StatusResolved, 1)
	open := d.ticket(t, tickets.StatusOpen, 1)
	tier2 := d.ticket(t, tickets.StatusResolved, 2)
	tests := []struct {
		name, user, text, want string
	}{
		{"requester", "amy", "/kbdraft 1", "Only help desk agents can use /kbdraft"},
		{"no number", "dana", "/kbdraft", "Which ticket? Usage: /kbdraft N"},
		{"unknown ticket", "dana", "/kbdraft 99", "Ticket #99 does not exist."},
		{"open ticket", "dana", "/kbdraft " + kbNum(open), "resolve it first with /resolve"},
		{"above the agent's tier", "dana", "/kbdraft " + kbNum(tier2), "above yours"},
		{"edit by requester", "amy", "/kbedit ticket-1-vpn", "Only help desk agents can use /kbedit"},
		{"edit unknown article", "dana", "/kbedit nope", `There is no drafted article "nope"`},
		{"edit without ID", "dana", "/kbedit", "Which article?"},
		{"publish by an agent", "dana", "/kbpublish ticket-1-vpn", "Only admins can use /kbpublish"},
		{"publish unknown article", "ada", "/kbpublish nope", `There is no drafted article "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := d.run(t, tt.user, tt.text); !strings.Contains(got, tt.want) {
				t.Errorf("%s: %s\n got: %s\nwant: %s", tt.user, tt.text, got, tt.want)
			}
		})
	}
	if got := d.run(t, "sam", "/kbdraft "+kbNum(tier2)); !strings.Contains(got, "Drafted article") {
		t.Errorf("tier 2 agent could not draft from a tier 2 ticket: %s", got)
	}
}

// The whole path: draft, refused publish of an unreviewed draft, a bad
// edit explained, a good edit, publish, search finds it at once and after a
// restart.
func TestKBDraftEditPublish(t *testing.T) {
	d := newKBDesk(t)
	ctx := t.Context()
	id := d.ticket(t, tickets.StatusResolved, 1)
	const artID = "ticket-1-vpn-drops-minutes"

	out := d.run(t, "dana", "/kbdraft "+kbNum(id))
	for _, want := range []string{
		"Drafted article " + artID + " from #1", "/kbedit " + artID, "/kbpublish " + artID,
		"id: " + artID, kb.DraftMarker, "Switched the portal to vpn2.example.com.",
		"- rebooted", `the article "VPN won't connect" (/article vpn-cannot-connect)`,
		"Seen on: ThinkPad T14",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("draft reply lacks %q:\n%s", want, out)
		}
	}
	// The handoff note is for agents; a draft carries only what may be
	// published.
	if strings.Contains(out, "Issue: VPN drops") || strings.Contains(out, "Notes from the help desk") {
		t.Errorf("the draft carries the handoff note:\n%s", out)
	}
	stored, err := d.store.Draft(ctx, artID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.TicketID != id || stored.CreatedBy != "test:dana" || stored.IsPublished() {
		t.Errorf("stored draft = %+v", stored)
	}
	if again := d.run(t, "dana", "/kbdraft "+kbNum(id)); !strings.Contains(again, "already has an article, "+artID+" (a draft)") {
		t.Errorf("second /kbdraft: %s", again)
	}

	if got := d.run(t, "ada", "/kbpublish "+artID); !strings.Contains(got, "still has its DRAFT line") {
		t.Errorf("publishing an unreviewed draft: %s", got)
	}

	bad := []struct{ name, markdown, want string }{
		{"no front matter", "just text", "I didn't save that: missing front matter"},
		{"bad category", strings.Replace(stored.Markdown, "category: network", "category: vpn", 1), `unknown category "vpn"`},
		{"other id", strings.Replace(stored.Markdown, "id: "+artID, "id: something-else", 1), `its id line says "something-else"`},
	}
	for _, tt := range bad {
		if got := d.run(t, "dana", "/kbedit "+artID+"\n"+tt.markdown); !strings.Contains(got, tt.want) {
			t.Errorf("%s: /kbedit reply = %s\nwant %q", tt.name, got, tt.want)
		}
	}
	if now, _ := d.store.Draft(ctx, artID); now.Markdown != stored.Markdown {
		t.Error("a refused edit changed the stored text")
	}

	if got := d.run(t, "dana", "/kbedit "+artID); !strings.Contains(got, "id: "+artID) {
		t.Errorf("/kbedit without text does not show the article: %s", got)
	}

	reviewed := kbRemoveDraftLine(stored.Markdown)
	reviewed = strings.Replace(reviewed, "## How to fix it\nSwitched the portal to vpn2.example.com.",
		"## How to fix it\nOpen GlobalProtect settings and set the portal to vpn2.example.com, then sign in again.", 1)
	// Chat clients wrap pasted text in a code fence.
	if got := d.run(t, "sam", "/kbedit "+artID+"\n```markdown\n"+reviewed+"```"); !strings.Contains(got, "An admin can publish it now") {
		t.Fatalf("/kbedit of the reviewed text: %s", got)
	}

	query := "my VPN drops every few minutes with gateway not responding"
	if res := d.live.Search(query, 3); len(res) > 0 && res[0].Article.ID == artID {
		t.Fatal("the draft is in search before publishing")
	}
	if got := d.run(t, "ada", "/kbpublish "+artID); !strings.Contains(got, "offered in search from now on") {
		t.Fatalf("/kbpublish: %s", got)
	}
	if res := d.live.Search(query, 3); len(res) == 0 || res[0].Article.ID != artID {
		t.Errorf("after publishing, search = %v, want %s first", kbResultIDs(res), artID)
	}
	if a, ok := d.live.Article(artID); !ok || !strings.Contains(a.Body, "set the portal to vpn2.example.com") {
		t.Errorf("/article shows %+v, %v", a, ok)
	}

	// An edit after publishing stays out of search until published again.
	if got := d.run(t, "dana", "/kbedit "+artID+"\n"+strings.Replace(reviewed, "sign in again", "call the service desk", 1)); !strings.Contains(got, "until an admin runs /kbpublish") {
		t.Errorf("/kbedit of a published article: %s", got)
	}
	if a, _ := d.live.Article(artID); strings.Contains(a.Body, "call the service desk") {
		t.Error("an unpublished edit reached search")
	}

	// After a restart the published text is in search again.
	d.store.Close()
	store, err := sqlite.Open(ctx, d.path)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	base, _ := kb.Builtin()
	live, err := kb.OpenLive(ctx, base, store)
	if err != nil {
		t.Fatal(err)
	}
	if res := live.Search(query, 3); len(res) == 0 || res[0].Article.ID != artID {
		t.Errorf("after a restart, search = %v, want %s first", kbResultIDs(res), artID)
	}
	if a, _ := live.Article(artID); !strings.Contains(a.Body, "sign in again") {
		t.Errorf("after a restart the article is %q, want the published text", a.Body)
	}
}

// A searcher that cannot take articles still publishes, for the next start.
func TestKBPublishWithoutLiveIndex(t *testing.T) {
	d := newKBDesk(t)
	arts, _ := kb.Builtin()
	b, err := New(d.store, kb.NewIndex(arts), *d.b.conf(), Options{Now: func() time.Time { return testNow }, Articles: d.store})
	if err != nil {
		t.Fatal(err)
	}
	d.b = b
	id := d.ticket(t, tickets.StatusClosed, 1)
	d.run(t, "dana", "/kbdraft "+kbNum(id))
	stored, err := d.store.Draft(t.Context(), "ticket-1-vpn-drops-minutes")
	if err != nil {
		t.Fatal(err)
	}
	d.run(t, "dana", "/kbedit "+stored.ID+"\n"+kbRemoveDraftLine(stored.Markdown))
	if got := d.run(t, "ada", "/kbpublish "+stored.ID); !strings.Contains(got, "after the bot restarts") {
		t.Errorf("/kbpublish: %s", got)
	}
}

func TestKBCommandWithoutStore(t *testing.T) {
	d := newKBDesk(t)
	d.b.articles = nil
	for _, text := range []string{"/kbdraft 1", "/kbedit some-article", "/kbpublish some-article"} {
		user := "dana"
		if text == "/kbpublish some-article" {
			user = "ada"
		}
		if got := d.run(t, user, text); !strings.Contains(got, "not set up") {
			t.Errorf("%s without an article store: %s", text, got)
		}
	}
}

// Uses are counted in the transaction of the change, once per event.
func TestCountArticleUse(t *testing.T) {
	d := newKBDesk(t)
	ctx := t.Context()
	err := d.store.InTx(ctx, func(tx tickets.Tx) error {
		d.b.countArticleUse(ctx, tx, kb.UseOffered, "vpn-cannot-connect", "", "account-locked-out")
		d.b.countArticleUse(ctx, tx, kb.UseFixed, "vpn-cannot-connect")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	m := chat.Message{EventID: "Ev1", Platform: "test", User: person("amy"), Text: "/article vpn-cannot-connect"}
	d.b.countOpened(ctx, m, "vpn-cannot-connect")
	d.b.countOpened(ctx, m, "vpn-cannot-connect") // redelivered
	m.EventID = "Ev2"
	d.b.countOpened(ctx, m, "vpn-cannot-connect")
	got, err := d.store.Usage(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	want := []kb.ArticleUsage{
		{ArticleID: "account-locked-out", Offered: 1},
		{ArticleID: "vpn-cannot-connect", Offered: 1, Opened: 2, Fixed: 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("usage (-want +got):\n%s", diff)
	}
}

func TestSplitArticleArgs(t *testing.T) {
	tests := []struct{ in, id, md string }{
		{"", "", ""},
		{"  a-1  ", "a-1", ""},
		{"a-1\n---\nid: a-1\n---\nbody", "a-1", "---\nid: a-1\n---\nbody"},
		{"a-1 ```\n---\nid: a-1\n---\nbody\n```", "a-1", "---\nid: a-1\n---\nbody"},
		{"a-1\n```md\n---\nid: a-1\n---\nbody```", "a-1", "---\nid: a-1\n---\nbody"},
		{"a-1\n```---\nid: a-1\n---\nbody```", "a-1", "---\nid: a-1\n---\nbody"},
	}
	for _, tt := range tests {
		id, md := splitArticleArgs(tt.in)
		if id != tt.id || md != tt.md {
			t.Errorf("splitArticleArgs(%q) = %q, %q; want %q, %q", tt.in, id, md, tt.id, tt.md)
		}
	}
}

// kbRemoveDraftLine is the reviewer deleting the DRAFT line.
func kbRemoveDraftLine(markdown string) string {
	var kept []string
	for _, line := range strings.Split(markdown, "\n") {
		if !strings.HasPrefix(line, kb.DraftMarker) {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "\n")
}

func kbResultIDs(res []kb.Result) []string {
	var out []string
	for _, r := range res {
		out = append(out, r.Article.ID)
	}
	return out
}

func kbNum(n int64) string { return strconv.FormatInt(n, 10) }
