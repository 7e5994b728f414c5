package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/helpdesk-bot/helpdesk/bot"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// The example must load and say exactly what the defaults are, or it
// documents a config that does not exist.
func TestExampleConfigMatchesDefaults(t *testing.T) {
	example, err := Load(filepath.Join("..", "..", "..", "config.example.yaml"))
	if err != nil {
		t.Fatalf("config.example.yaml: %v", err)
	}
	defaults, err := Load("")
	if err != nil {
		t.Fatalf("defaults: %v", err)
	}
	byName := cmp.Comparer(func(a, b *time.Location) bool { return a.String() == b.String() })
	if diff := cmp.Diff(defaults, example, byName); diff != "" {
		t.Errorf("config.example.yaml differs from the built-in defaults (-defaults +example):\n%s", diff)
	}
}

func TestOverrides(t *testing.T) {
	cfg, err := load(t, `
data_dir: /tmp/hd
sla:
  P1: {response: 5m, resolution: 1h}
priority_matrix:
  low: {low: P3}
agents:
  - {name: Sam, ids: ["slack:U1", "console:sam"], tier: 2, role: manager}
`)
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Bot.SLA[tickets.P1]; got.Response != 5*time.Minute || got.Resolution != time.Hour {
		t.Errorf("sla P1 = %+v", got)
	}
	if got := cfg.Bot.SLA[tickets.P2].Response; got != time.Hour {
		t.Errorf("sla P2 response kept default? got %v", got)
	}
	if got := cfg.Bot.Matrix.Priority(tickets.Low, tickets.Low); got != tickets.P3 {
		t.Errorf("matrix low/low = %v", got)
	}
	if cfg.Database != filepath.Join("/tmp/hd", "helpdesk.db") {
		t.Errorf("database = %q", cfg.Database)
	}
	if len(cfg.Bot.Agents) != 1 || cfg.Bot.Agents[0].Tier != 2 {
		t.Errorf("agents = %+v", cfg.Bot.Agents)
	}
}

