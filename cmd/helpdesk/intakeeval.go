package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot"
	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/cmd/helpdesk/config"
	"github.com/helpdesk-bot/helpdesk/kb"
	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/sqlite"
)

// runIntake runs "helpdesk intake eval".
func runIntake(ctx context.Context, args []string, e env) int {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprint(e.stdout, "Usage:\n  helpdesk intake eval --cases CASES.jsonl [--out RESULTS.jsonl] [--explain]\n\"helpdesk intake eval -h\" lists every flag.\n")
		return 0
	}
	if len(args) == 0 || args[0] != "eval" {
		fmt.Fprint(e.stderr, "helpdesk intake: the only subcommand is eval, e.g. helpdesk intake eval --cases ../shared/eval/intake-chat-dev.jsonl\n")
		return 2
	}
	return intakeEval(ctx, args[1:], e)
}

// intakeCase is one line of a cases file: a first message and, in the
// evaluation sets, its labels.
type intakeCase struct {
	ID     string       `json:"id"`
	Text   string       `json:"text"`
	Labels *caseLabels  `json:"labels"`
	result intakeResult // what the desk made of Text
	took   time.Duration
}

// caseLabels are the labels of both evaluation sets (see
// ../shared/eval/README.md): a chat case has Kind, an M365 case Errors.
type caseLabels struct {
	Kind        *string           `json:"kind"`
	Request     *string           `json:"request"`
	Category    *string           `json:"category"`
	AltCategory *string           `json:"alt_category"`
	Device      *string           `json:"device"`
	App         *string           `json:"app"`
	Error       *string           `json:"error"`
	Errors      []string          `json:"errors"`
	Started     *string           `json:"started"`
	Steps       []string          `json:"steps"`
	Impact      *string           `json:"impact"`
	Urgency     *string           `json:"urgency"`
	ThirdParty  bool              `json:"third_party"`
	Fields      map[string]string `json:"fields"`
}

// normalize makes an empty label null: the M365 set writes "" for "no
// error quoted".
func (l *caseLabels) normalize() {
	if l == nil {
		return
	}
	for _, p := range []**string{&l.Kind, &l.Request, &l.Category, &l.AltCategory, &l.Device, &l.App, &l.Error, &l.Started, &l.Impact, &l.Urgency} {
		if *p != nil && strings.TrimSpace(**p) == "" {
			*p = nil
		}
	}
}

// intakeResult is one line of --out: what intake made of a first message.
type intakeResult struct {
	ID         string            `json:"id"`
	Kind       string            `json:"kind"`
	Request    *string           `json:"request"`
	Category   *string           `json:"category"`
	Device     *string           `json:"device"`
	App        *string           `json:"app"`
	Error      *string           `json:"error"`
	Started    *string           `json:"started"`
	Steps      []string          `json:"steps"`
	Impact     *string           `json:"impact"`
	Urgency    *string           `json:"urgency"`
	ThirdParty bool              `json:"third_party"`
	Fields     map[string]string `json:"fields"`
	Asks       []string          `json:"asks"`
}

// intakeEval sends each case's text as the first message of a new person
// to a real desk on a temporary SQLite database, reads what intake stored
// and would ask next, writes it per case to --out, and with labels prints
// the figures of ../shared/eval/README.md.
func intakeEval(ctx context.Context, args []string, e env) int {
	fs := flag.NewFlagSet("intake eval", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	casesPath := fs.String("cases", "", "first messages, JSONL: {\"id\",\"text\",\"labels\"?} per line")
	outPath := fs.String("out", "", "write one JSON line per case here: what intake stored and would ask")
	configPath := fs.String("config", "", "config file whose catalog and kb.dir the desk uses (default: built in)")
	explain := fs.Bool("explain", false, "print each case whose fields or questions miss their labels, field by field")
	id := fs.String("id", "", "with --explain: this case only, hit or miss")
	limit := fs.Int("limit", 20, "with --explain: how many cases to print")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *casesPath == "" {
		fmt.Fprint(e.stderr, "helpdesk intake eval: --cases is needed, e.g. helpdesk intake eval --cases ../shared/eval/intake-chat-dev.jsonl\n")
		return 2
	}
	if *limit < 1 {
		fmt.Fprintf(e.stderr, "helpdesk intake eval: --limit %d is out of range; use 1 or more\n", *limit)
		return 2
	}
	cfg, err := config.Load(*configPath)
	if err != nil {
		fmt.Fprintf(e.stderr, "helpdesk intake eval: %v\n", err)
		return 1
	}
	cases, err := loadCases(*casesPath)
	if err != nil {
		fmt.Fprintf(e.stderr, "helpdesk intake eval: %v\n", err)
		return 1
	}
	if err := runCases(ctx, cfg, cases, e.now); err != nil {
		fmt.Fprintf(e.stderr, "helpdesk intake eval: %v\n", err)
		return 1
	}
	if *outPath != "" {
		if err := writeResults(*outPath, cases); err != nil {
			fmt.Fprintf(e.stderr, "helpdesk intake eval: %v\n", err)
			return 1
		}
	}
	if *explain {
		return explainCases(e.stdout, e.stderr, cases, *id, *limit)
	}
	writeFigures(e.stdout, cases)
	return 0
}

// loadCases reads a cases file; a line without an id or text is an error
// that names the line.
func loadCases(path string) ([]*intakeCase, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []*intakeCase
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var c intakeCase
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			return nil, fmt.Errorf("%s line %d: %w; each line must be a JSON object {\"id\",\"text\"}", path, n, err)
		}
		if c.ID == "" || strings.TrimSpace(c.Text) == "" {
			return nil, fmt.Errorf("%s line %d: a case needs a non-empty \"id\" and \"text\"", path, n)
		}
		if seen[c.ID] {
			return nil, fmt.Errorf("%s line %d: id %q is used twice; give each case its own", path, n, c.ID)
		}
		seen[c.ID] = true
		c.Labels.normalize()
		out = append(out, &c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s holds no cases", path)
	}
	return out, nil
}

