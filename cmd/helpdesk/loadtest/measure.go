package loadtest

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/helpdesk-bot/helpdesk/adapters/slack/slackfake"
)

// Report is what one run measured.
type Report struct {
	Options Options
	// Elapsed is the whole run; Active the time from its start to the
	// last answer an employee got, which throughput is measured over.
	Elapsed, Active time.Duration
	// Messages is the employees' messages and button presses the bot
	// answered; Unanswered those it did not within the wait.
	Messages, Unanswered int
	// Conversations finished with a ticket (or, in a storm, with an
	// answer), and those that went astray (an unexpected answer).
	Tickets, Astray int
	// Strays are the bot's last words to the first conversations that
	// went astray.
	Strays []string
	// Claims and Resolves are the agents' actions sent.
	Claims, Resolves int
	// Cards is the triage cards posted by the end of the run.
	Cards int
	// Ack and Reply are event→acknowledgement and event→first answer.
	Ack, Reply []time.Duration
	// ReplySent is when each of Reply's messages was written, in the same
	// order (Reply is sorted in place when printed, so it keeps its own
	// copy): the report splits event→reply by when in the run it came.
	ReplySent []Timed
	// LastReport→LastPost is how long the bot kept posting after the last
	// employee message (a storm's drain).
	Drain time.Duration
	// Limits are the fake's limits in words when they are not Slack's
	// (Options.Limits).
	Limits string
	// Fake is what the fake platform saw.
	Fake slackfake.Stats
	// CPU is the process's user+system time during the run; RSS its peak
	// resident set (the whole process: bot, fake and drivers); DBBytes
	// the database with its WAL at the end.
	CPU     time.Duration
	PeakRSS int64
	DBBytes int64
	// Load is the machine's load average at the end (other processes
	// share the CPUs: figures under load are slower than the bot is).
	Load string
}

// loadAverage is the 1-minute load average and the CPU count, for the
// report: on a shared machine latencies follow other processes' load.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "unknown"
	}
	return fmt.Sprintf("%s on %d CPUs", f[0], runtime.NumCPU())
}

// samples collects latencies from many goroutines.
type samples struct {
	mu    sync.Mutex
	ack   []time.Duration
	rep   []time.Duration
	timed []Timed
}

// Timed is one latency and when its message was written.
type Timed struct {
	Sent    time.Time
	Latency time.Duration
}

func (s *samples) addAck(d time.Duration) {
	s.mu.Lock()
	s.ack = append(s.ack, d)
	s.mu.Unlock()
}

// addReply records the first answer to a message written at sent.
func (s *samples) addReply(sent time.Time, d time.Duration) {
	s.mu.Lock()
	s.rep = append(s.rep, d)
	s.timed = append(s.timed, Timed{Sent: sent, Latency: d})
	s.mu.Unlock()
}

// phases splits timed by when its messages were written, in spans of
// step from the first: a run's first seconds (every employee's first
// message at once) read apart from the steady part after them.
func phases(timed []Timed, step time.Duration) string {
	if len(timed) == 0 {
		return "—"
	}
	first := timed[0].Sent
	for _, t := range timed {
		if t.Sent.Before(first) {
			first = t.Sent
		}
	}
	var spans [][]time.Duration
	for _, t := range timed {
		i := int(t.Sent.Sub(first) / step)
		for len(spans) <= i {
			spans = append(spans, nil)
		}
		spans[i] = append(spans[i], t.Latency)
	}
	var parts []string
	for i, d := range spans {
		if len(d) == 0 {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s–%s: %s / %s (%d)", step*time.Duration(i), step*time.Duration(i+1), pct(d, 0.5), pct(d, 0.99), len(d)))
	}
	return strings.Join(parts, "; ")
}

// cpuTime is the process's user+system CPU time so far, and its peak RSS.
func cpuTime() (time.Duration, int64) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, 0
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return cpu, ru.Maxrss * 1024 // Linux reports kilobytes
}

// dbSize is the size of the SQLite files in dir: the database and its
// inbox (sqlite.InboxPath), each with its WAL.
func dbSize(dir string) int64 {
	var n int64
	for _, name := range []string{"helpdesk.db", "helpdesk.db-wal", "helpdesk-inbox.db", "helpdesk-inbox.db-wal"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err == nil {
			n += fi.Size()
		}
	}
	return n
}

// pct is the p-th quantile of d (sorted in place), in milliseconds.
func pct(d []time.Duration, p float64) string {
	if len(d) == 0 {
		return "—"
	}
	slices.Sort(d)
	v := d[min(len(d)-1, int(p*float64(len(d))))]
	return fmt.Sprintf("%.1f ms", float64(v.Microseconds())/1000)
}

