package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/adapters/slack/slackfake"
	"github.com/helpdesk-bot/helpdesk/tickets/sqlite" // InboxPath; and the "sqlite" driver, to read the bot's files
)

// crashLoad is the size of a TestCrashUnderLoad run.
type crashLoad struct {
	reports int     // employees, one report each
	kills   int     // SIGKILLs during the load, each followed by a restart
	rate    float64 // reports per second
	seed    uint64
}

// crashLoadSize reads the run's size: the short one by default, the
// issue's figure with HELPDESK_CRASH_FULL=1; HELPDESK_CRASH_REPORTS,
// HELPDESK_CRASH_KILLS, HELPDESK_CRASH_RATE and HELPDESK_CRASH_SEED
// override each part (a failure prints its seed, to run it again).
func crashLoadSize(t *testing.T) crashLoad {
	c := crashLoad{reports: 30, kills: 3, rate: 10, seed: uint64(time.Now().UnixNano())}
	if os.Getenv("HELPDESK_CRASH_FULL") == "1" {
		c.reports, c.kills, c.rate = 10000, 20, 60
	}
	for name, dst := range map[string]*int{"HELPDESK_CRASH_REPORTS": &c.reports, "HELPDESK_CRASH_KILLS": &c.kills} {
		if v := os.Getenv(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				t.Fatalf("%s=%q: give a whole number of at least 1", name, v)
			}
			*dst = n
		}
	}
	if v := os.Getenv("HELPDESK_CRASH_RATE"); v != "" {
		r, err := strconv.ParseFloat(v, 64)
		if err != nil || r <= 0 {
			t.Fatalf("HELPDESK_CRASH_RATE=%q: give reports per second, more than 0", v)
		}
		c.rate = r
	}
	if v := os.Getenv("HELPDESK_CRASH_SEED"); v != "" {
		s, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("HELPDESK_CRASH_SEED=%q: give the seed a failed run printed", v)
		}
		c.seed = s
	}
	return c
}