// A malformed config names the key at fault and says how to fix it.
func TestErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"unknown key", "databse: x.db\n", []string{"line 1", `unknown setting "databse"`, "config.example.yaml"}},
		{"nested unknown key", "kb:\n  folder: x\n", []string{"line 2", `"folder"`}},
		{"bad duration", "sla:\n  P1: {response: soon}\n", []string{"sla.P1.response", `"soon"`, "15m"}},
		{"bad priority key", "sla:\n  P7: {response: 1h}\n", []string{"sla.P7", "P1, P2, P3 and P4"}},
		{"resolution before response", "sla:\n  P2: {response: 2h, resolution: 1h}\n", []string{"sla.P2", "shorter"}},
		{"bad matrix level", "priority_matrix:\n  huge: {high: P1}\n", []string{"priority_matrix.huge", "high, medium or low"}},
		{"bad matrix priority", "priority_matrix:\n  high: {high: P0}\n", []string{"priority_matrix.high.high", "P1, P2, P3 or P4"}},
		{"bad agent id", "agents:\n  - {name: A, ids: [dana]}\n", []string{"agents[0].ids", "PLATFORM:USER_ID"}},
		{"bad agent group", "agents:\n  - {name: A, groups: [S0123]}\n", []string{"agents[0].groups", "slack:S0123ABC"}},
		{"bad timezone", "schedule:\n  timezone: Mars/Olympus\n", []string{"schedule.timezone", "IANA name"}},
		{"bad cron", "schedule:\n  agent_digest: every morning\n", []string{"schedule.agent_digest", "@every 1m"}},
		{"unknown job", "schedule:\n  agent_digets: \"0 8 * * *\"\n", []string{"schedule.agent_digets", "unknown setting", "timezone", "agent_digest, manager_summary"}},
		{"bad warn share", "followups:\n  sla_warn_at: 1.5\n", []string{"followups.sla_warn_at", "between 0 and 1"}},
		{"bad status priority", "followups:\n  status_every: {P9: 1h}\n", []string{"followups.status_every", "P1, P2"}},
		{"bad on-call agent", "on_call:\n  agents: [tom]\n", []string{"on_call.agents", "PLATFORM:USER_ID"}},
		{"bad on-call notify", "on_call:\n  notify: pager\n", []string{"on_call.notify", "use dm", "mention (a mention in the triage thread)", "or off"}},
		{"bad on-call priority", "on_call:\n  priorities: [urgent]\n", []string{"on_call.priorities", "P1, P2"}},
		{"bad macro placeholder", "macros:\n  hi: \"Hello {name}\"\n", []string{"macros.hi", "{name} is not a placeholder", "{requester}"}},
		{"bad macro name", "macros:\n  \"a b\": hi\n", []string{"macros.a b", "not a macro name"}},
		{"bad business day", "business_hours:\n  days: [funday]\n", []string{"business_hours.days", "mon, tue"}},
		{"business end before start", "business_hours:\n  days: [mon]\n  start: \"17:00\"\n  end: \"09:00\"\n", []string{"business_hours.end", "not after start"}},
		{"bad holiday", "business_hours:\n  days: [mon]\n  holidays: [christmas]\n", []string{"business_hours.holidays", "2026-12-25"}},
		{"bad give up", "outbox:\n  give_up_after: soon\n", []string{"outbox.give_up_after"}},
		{"bad keep sent", "outbox:\n  keep_sent: forever\n", []string{"outbox.keep_sent", "72h"}},
		{"bad synchronous", "sqlite:\n  synchronous: off\n", []string{"sqlite.synchronous", "full", "normal"}},
		{"bad storm reports", "storm:\n  reports: 1\n", []string{"storm.reports", "2 to 10000", "0 to never"}},
		{"bad storm window", "storm:\n  window: soon\n", []string{"storm.window", "15m"}},
		{"bad spike factor", "security_alert:\n  factor: 0.5\n", []string{"security_alert.factor", "3"}},
		{"bad team tier", "teams:\n  - {name: network, tier: 1}\n", []string{"teams[0].tier", "use 2 or 3"}},
		{"team half a place", "teams:\n  - {name: network, tier: 2, channel: C1}\n", []string{"teams[0]", "both platform and channel"}},
		{"agent without name", "agents:\n  - {ids: [console:a]}\n", []string{"agents[0].name"}},
		{"bad tier", "agents:\n  - {name: A, ids: [console:a], tier: 5}\n", []string{"agents[0].tier", "1, 2 or 3"}},
		{"bad role", "agents:\n  - {name: A, ids: [console:a], role: boss}\n", []string{"agents[0].role"}},
		{"bad log level", "log: {level: loud}\n", []string{"log.level", "debug, info, warn or error"}},
		{"wrong type", "workers: many\n", []string{"wrong kind of value", "workers", "a whole number"}},
		{"list for a section", "kb: [1, 2]\n", []string{"kb: a list is the wrong kind of value here", "settings of its own"}},
		{"section for a list", "agents: {name: x}\n", []string{"agents: a section is the wrong kind of value here", "a list, like [a, b]"}},
		{"section for a number, inside", "kb: {suggestions: {a: 1}}\n", []string{"kb.suggestions: a section is the wrong kind of value here", "a whole number"}},
		{"two on one line", "kb: {suggestions: {a: 1}, min_score: {b: 2}}\n", []string{"kb.suggestions: a section is the wrong kind of value here: it takes a whole number", "kb.min_score: a section is the wrong kind of value here: it takes a number"}},
		{"a list for the file", "- a\n", []string{"the file: a list is the wrong kind of value here"}},
		{"a valid section beside a wrong one", "{sla: {P1: {response: 15m}}, kb: {suggestions: {a: 1}}}\n", []string{"kb.suggestions: a section is the wrong kind of value here"}},
		{"a deeper section inside a wrong one", "kb: {suggestions: {a: {x: 1}}, min_score: {b: 2}}\n", []string{"kb.suggestions: a section", "kb.min_score: a section"}},
		{"a list in a list", "agents: [[1]]\n", []string{"agents[0]: a list is the wrong kind of value here"}},
		{"inside a map of sections", "priority_matrix: {high: {high: {x: 1}}}\n", []string{"priority_matrix.high.high: a section is the wrong kind of value here"}},
		{"beside a nested section", "followups: {status_every: {P1: 30m}, sla_warn_at: {x: 1}}\n", []string{"followups.sla_warn_at: a section is the wrong kind of value here"}},
		{"sla target not a section", "sla:\n  P1: 15m\n", []string{"sla.P1: 15m is the wrong kind of value here", "P1: {response: 15m, resolution: 4h}"}},
		{"negative duration", "sla:\n  P1: {response: -15m}\n", []string{"sla.P1.response: -15m is negative", "positive duration like 30s"}},
		{"not yaml", "a: [b\n", []string{"not valid YAML"}},
		{"unknown key with a space", "llm base_url: x\n", []string{"line 1", `unknown setting "llm base_url"`}},
		{"tab indent", "llm:\n\tbase_url: http://x/v1\n", []string{"line 2", "not valid YAML", "indented with a tab", "spaces only"}},
		{"over-indented key", "llm:\n  base_url: http://x/v1\n   model: x\n", []string{"line 3", "not valid YAML", "indented like the other keys"}},
		{"under-indented key", "kb:\n  suggestions: 3\n dir: x\n", []string{"line 2", "indented differently", "same number of spaces"}},
		{"unclosed brace", "llm: {base_url: \"http://x/v1\", timeout: 60s\n", []string{"line 1", "is not closed"}},
		{"unclosed quote", "llm:\n  base_url: \"http://x/v1\n", []string{"line 2", "never closed"}},
		{"catalog without fields", "catalog:\n  - {name: x, keywords: [y]}\n", []string{"catalog[0].fields"}},
		{"catalog duplicate", "catalog:\n  - {name: x, keywords: [y], fields: [{name: a, question: b}]}\n  - {name: x, keywords: [y], fields: [{name: a, question: b}]}\n", []string{"catalog[1].name", "twice"}},
		{"bad category", "catalog:\n  - {name: x, category: toys, keywords: [y], fields: [{name: a, question: b}]}\n", []string{"catalog[0].category", `"toys"`}},
		{"bad window", "intake: {duplicate_window: -1h}\n", []string{"intake.duplicate_window"}},
		{"bad suggestions", "kb: {suggestions: 50}\n", []string{"kb.suggestions", "1 to 10"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(t, tt.yaml)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			// The admin reads settings, not the program's types.
			for _, leak := range []string{"!!", "unmarshal", "Section", " into "} {
				if strings.Contains(err.Error(), leak) {
					t.Errorf("error %q shows the decoder's %q", err, leak)
				}
			}
		})
	}
}

func TestMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"))
	if err == nil || !strings.Contains(err.Error(), "nope.yaml") {
		t.Fatalf("err = %v, want it to name the file", err)
	}
}

func TestEmptyFileIsDefaults(t *testing.T) {
	cfg, err := load(t, "# nothing\n")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Workers != DefaultWorkers || cfg.Bot.Triage.ChannelID != "triage" {
		t.Errorf("defaults not applied: %+v", cfg)
	}
}

// load writes yaml to a config file and loads it.
// TestValueErrorsNameTheLine: a value the decoder took but a check refused
// names its line, as a syntax or shape error does; one an environment
// variable set names the variable instead.
func TestValueErrorsNameTheLine(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		env        map[string]string
		want, not  string
	}{
		{name: "llm budget", yaml: "kb:\n  suggestions: 3\nllm:\n  model: x\n  budget: fast\n", want: "line 5: llm.budget: "},
		{name: "agent tier", yaml: "agents:\n  - {name: A, ids: [console:a]}\n  - name: B\n    ids: [console:b]\n    tier: 9\n", want: "line 5: agents[1].tier: 9 is not a tier"},
		{name: "flow style", yaml: "sla: {P2: {response: 2h, resolution: 1h}}\n", want: "line 1: sla.P2"},
		{name: "list item", yaml: "teams:\n  - {name: network, tier: 2}\n  - {name: apps, tier: 2, channel: C1}\n", want: "line 3: teams[1]: "},
		{name: "top-level value", yaml: "data_dir: x\nworkers: 500\n", want: "line 2: workers: 500 is out of range"},
		{name: "set by a variable", yaml: "llm:\n  budget: 1s\n", env: map[string]string{"HELPDESK_LLM_BUDGET": "fast"}, want: "HELPDESK_LLM_BUDGET: llm.budget", not: "line"},
		{name: "a list set by a variable", yaml: "agents:\n  - {name: A, ids: [console:a], tier: 2}\n", env: map[string]string{"HELPDESK_AGENTS": "[{name: B, ids: [console:b], tier: 9}]"},
			want: "HELPDESK_AGENTS: agents[0].tier", not: "line"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadEnv(t, tc.yaml, tc.env)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
			if tc.not != "" && strings.Contains(err.Error(), tc.not) {
				t.Errorf("error %q says %q", err, tc.not)
			}
		})
	}
}