// Print writes the report for a person to read.
func (r *Report) Print(w io.Writer) {
	o := r.Options
	mode := fmt.Sprintf("%d employees at once, %d conversations", o.Employees, o.Reports)
	if o.Storm != "" {
		mode = fmt.Sprintf("storm: %d reports of %q", o.Reports, o.Storm)
	}
	rate := "as fast as answers come"
	if o.Rate > 0 {
		rate = fmt.Sprintf("paced at %.0f msgs/s", o.Rate)
	}
	fmt.Fprintf(w, "helpdesk bench — %s over %s, API round trip %s, %s, %s to think, %d agents\n", mode, o.Platform, o.Latency, rate, o.Think, o.Agents)
	limits := r.Limits
	if limits == "" {
		limits = limitsText(o.Limits)
	}
	fmt.Fprintf(w, "  limits: %s\n", limits)
	secs := r.Elapsed.Seconds()
	active := max(r.Active.Seconds(), 1e-3)
	fmt.Fprintf(w, "  elapsed            %.1f s (%.1f s until the last answer to an employee)\n", secs, active)
	fmt.Fprintf(w, "  messages answered  %d (%.0f msgs/s), unanswered %d\n", r.Messages, float64(r.Messages)/active, r.Unanswered)
	fmt.Fprintf(w, "  conversations      %d done, %d astray; agents: %d claims, %d resolves\n", r.Tickets, r.Astray, r.Claims, r.Resolves)
	for _, s := range r.Strays {
		fmt.Fprintf(w, "    astray after: %.120q\n", s)
	}
	fmt.Fprintf(w, "  event→ack          p50 %s, p99 %s, max %s\n", pct(r.Ack, 0.5), pct(r.Ack, 0.99), pct(r.Ack, 1))
	fmt.Fprintf(w, "  event→reply        p50 %s, p99 %s, max %s\n", pct(r.Reply, 0.5), pct(r.Reply, 0.99), pct(r.Reply, 1))
	fmt.Fprintf(w, "    by when written  p50 / p99 (messages): %s\n", phases(r.ReplySent, 10*time.Second))
	fmt.Fprintf(w, "  drain              %.1f s from the last employee message to the bot's last post; %d triage cards posted for %d tickets\n", r.Drain.Seconds(), r.Cards, r.Tickets)
	peakCh, peak, busiest := "", 0, 0
	for ch, n := range r.Fake.PeakPerSecond {
		if n > peak {
			peakCh, peak = ch, n
		}
		busiest = max(busiest, r.Fake.Posts[ch])
	}
	fmt.Fprintf(w, "  posts per channel  peak %d in one second (%s); triage: peak %d/s, %d posts, %.2f/s average\n",
		peak, peakCh, r.Fake.PeakPerSecond[triageChannel], r.Fake.Posts[triageChannel], float64(r.Fake.Posts[triageChannel])/secs)
	fmt.Fprintf(w, "  API calls          %s\n", callsText(r.Fake))
	perMsg := 0.0
	if r.Messages > 0 {
		perMsg = float64(r.CPU.Microseconds()) / 1000 / float64(r.Messages)
	}
	fmt.Fprintf(w, "  CPU                %.1f s (%.0f%% of one core, %.2f ms per message; bot, fake and drivers together); load average %s\n",
		r.CPU.Seconds(), 100*r.CPU.Seconds()/secs, perMsg, r.Load)
	fmt.Fprintf(w, "  peak RSS           %.0f MB (the whole process)\n", float64(r.PeakRSS)/(1<<20))
	fmt.Fprintf(w, "  database           %.1f MB\n", float64(r.DBBytes)/(1<<20))
}

func limitsText(l slackfake.Limits) string {
	var parts []string
	if l.PerChannel.On() {
		parts = append(parts, fmt.Sprintf("%.3g/s per channel (burst %d)", l.PerChannel.PerSecond, l.PerChannel.Burst))
	}
	if len(l.Tiers) > 0 {
		parts = append(parts, "Slack's method tiers")
	}
	if l.Global.On() {
		parts = append(parts, fmt.Sprintf("%.3g/s in all (burst %d)", l.Global.PerSecond, l.Global.Burst))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ") + "; 429 with Retry-After over them"
}

func callsText(s slackfake.Stats) string {
	methods := make([]string, 0, len(s.Calls))
	for m := range s.Calls {
		methods = append(methods, m)
	}
	sort.Strings(methods)
	var parts []string
	for _, m := range methods {
		p := fmt.Sprintf("%s %d", m, s.Calls[m])
		if n := s.Limited[m]; n > 0 {
			p += fmt.Sprintf(" (%d refused 429)", n)
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}
