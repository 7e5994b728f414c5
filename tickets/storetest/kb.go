package storetest

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/helpdesk-bot/helpdesk/kb"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// KBStore is a store of both tickets and knowledge-base articles, as every
// implementation of tickets.Store here is.
type KBStore interface {
	tickets.Store
	kb.Store
}

// RunKB runs the knowledge-base part of the suite. newDB names a new, empty
// database; open opens one (twice for the same name, to check what
// survives a restart). The caller's open closes nothing; the tests close
// each store they open.
func RunKB(t *testing.T, newDB func(t *testing.T) string, open func(t *testing.T, db string) KBStore) {
	for _, tt := range []struct {
		name string
		fn   func(*testing.T, func(*testing.T) string, func(*testing.T, string) KBStore)
	}{
		{"KB/DraftPublish", testKBDraftPublish},
		{"KB/SaveDraftInvalid", testKBSaveDraftInvalid},
		{"KB/Usage", testKBUsage},
		{"KB/UsageConcurrent", testKBUsageConcurrent},
		{"KB/OpenLive", testOpenLiveFromStore},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, newDB, open) })
	}
}

var kbNow = time.Date(2026, 11, 18, 14, 30, 0, 123456789, time.UTC)

// kbTicket stores a ticket for articles to be drafted from.
func kbTicket(t *testing.T, s KBStore) int64 {
	t.Helper()
	tk := &tickets.Ticket{Kind: tickets.KindIncident, Status: tickets.StatusResolved, Priority: tickets.P3,
		Summary: "VPN drops", Requester: tickets.Person{Platform: "test", UserID: "amy"}, CreatedAt: kbNow}
	if err := s.CreateTicket(t.Context(), tk); err != nil {
		t.Fatal(err)
	}
	return tk.ID
}

func testKBDraftPublish(t *testing.T, newDB func(*testing.T) string, open func(*testing.T, string) KBStore) {
	path := newDB(t)
	s := open(t, path)
	ctx := t.Context()
	tid := kbTicket(t, s)

	if _, err := s.Draft(ctx, "nope"); !errors.Is(err, kb.ErrNotFound) {
		t.Errorf("Draft of a missing article: err = %v, want kb.ErrNotFound", err)
	}
	if _, err := s.PublishArticle(ctx, "nope", "test:ada", kbNow); !errors.Is(err, kb.ErrNotFound) {
		t.Errorf("PublishArticle of a missing article: err = %v, want kb.ErrNotFound", err)
	}

	draft := &kb.StoredArticle{ID: "ticket-1-vpn-drops", TicketID: tid, Markdown: "v1",
		CreatedBy: "test:dana", CreatedAt: kbNow, UpdatedBy: "test:dana", UpdatedAt: kbNow}
	if err := s.SaveDraft(ctx, draft); err != nil {
		t.Fatal(err)
	}
	want := kb.StoredArticle{ID: "ticket-1-vpn-drops", TicketID: tid, Markdown: "v1",
		CreatedBy: "test:dana", CreatedAt: kbNow.Truncate(time.Microsecond), UpdatedBy: "test:dana", UpdatedAt: kbNow.Truncate(time.Microsecond)}
	got, err := s.Draft(ctx, draft.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, *got); diff != "" {
		t.Errorf("stored draft (-want +got):\n%s", diff)
	}
	if got.IsPublished() {
		t.Error("a draft reads as published")
	}
	if pub, err := s.Published(ctx); err != nil || len(pub) != 0 {
		t.Errorf("Published before publishing = %v, %v; want none", pub, err)
	}

	// An edit replaces the working copy and keeps who drafted it.
	later := kbNow.Add(time.Hour).Truncate(time.Microsecond)
	if err := s.SaveDraft(ctx, &kb.StoredArticle{ID: draft.ID, Markdown: "v2", CreatedBy: "test:eve", CreatedAt: later,
		UpdatedBy: "test:eve", UpdatedAt: later}); err != nil {
		t.Fatal(err)
	}
	want.Markdown, want.UpdatedBy, want.UpdatedAt = "v2", "test:eve", later
	pubAt := later.Add(time.Minute)
	published, err := s.PublishArticle(ctx, draft.ID, "test:ada", pubAt)
	if err != nil {
		t.Fatal(err)
	}
	want.PublishedMarkdown, want.PublishedBy, want.PublishedAt = "v2", "test:ada", pubAt
	if diff := cmp.Diff(want, *published); diff != "" {
		t.Errorf("published article (-want +got):\n%s", diff)
	}

	// Editing a published article leaves the published text in search
	// until it is published again.
	if err := s.SaveDraft(ctx, &kb.StoredArticle{ID: draft.ID, Markdown: "v3", UpdatedBy: "test:eve", UpdatedAt: later}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	// Published articles persist across restarts.
	s = open(t, path)
	defer s.Close()
	pub, err := s.Published(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want.Markdown = "v3"
	if len(pub) != 1 {
		t.Fatalf("Published = %d articles, want 1", len(pub))
	}
	if diff := cmp.Diff(want, *pub[0]); diff != "" {
		t.Errorf("published after restart (-want +got):\n%s", diff)
	}
}

func testKBSaveDraftInvalid(t *testing.T, newDB func(*testing.T) string, open func(*testing.T, string) KBStore) {
	s := open(t, newDB(t))
	defer s.Close()
	for _, tt := range []struct {
		name string
		a    kb.StoredArticle
		want string
	}{
		{"no id", kb.StoredArticle{Markdown: "x"}, "no ID"},
		{"no text", kb.StoredArticle{ID: "a"}, "no text"},
		{"unknown ticket", kb.StoredArticle{ID: "a", Markdown: "x", TicketID: 99}, "ticket 99 does not exist"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := s.SaveDraft(t.Context(), &tt.a)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("SaveDraft: err = %v, want %q", err, tt.want)
			}
		})
	}
}