func load(t *testing.T, yaml string) (Config, error) {
	t.Helper()
	return loadEnv(t, yaml, nil)
}

// loadEnv writes yaml to a config file and loads it with the environment
// vars.
func loadEnv(t *testing.T, yaml string, vars map[string]string) (Config, error) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(p, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return LoadEnv(p, func(k string) string { return vars[k] })
}

// Every job of the desk has a schedule: its own default, the config's
// cron spec, or none when the config says off.
func TestScheduleJobs(t *testing.T) {
	cfg, err := load(t, "schedule:\n  timezone: Europe/Berlin\n  kb_audit: off\n  prune: \"0 4 * * *\"\n")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Schedule.Location.String() != "Europe/Berlin" {
		t.Errorf("location = %v", cfg.Schedule.Location)
	}
	// Without business hours the desk still shows times on this clock.
	if cfg.Bot.Location != cfg.Schedule.Location {
		t.Errorf("the desk's time zone = %v, want the schedule's", cfg.Bot.Location)
	}
	for _, j := range bot.Jobs() {
		want := j.Spec
		switch j.Name {
		case "kb_audit":
			want = ""
		case "prune":
			want = "0 4 * * *"
		}
		if got, ok := cfg.Schedule.Specs[j.Name]; !ok || got != want {
			t.Errorf("%s: spec %q (set %v), want %q", j.Name, got, ok, want)
		}
	}
}

// -data moves what lives in the data directory by default, and nothing
// the config placed elsewhere.
func TestWithDataDir(t *testing.T) {
	def, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	moved := def.WithDataDir("/srv/hd")
	if moved.DataDir != "/srv/hd" || moved.Database != filepath.Join("/srv/hd", "helpdesk.db") || moved.LogFile != filepath.Join("/srv/hd", "helpdesk.log") {
		t.Errorf("defaults moved to %+v", moved)
	}
	placed, err := load(t, "database: postgres://db/helpdesk\nlog: {file: /var/log/helpdesk.log}\n")
	if err != nil {
		t.Fatal(err)
	}
	moved = placed.WithDataDir("/srv/hd")
	if moved.Database != "postgres://db/helpdesk" || moved.LogFile != "/var/log/helpdesk.log" {
		t.Errorf("settings moved: %+v", moved)
	}
}

func TestBusinessHoursDays(t *testing.T) {
	cfg, err := load(t, "business_hours:\n  days: [Monday, TUE, \" wed \"]\n")
	if err != nil {
		t.Fatal(err)
	}
	cal := cfg.Bot.Calendar
	for d := time.Sunday; d <= time.Saturday; d++ {
		if want := d >= time.Monday && d <= time.Wednesday; cal.Days[d] != want {
			t.Errorf("%s: working %v, want %v", d, cal.Days[d], want)
		}
	}
	if cal.Start != 9*time.Hour || cal.End != 17*time.Hour {
		t.Errorf("hours %v to %v, want the 09:00 to 17:00 default", cal.Start, cal.End)
	}
}

// TestNestedSectionsListed holds nestedSection to the file's types: every
// setting below the top level whose value is a section (a struct or a
// map) matches it, and nothing else does.
func TestNestedSectionsListed(t *testing.T) {
	isSection := func(ty reflect.Type) bool {
		for ty.Kind() == reflect.Pointer {
			ty = ty.Elem()
		}
		return ty.Kind() == reflect.Struct || ty.Kind() == reflect.Map
	}
	name := func(f reflect.StructField) string { return strings.Split(f.Tag.Get("yaml"), ",")[0] }
	top := reflect.TypeFor[file]()
	for i := range top.NumField() {
		f := top.Field(i)
		ty := f.Type
		for ty.Kind() == reflect.Pointer {
			ty = ty.Elem()
		}
		switch ty.Kind() {
		case reflect.Map: // sla: {P1: {…}}: its entries are sections if its values are
			if got, want := nestedSection.MatchString(name(f)+".x"), isSection(ty.Elem()); got != want {
				t.Errorf("%s.x: nestedSection %v, want %v", name(f), got, want)
			}
		case reflect.Struct:
			for j := range ty.NumField() {
				g := ty.Field(j)
				if name(g) == "" {
					continue // inline
				}
				path := name(f) + "." + name(g)
				if got, want := nestedSection.MatchString(path), isSection(g.Type); got != want {
					t.Errorf("%s: nestedSection %v, want %v", path, got, want)
				}
			}
		}
	}
}