// runCases builds a desk on a temporary database, as the running program
// builds it from cfg, and sends each case as a new person's first message
// in a direct message; each person is new, so no case sees another's.
func runCases(ctx context.Context, cfg config.Config, cases []*intakeCase, now func() time.Time) error {
	dir, err := os.MkdirTemp("", "helpdesk-intake-eval-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	store, err := sqlite.Open(ctx, filepath.Join(dir, "eval.db"))
	if err != nil {
		return fmt.Errorf("temporary database: %w", err)
	}
	defer store.Close()
	arts, _, err := loadKB(cfg.KBDir)
	if err != nil {
		return err
	}
	// The live index, as the bot serves it (built-in or kb.dir articles
	// and the database's published ones).
	index, err := kb.OpenLive(ctx, arts, store)
	if err != nil {
		return err
	}
	start := now()
	core, err := bot.New(store, index, cfg.Bot, bot.Options{Now: func() time.Time { return start }, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	for i, c := range cases {
		user := tickets.Person{Platform: "eval", UserID: fmt.Sprintf("u%d", i), Name: "Eval " + c.ID}
		m := chat.Message{Platform: "eval", ChannelID: "dm-" + user.UserID, User: user, Text: c.Text, DM: true}
		t0 := time.Now()
		core.Handle(ctx, m)
		c.took = time.Since(t0)
		v, err := core.IntakeView(ctx, m.Place(), user)
		if err != nil && tickets.ErrorCode(err) != tickets.ENOTFOUND {
			return fmt.Errorf("case %s: %w", c.ID, err)
		}
		c.result = resultOf(c.ID, v)
	}
	return nil
}

// resultOf turns a view into the result line; empty values are null.
func resultOf(id string, v bot.IntakeView) intakeResult {
	str := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	r := intakeResult{ID: id, Kind: string(v.Kind), Request: str(v.Request), Category: str(string(v.Category)),
		Device: str(v.Device), App: str(v.App), Error: str(v.Error), Started: str(v.Started), Steps: v.Steps,
		Impact: str(string(v.Impact)), Urgency: str(string(v.Urgency)), ThirdParty: v.ThirdParty, Fields: v.Fields, Asks: v.Asks}
	if r.Kind == "" {
		r.Kind = string(tickets.KindIncident)
	}
	if r.Steps == nil {
		r.Steps = []string{}
	}
	if r.Fields == nil {
		r.Fields = map[string]string{}
	}
	if r.Asks == nil {
		r.Asks = []string{}
	}
	return r
}

// writeResults writes one JSON line per case to path.
func writeResults(path string, cases []*intakeCase) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, c := range cases {
		if err := enc.Encode(c.result); err != nil {
			return err
		}
	}
	return w.Flush()
}

// explainCases prints the cases that miss a label (or case id), each
// field as labelled and as found.
func explainCases(w, errw io.Writer, cases []*intakeCase, id string, limit int) int {
	n := 0
	for _, c := range cases {
		if id != "" && c.ID != id {
			continue
		}
		misses := caseMisses(c)
		if id == "" && len(misses) == 0 {
			continue
		}
		fmt.Fprintf(w, "%s: %s\n", c.ID, oneLine(c.Text, 300))
		if c.Labels == nil {
			fmt.Fprintln(w, "  (no labels)")
		}
		for _, m := range misses {
			fmt.Fprintf(w, "  %s\n", m)
		}
		fmt.Fprintf(w, "  asks: %s\n\n", strings.Join(c.result.Asks, ", "))
		if n++; n >= limit {
			break
		}
	}
	if n == 0 {
		if id != "" {
			fmt.Fprintf(errw, "helpdesk intake eval: no case has id %q\n", id)
			return 1
		}
		fmt.Fprintln(w, "Every case matches its labels; give --id ID to see one.")
	}
	return 0
}

// oneLine shows text on one line, cut at max runes.
func oneLine(text string, max int) string {
	s := strings.Join(strings.Fields(text), " ")
	if r := []rune(s); len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}

// percentiles returns the p50 and p99 of ds.
func percentiles(ds []time.Duration) (p50, p99 time.Duration) {
	if len(ds) == 0 {
		return 0, 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2], s[min(len(s)-1, len(s)*99/100)]
}