func testKBUsage(t *testing.T, newDB func(*testing.T) string, open func(*testing.T, string) KBStore) {
	s := open(t, newDB(t))
	defer s.Close()
	ctx := t.Context()
	yesterday := kbNow.Add(-24 * time.Hour)
	counts := []struct {
		id  string
		use kb.Use
		n   int
		at  time.Time
	}{
		{"vpn-cannot-connect", kb.UseOffered, 1, yesterday},
		{"vpn-cannot-connect", kb.UseOffered, 2, kbNow},
		{"vpn-cannot-connect", kb.UseOpened, 1, kbNow},
		{"vpn-cannot-connect", kb.UseFixed, 1, kbNow.Add(time.Minute)},
		{"account-locked-out", kb.UseOffered, 1, yesterday},
		{"account-locked-out", kb.UseFixed, 0, kbNow}, // counts nothing
	}
	for _, c := range counts {
		if err := s.CountUse(ctx, c.id, c.use, c.n, c.at); err != nil {
			t.Fatal(err)
		}
	}
	// Counted inside a transaction, with the change that caused it.
	err := s.InTx(ctx, func(ttx tickets.Tx) error {
		return ttx.(kb.UseCounter).CountUse(ctx, "vpn-cannot-connect", kb.UseFixed, 1, kbNow)
	})
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		since time.Time
		want  []kb.ArticleUsage
	}{
		{time.Time{}, []kb.ArticleUsage{
			{ArticleID: "account-locked-out", Offered: 1},
			{ArticleID: "vpn-cannot-connect", Offered: 3, Opened: 1, Fixed: 2},
		}},
		// Since any time of today: today's counts only.
		{kbNow.Add(3 * time.Hour), []kb.ArticleUsage{
			{ArticleID: "vpn-cannot-connect", Offered: 2, Opened: 1, Fixed: 2},
		}},
	}
	for _, tt := range tests {
		got, err := s.Usage(ctx, tt.since)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Usage(%v) (-want +got):\n%s", tt.since, diff)
		}
	}

	for _, bad := range []struct {
		id  string
		use kb.Use
	}{{"", kb.UseOffered}, {"x", "liked"}} {
		if err := s.CountUse(ctx, bad.id, bad.use, 1, kbNow); err == nil {
			t.Errorf("CountUse(%q, %q) succeeded", bad.id, bad.use)
		}
	}
}

// Uses counted from many goroutines at once all land.
func testKBUsageConcurrent(t *testing.T, newDB func(*testing.T) string, open func(*testing.T, string) KBStore) {
	s := open(t, newDB(t))
	defer s.Close()
	ctx := t.Context()
	const n = 20
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.CountUse(ctx, "vpn-cannot-connect", kb.UseOpened, 1, kbNow); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got, err := s.Usage(ctx, time.Time{})
	if err != nil || len(got) != 1 || got[0].Opened != n {
		t.Errorf("Usage = %+v, %v; want %d opens", got, err, n)
	}
}

// A live index opened on the store holds the base articles and the
// published ones, after a restart too; a stored article that no longer
// parses is reported and left out.
func testOpenLiveFromStore(t *testing.T, newDB func(*testing.T) string, open func(*testing.T, string) KBStore) {
	path := newDB(t)
	s := open(t, path)
	ctx := t.Context()
	base, err := kb.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	d, err := kb.DraftFromTicket(kb.TicketFacts{Number: 1, Title: "Badge reader rejects my badge", Category: "access",
		Symptom: "badge reader beeps red", Resolution: "Reception re-registered the badge."})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []*kb.StoredArticle{
		{ID: d.ID, Markdown: d.Markdown, UpdatedAt: kbNow},
		{ID: "broken", Markdown: "no front matter", UpdatedAt: kbNow},
		{ID: "unpublished", Markdown: "---\nid: unpublished\ntitle: Badge secrets\n---\nbadge", UpdatedAt: kbNow},
	} {
		if err := s.SaveDraft(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []string{d.ID, "broken"} {
		if _, err := s.PublishArticle(ctx, id, "test:ada", kbNow); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	s = open(t, path)
	defer s.Close()
	live, err := kb.OpenLive(ctx, base, s)
	if err == nil || !strings.Contains(err.Error(), "published:broken") {
		t.Errorf("OpenLive error = %v, want one naming the broken article", err)
	}
	if live.Len() != len(base)+1 {
		t.Errorf("Len = %d, want %d", live.Len(), len(base)+1)
	}
	if res := live.Search("my badge reader beeps red", 1); len(res) == 0 || res[0].Article.ID != d.ID {
		t.Errorf("search did not find the published article first: %+v", res)
	}
	if _, ok := live.Article("unpublished"); ok {
		t.Error("an unpublished draft is in search")
	}
}
