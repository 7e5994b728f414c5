package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

func TestSelfServed(t *testing.T) {
	d := newDesk(t)
	out := d.session("bob", "I forgot my password and now I can't log in", "yes")
	contains(t, out, "might fix it right away", "glad that fixed it", "no ticket needed")
	lacks(t, out, "Ticket #")
	if ts := d.tickets(); len(ts) != 0 {
		t.Fatalf("%d tickets opened for a self-served report", len(ts))
	}
	db, err := sql.Open("sqlite", filepath.Join(d.dir, "helpdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	var article string
	if err := db.QueryRow(`SELECT count(*), max(article_id) FROM self_service`).Scan(&n, &article); err != nil {
		t.Fatal(err)
	}
	if n != 1 || article == "" {
		t.Errorf("self-service records = %d (article %q), want 1 with the article", n, article)
	}
}

func TestServiceRequest(t *testing.T) {
	d := newDesk(t)
	out := d.session("carol", "Hi, I need a second monitor please", "my laptop screen is too small for spreadsheets", "3rd floor, desk 12")
	contains(t, out, "service request: Hardware request", "What is it for?", "Where should it be delivered", "Ticket #1 is open: Hardware request: second monitor")
	lacks(t, out, "might fix it right away", "Who is affected")
	tk := d.ticket(1)
	if tk.Kind != tickets.KindRequest || tk.RequestType != "hardware" || tk.Fields["item"] != "second monitor" || tk.Fields["location"] != "3rd floor, desk 12" {
		t.Errorf("ticket = %+v", tk)
	}
}

func TestDuplicateLinkedToOpenTicket(t *testing.T) {
	d := newDesk(t)
	d.session("alice", "Outlook keeps crashing when I open the calendar on my laptop", "no", "since yesterday, restarted outlook, just me, slows me down")
	out := d.session("alice", "outlook crashed again when opening the calendar")
	contains(t, out, "This looks like your open ticket #1", "reply \"new\"", "[message for #triage, in the ticket's thread] alice added to ticket #1")
	if ts := d.tickets(); len(ts) != 1 {
		t.Fatalf("%d tickets, want the report linked to #1", len(ts))
	}
	evs, err := d.store().Events(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if last := evs[len(evs)-1]; last.Kind != tickets.EventComment || !strings.Contains(last.Text, "crashed again") {
		t.Errorf("last event = %+v, want the new report as a comment", last)
	}
	// The person can still ask for a separate ticket.
	out = d.session("alice", "new", "no", "skip", "just me", "not urgent")
	contains(t, out, "Ticket #2 is open")
}

func TestCorrection(t *testing.T) {
	d := newDesk(t)
	out := d.session("dave", "The printer on floor 2 shows error 0x0000011b when I print since this morning",
		"no", "actually it started yesterday, nothing tried yet", "my whole team", "not urgent")
	contains(t, out, "I changed when it started", "Ticket #1 is open")
	if got := d.ticket(1).Fields[tickets.FieldStarted]; !strings.Contains(got, "Tue 17 Nov") {
		t.Errorf("started = %q, want yesterday after the correction", got)
	}
}

func TestCancelAndStartOver(t *testing.T) {
	d := newDesk(t)
	out := d.session("erin", "my headset mic is not working in calls", "start over", "my keyboard is not typing some letters", "cancel")
	contains(t, out, "let's start over", "Cancelled — nothing was filed")
	if ts := d.tickets(); len(ts) != 0 {
		t.Errorf("%d tickets after cancel", len(ts))
	}
	// After cancelling, the next message starts a fresh report.
	out = d.session("erin", "hello")
	contains(t, out, "what's going wrong")
}

func TestRestartMidConversation(t *testing.T) {
	d := newDesk(t)
	out := d.session("frank", "Wi-Fi keeps dropping on my laptop since Monday", "no")
	contains(t, out, "quick things", "The exact error message")
	// The process ended mid-conversation (no articles to offer: "no" answered
	// the questions asked together); a new one puts the pending question
	// again and continues where it was.
	out = d.session("frank", "everyone in the office", "can't work")
	contains(t, out, "bot: Where we left off — Who is affected", "Ticket #1 is open")
	tk := d.ticket(1)
	if tk.Fields[tickets.FieldDevice] != "laptop" || !strings.Contains(tk.Fields[tickets.FieldStarted], "Mon 16 Nov") || tk.Priority != tickets.P1 {
		t.Errorf("ticket after restart lost fields: %+v", tk)
	}
}

func TestSecretsMasked(t *testing.T) {
	d := newDesk(t)
	out := d.session("gina", "I can't log in to the VPN, my password is Hunter2Secret! and it says access denied", "cancel")
	contains(t, out, "looks like a password", "Please change it now")
	lacks(t, out, "Hunter2Secret")
	for _, f := range []string{"helpdesk.db", "helpdesk.db-wal", "helpdesk.log"} {
		b, err := os.ReadFile(filepath.Join(d.dir, f))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "Hunter2Secret") {
			t.Errorf("%s holds the pasted password", f)
		}
	}
}

// A directory of articles named in config replaces the built-in KB.
func TestOwnKnowledgeBase(t *testing.T) {
	d := newDesk(t)
	kbDir := t.TempDir()
	os.WriteFile(filepath.Join(kbDir, "badge.md"), []byte("---\nid: badge-reader\ntitle: Door badge not opening the office door\ncategory: access\ntags: [badge, door]\nsummary: Re-activate your door badge at reception.\n---\nAsk reception to re-activate the badge.\n"), 0o600)
	cfg := writeFile(t, "c.yaml", "kb:\n  dir: "+kbDir+"\n")
	var out, errOut strings.Builder
	code := run(context.Background(), []string{"-config", cfg, "-data", d.dir, "-user", "olga"},
		env{stdin: strings.NewReader("my badge is not opening the door\n/article badge-reader\n"), stdout: &out, stderr: &errOut, now: func() time.Time { return wednesday }})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	contains(t, out.String(), "Knowledge base: 1 articles ("+kbDir+")", "Door badge not opening the office door", "Ask reception to re-activate the badge.")

	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, "x.md"), []byte("no front matter here\n"), 0o600)
	code = run(context.Background(), []string{"-config", writeFile(t, "c.yaml", "kb:\n  dir: "+bad+"\n"), "-data", d.dir},
		env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, now: time.Now})
	if code == 0 || !strings.Contains(errOut.String(), "x.md") {
		t.Errorf("a malformed article: exit %d, stderr %q; want a failure naming the file", code, errOut.String())
	}
}