// TestCrashUnderLoad is the crash figure of the README's Reliability
// section: the real binary on Slack Socket Mode (the fake, which
// redelivers what was not acknowledged, as Slack does) gets one complete
// report from each of many employees while it is killed with SIGKILL at
// random moments and restarted on the same data directory each time.
// Afterwards every employee has exactly one ticket and was told so, and
// every message the bot sent reached Slack once, but for the in-flight duplicates the
// README documents (a post Slack took whose "sent" the kill kept from
// being recorded), which are counted and printed: at most one per kill
// and delivery worker.
//
// Short by default (30 reports, 3 kills, under a minute: the triage
// channel's cards go out at Slack's one post a second per channel); the
// issue's figure (10,000 reports, 20 kills; about three hours, the same
// pace):
//
//	HELPDESK_CRASH_FULL=1 go test -run TestCrashUnderLoad -timeout 4h -v ./cmd/helpdesk/
//
// The fake does not rate-limit, so the bot's own pacing can be raised to
// make that a quarter of an hour (the README gives the figures):
//
//	HELPDESK_CRASH_FULL=1 HELPDESK_SLACK_POSTS_PER_SECOND=200 HELPDESK_SLACK_POST_BURST=200 go test -run TestCrashUnderLoad -timeout 90m -v ./cmd/helpdesk/
func TestCrashUnderLoad(t *testing.T) {
	bin := buildBinary(t)
	load := crashLoadSize(t)
	t.Logf("%d reports at %.0f/s, %d kills, seed %d (HELPDESK_CRASH_SEED=%d repeats the kill moments)",
		load.reports, load.rate, load.kills, load.seed, load.seed)
	dir := t.TempDir()

	var mu sync.Mutex
	posts := map[string]int{} // channel + text → posts
	fake, err := slackfake.Start(slackfake.Options{Redeliver: true, OnPost: func(p slackfake.Post) {
		if p.Method == "chat.postMessage" || p.Method == "chat.postEphemeral" {
			mu.Lock()
			posts[p.Channel+"\x00"+p.Text]++
			mu.Unlock()
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()

	cfg := filepath.Join(dir, "crash.yaml")
	logPath := filepath.Join(dir, "helpdesk.log")
	// Reports open tickets at once (no KB offer, no storm suggestion), so
	// one message from an employee is one ticket. A 10 s handler limit
	// (handlers here take milliseconds) makes the inbox's lease, and so
	// the recovery of the events a kill cut, 1 min 40 s instead of 2 min 10 s.
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf("triage: {channel: CTRIAGE}\nmessage_timeout: 10s\nlog: {level: warn, file: %q}\nkb: {min_score: 1}\nstorm: {reports: 0}\n", logPath)), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func() *exec.Cmd {
		cmd := exec.Command(bin, "-config", cfg, "-data", dir)
		cmd.Env = append(os.Environ(), "SLACK_BOT_TOKEN=xoxb-crash", "SLACK_APP_TOKEN=xapp-crash", "SLACK_API_URL="+fake.APIURL())
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	bot := run()
	defer func() { bot.Process.Kill(); bot.Wait() }()

	// The employees, at the rate, while the bot is killed and restarted.
	span := time.Duration(float64(load.reports) / load.rate * float64(time.Second))
	rng := rand.New(rand.NewPCG(load.seed, load.seed))
	kills := make([]time.Duration, load.kills)
	for i := range kills {
		kills[i] = time.Duration(rng.Int64N(int64(span)))
	}
	slices.Sort(kills)
	sent := make(chan error, 1)
	begin := time.Now()
	go func() {
		for i := range load.reports {
			if d := time.Until(begin.Add(time.Duration(float64(i) / load.rate * float64(time.Second)))); d > 0 {
				time.Sleep(d)
			}
			if _, err := fake.DM(crashEmployee(i), crashReport(i)); err != nil {
				sent <- err
				return
			}
		}
		sent <- nil
	}()
	for i, at := range kills {
		time.Sleep(time.Until(begin.Add(at)))
		if err := bot.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		bot.Wait()
		t.Logf("kill %d at %v", i+1, at.Round(time.Millisecond))
		bot = run()
	}
	if err := <-sent; err != nil {
		t.Fatal(err)
	}

	// Let it finish: every report a ticket, Slack's envelopes acknowledged,
	// the outbox and the inbox empty. A claim cut by a kill runs out after
	// its lease (inbox 1 min 40 s: twice the handler's 10 s, at least
	// 30 s, the replies' minute and a margin; outbox 20 s), so this may
	// take a while.
	dbPath := filepath.Join(dir, "helpdesk.db")
	// Slack takes about one post a second per channel, so the triage
	// channel's cards drain at that pace whatever the load.
	deadline := time.Now().Add(2*inboxLease(10*time.Second) + span + time.Duration(load.reports)*1100*time.Millisecond)
	var st crashState
	for {
		st = readCrashState(t, dbPath)
		if st.requesters == load.reports && st.unsent == 0 && st.unhandled == 0 && fake.Unacknowledged() == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not finished: %d of %d employees have a ticket, %d messages unsent, %d events unhandled, %d envelopes unacknowledged; unsent: %s (log: %s)",
				st.requesters, load.reports, st.unsent, st.unhandled, fake.Unacknowledged(), strings.Join(st.unsentRows, "; "), crashLogTail(logPath))
		}
		time.Sleep(500 * time.Millisecond)
	}
	finished := time.Since(begin)
	if err := bot.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := bot.Wait(); err != nil {
		t.Errorf("exit after SIGTERM: %v", err)
	}
	st = readCrashState(t, dbPath)

	// Every employee exactly one ticket.
	lost, twice := 0, 0
	for i := range load.reports {
		switch n := st.tickets[crashEmployee(i)]; {
		case n == 0:
			lost++
			if lost <= 5 {
				t.Errorf("%s reported and has no ticket", crashEmployee(i))
			}
		case n > 1:
			twice++
			if twice <= 5 {
				t.Errorf("%s reported once and has %d tickets", crashEmployee(i), n)
			}
		}
	}
	// Every message sent once: the employee's "is open" and the triage card.
	mu.Lock()
	defer mu.Unlock()
	dup, delivered := 0, 0
	for key, n := range posts {
		delivered += n
		if n > 1 {
			dup += n - 1
			ch, text, _ := strings.Cut(key, "\x00")
			t.Logf("in-flight duplicate: %d× to %s: %.80q", n, ch, text)
		}
	}
	// Every employee told "Ticket #N is open". The answer is posted from
	// memory right after the transaction that opened the ticket commits,
	// and kept in that transaction with the event: a kill before the post
	// leaves the event unhandled in the inbox, and the next run answers
	// it again with what was kept (at most once more: a post made just
	// before the kill is an in-flight duplicate, counted above).
	missing := 0
	for i := range load.reports {
		if !crashHeard(posts, "D"+crashEmployee(i), "is open") {
			missing++
			if missing <= 5 {
				t.Errorf("%s has a ticket and never heard that it is open", crashEmployee(i))
			}
		}
	}
	if st.triageCards != load.reports {
		t.Errorf("%d triage cards recorded as sent for %d tickets", st.triageCards, load.reports)
	}
	t.Logf("%d reports, %d kills in %v, finished after %v: %d tickets lost, %d doubled, %d employees not told; %d messages posted, %d outbox rows sent, %d in-flight duplicates; the kills made Slack redeliver %d envelopes and cut the handling of %d events",
		load.reports, load.kills, span.Round(time.Second), finished.Round(time.Second), lost, twice, missing, delivered, st.sent, dup, fake.Redelivered(), st.again)
	if dup > load.kills {
		t.Errorf("%d duplicate posts after %d kills; at most one per kill is in flight", dup, load.kills)
	}
	cards := 0
	for key := range posts {
		if strings.HasPrefix(key, "CTRIAGE\x00") {
			cards++
		}
	}
	if cards != load.reports {
		t.Errorf("%d distinct triage cards on Slack for %d tickets", cards, load.reports)
	}
}

func crashEmployee(i int) string { return fmt.Sprintf("UC%06d", i) }

// crashReport is employee i's one message: complete enough that the
// intake opens the ticket without a question.
func crashReport(i int) string {
	return fmt.Sprintf(`Outlook on my laptop says "Need password %d" since this morning. I restarted Outlook, no change. Just me, I can not work at all.`, i)
}

// crashHeard says whether channel got a post containing want.
func crashHeard(posts map[string]int, channel, want string) bool {
	for key := range posts {
		if ch, text, _ := strings.Cut(key, "\x00"); ch == channel && strings.Contains(text, want) {
			return true
		}
	}
	return false
}

// crashState is what the bot's database says.
type crashState struct {
	tickets     map[string]int // Slack user → tickets they requested
	requesters  int
	unsent      int // outbox rows not delivered
	sent        int
	triageCards int
	unhandled   int // inbox events not handled
	again       int // inbox events claimed more than once (a kill cut their handling)
	unsentRows  []string
}

func readCrashState(t *testing.T, path string) crashState {
	t.Helper()
	st := crashState{tickets: map[string]int{}}
	if _, err := os.Stat(path); err != nil {
		return st // not created yet
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, `SELECT requester_user_id, count(*) FROM tickets WHERE requester_platform = 'slack' GROUP BY requester_user_id`)
	if err != nil {
		return st // the schema is being made
	}
	for rows.Next() {
		var user string
		var n int
		if err := rows.Scan(&user, &n); err != nil {
			t.Fatal(err)
		}
		st.tickets[user] = n
	}
	rows.Close()
	st.requesters = len(st.tickets)
	rows, err = db.QueryContext(ctx, `SELECT key, to_channel_id, attempts, next_attempt, last_error FROM outbox WHERE sent_at IS NULL LIMIT 5`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var key, ch, last string
		var attempts, next int64
		if err := rows.Scan(&key, &ch, &attempts, &next, &last); err != nil {
			t.Fatal(err)
		}
		st.unsentRows = append(st.unsentRows, fmt.Sprintf("%s to %s: %d attempts, next %d, %q", key, ch, attempts, next, last))
	}
	rows.Close()
	for q, dst := range map[string]*int{
		`SELECT count(*) FROM outbox WHERE sent_at IS NULL`:                                   &st.unsent,
		`SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL`:                               &st.sent,
		`SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL AND to_channel_id = 'CTRIAGE'`: &st.triageCards,
	} {
		if err := db.QueryRowContext(ctx, q).Scan(dst); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// The inbox is a file of its own (sqlite.InboxPath). Reading the main
	// file's old inbox table instead saw every event handled, so the test
	// could stop the bot before an event a kill cut was handled again
	// (its claim runs out after the lease), and find its answer missing.
	inboxPath := sqlite.InboxPath(path)
	if _, err := os.Stat(inboxPath); err != nil {
		st.unhandled = 1 // not created yet: nothing is finished
		return st
	}
	idb, err := sql.Open("sqlite", "file:"+inboxPath+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer idb.Close()
	for q, dst := range map[string]*int{
		`SELECT count(*) FROM inbox WHERE handled_at IS NULL`: &st.unhandled,
		`SELECT count(*) FROM inbox WHERE attempts > 1`:       &st.again,
	} {
		if err := idb.QueryRowContext(ctx, q).Scan(dst); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return st
}

// crashLogTail is the end of the bot's log, to show with a failure.
func crashLogTail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 3000 {
		b = b[len(b)-3000:]
	}
	return "\n" + string(b)
}