// A kb.dir's index is kept in the data directory: the next start reads it
// back and offers the same article, and an edited article is noticed.
func TestOwnKnowledgeBaseCached(t *testing.T) {
	d := newDesk(t)
	kbDir := t.TempDir()
	article := "---\nid: badge-reader\ntitle: Door badge not opening the office door\ncategory: access\n---\n%s\n"
	os.WriteFile(filepath.Join(kbDir, "badge.md"), []byte(fmt.Sprintf(article, "Ask reception to re-activate the badge.")), 0o600)
	cfg := writeFile(t, "c.yaml", "kb:\n  dir: "+kbDir+"\n")
	start := func(want string) {
		t.Helper()
		var out, errOut strings.Builder
		code := run(context.Background(), []string{"-config", cfg, "-data", d.dir, "-user", "olga"},
			env{stdin: strings.NewReader("my badge is not opening the door\n/article badge-reader\n"), stdout: &out, stderr: &errOut, now: func() time.Time { return wednesday }})
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut.String())
		}
		contains(t, out.String(), "Door badge not opening the office door", want)
		log, _ := os.ReadFile(filepath.Join(d.dir, "helpdesk.log"))
		if _, err := os.Stat(filepath.Join(d.dir, kbIndexCache)); err != nil {
			t.Fatalf("no index cache after a start: %v; log:\n%s", err, log)
		}
	}
	start("Ask reception to re-activate the badge.")
	start("Ask reception to re-activate the badge.")
	os.WriteFile(filepath.Join(kbDir, "badge.md"), []byte(fmt.Sprintf(article, "Hold the badge flat against the reader.")), 0o600)
	start("Hold the badge flat against the reader.")
	log, err := os.ReadFile(filepath.Join(d.dir, "helpdesk.log"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, line := range strings.Split(string(log), "\n") {
		if _, after, ok := strings.Cut(line, `msg="knowledge base index"`); ok {
			_, status, _ := strings.Cut(after, "cache=")
			got = append(got, strings.Fields(status)[0])
		}
	}
	if want := []string{"missing", "loaded", "stale"}; !slices.Equal(got, want) {
		t.Errorf("the index came from %v, want %v", got, want)
	}
}
