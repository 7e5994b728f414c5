package config

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

var update = flag.Bool("update", false, "rewrite docs/environment.md from the schema")

// Every setting of config.example.yaml has its variable: the key's own, or
// its section's for a structured one (agents, sla…), and no two share a
// name.
func TestEveryKeyHasAVariable(t *testing.T) {
	example, err := os.ReadFile(filepath.Join("..", "..", "..", "config.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	vars := EnvVars()
	byKey := map[string]EnvVar{}
	names := map[string]bool{}
	for _, v := range vars {
		if names[v.Name] {
			t.Errorf("two settings map to %s", v.Name)
		}
		names[v.Name] = true
		byKey[v.Key] = v
	}
	for key := range keyLines(example) {
		if strings.Contains(key, "[") {
			continue // inside a list, which its section's variable sets
		}
		k := key
		for {
			if _, ok := byKey[k]; ok {
				break
			}
			i := strings.LastIndex(k, ".")
			if i < 0 {
				// a section heading, such as log: or slack:
				if !slices.ContainsFunc(vars, func(v EnvVar) bool { return strings.HasPrefix(v.Key, key+".") }) {
					t.Errorf("%s in config.example.yaml has no environment variable", key)
				}
				break
			}
			k = k[:i]
		}
	}
	for key, want := range map[string]string{
		"http.addr": "HELPDESK_HTTP_ADDR", "data_dir": "HELPDESK_DATA_DIR", "log.level": "HELPDESK_LOG_LEVEL",
		"schedule.timers": "HELPDESK_SCHEDULE_TIMERS", "agents": "HELPDESK_AGENTS", "slack.help_channels": "HELPDESK_SLACK_HELP_CHANNELS",
		"kb.min_score": "HELPDESK_KB_MIN_SCORE", "channels.manager.channel": "HELPDESK_CHANNELS_MANAGER_CHANNEL",
	} {
		if byKey[key].Name != want {
			t.Errorf("%s: variable %q, want %s", key, byKey[key].Name, want)
		}
	}
}

// The environment wins over the file, setting by setting, in each
// setting's own form.
func TestEnvOverrides(t *testing.T) {
	file := `
http: {addr: ":8080"}
workers: 2
sla:
  P2: {response: 2h, resolution: 16h}
schedule:
  agent_digest: "0 7 * * 1-5"
`
	env := map[string]string{
		"HELPDESK_HTTP_ADDR":              "127.0.0.1:9090",
		"HELPDESK_WORKERS":                " 8 ",
		"HELPDESK_SCHEDULE_AGENT_DIGEST":  "*/30 9-17 * * 1-5",
		"HELPDESK_SCHEDULE_KB_AUDIT":      "off",
		"HELPDESK_SLACK_HELP_CHANNELS":    "C0HELP1, G0PRIV2",
		"HELPDESK_SLACK_SOCKET_MODE":      "false",
		"HELPDESK_DISCORD_GUILDS":         `["123456789012345678"]`,
		"HELPDESK_AGENTS":                 `[{name: Sam, ids: ["console:sam"], tier: 2}]`,
		"HELPDESK_SLA":                    `{P1: {response: 5m, resolution: 1h}}`,
		"HELPDESK_KB_MIN_SCORE":           "0.3",
		"HELPDESK_DATABASE_URL":           "postgres://hd@db/helpdesk",
		"HELPDESK_FOLLOWUPS_STATUS_EVERY": "{P4: off}",
	}
	cfg, err := loadEnv(t, file, env)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		what      string
		got, want any
	}{
		{"http.addr", cfg.HTTPAddr, "127.0.0.1:9090"},
		{"workers", cfg.Workers, 8},
		{"agent_digest", cfg.Schedule.Specs["agent_digest"], "*/30 9-17 * * 1-5"},
		{"kb_audit", cfg.Schedule.Specs["kb_audit"], ""},
		{"help channels", fmt.Sprint(cfg.Slack.HelpChannels), "[C0HELP1 G0PRIV2]"},
		{"socket mode", cfg.Slack.SocketMode, false},
		{"guilds", fmt.Sprint(cfg.Discord.Guilds), "[123456789012345678]"},
		{"agents", fmt.Sprintf("%s %d", cfg.Bot.Agents[0].Name, cfg.Bot.Agents[0].Tier), "Sam 2"},
		{"sla P1 from the environment", cfg.Bot.SLA[tickets.P1].Resolution, time.Hour},
		{"sla P2 from the file", cfg.Bot.SLA[tickets.P2].Resolution, 16 * time.Hour},
		{"kb.min_score", cfg.Bot.KBMinScore, 0.3},
		{"database by its older name", cfg.Database, "postgres://hd@db/helpdesk"},
		{"status_every P4", cfg.Bot.Followups.StatusEvery[tickets.P4], time.Duration(0)},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
	if len(cfg.FromEnv) != len(env) || !slices.Contains(cfg.FromEnv, "HELPDESK_DATABASE_URL") {
		t.Errorf("FromEnv = %v, want the %d variables set", cfg.FromEnv, len(env))
	}
}

// A wrong value from the environment names the variable and says what to
// write.
func TestEnvErrors(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want []string
	}{
		{map[string]string{"HELPDESK_WORKERS": "many"}, []string{"HELPDESK_WORKERS: workers: many is the wrong kind of value here: it takes a whole number"}},
		{map[string]string{"HELPDESK_WORKERS": "500"}, []string{"HELPDESK_WORKERS: workers: 500 is out of range"}},
		{map[string]string{"HELPDESK_MESSAGE_TIMEOUT": "soon"}, []string{"HELPDESK_MESSAGE_TIMEOUT: message_timeout", "30s"}},
		{map[string]string{"HELPDESK_AGENTS": "[{nmae: Sam}]"}, []string{"HELPDESK_AGENTS: unknown setting \"nmae\""}},
		{map[string]string{"HELPDESK_AGENTS": "[{name: Sam"}, []string{"HELPDESK_AGENTS: not valid YAML", "one line"}},
		{map[string]string{"HELPDESK_AGENTS": "[{name: Sam, ids: [dana]}]"}, []string{"HELPDESK_AGENTS: agents[0].ids", "PLATFORM:USER_ID"}},
		{map[string]string{"HELPDESK_SLACK_SOCKET_MODE": "sometimes"}, []string{"HELPDESK_SLACK_SOCKET_MODE", "wrong kind of value", "true or false"}},
		{map[string]string{"HELPDESK_DATABASE": "a.db", "HELPDESK_DATABASE_URL": "b.db"}, []string{"HELPDESK_DATABASE and HELPDESK_DATABASE_URL are both set"}},
	} {
		_, err := loadEnv(t, "", c.env)
		if err == nil {
			t.Errorf("%v: no error", c.env)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%v: error %q does not say %q", c.env, err, w)
			}
		}
	}
}

func TestUnknownEnv(t *testing.T) {
	got := UnknownEnv([]string{"HELPDESK_HTTP_ADR=:8080", "HELPDESK_HTTP_ADDR=:8080", "HELPDESK_LLM_API_KEY=k",
		"HELPDESK_DATABASE_URL=x", "PATH=/bin", "HELPDESK_SCHEDULE_PRUNE=off", "HELPDESK_SCHEDULE_PRUNED=off"})
	if want := []string{"HELPDESK_HTTP_ADR", "HELPDESK_SCHEDULE_PRUNED"}; !slices.Equal(got, want) {
		t.Errorf("UnknownEnv = %v, want %v", got, want)
	}
}

// docs/environment.md is generated from EnvVars and the defaults of
// config.example.yaml; go test ./cmd/helpdesk/config -run EnvironmentDoc
// -update rewrites it.
func TestEnvironmentDoc(t *testing.T) {
	example, err := os.ReadFile(filepath.Join("..", "..", "..", "config.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "..", "docs", "environment.md")
	want := environmentDoc(t, example)
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("docs/environment.md is not what the schema gives; run go test ./cmd/helpdesk/config -run EnvironmentDoc -update")
	}
}

func environmentDoc(t *testing.T, example []byte) string {
	var root yaml.Node
	if err := yaml.Unmarshal(example, &root); err != nil {
		t.Fatal(err)
	}
	defaults := map[string]string{}
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.DocumentNode:
			walk(n.Content[0], path)
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				p := strings.TrimPrefix(path+"."+n.Content[i].Value, ".")
				walk(n.Content[i+1], p)
			}
		case yaml.ScalarNode:
			defaults[path] = n.Value
		case yaml.SequenceNode:
			if len(n.Content) == 0 {
				defaults[path] = "[]"
			}
		}
	}
	walk(&root, "")
	var b strings.Builder
	b.WriteString(`# Environment variables

Every setting of the config file can come from the environment instead, which wins over the
file (see ` + "`config.example.yaml`" + ` for what each one means). The variable is ` + "`HELPDESK_`" + ` and the
setting's key in capitals, with dots as underscores. A list is written ` + "`a,b,c`" + ` (or as YAML,
` + "`[a, b]`" + `); a structured setting (agents, teams, SLA, catalog…) as YAML on one line, for example
` + "`HELPDESK_AGENTS='[{name: Dana, ids: [\"slack:U0123ABC\"], tier: 1}]'`" + `. An empty variable is
the same as an unset one. ` + "`helpdesk doctor`" + ` lists the variables it used and warns of
` + "`HELPDESK_`" + ` names that set nothing (a misspelling).

This file is generated from the config schema: ` + "`go test ./cmd/helpdesk/config -run EnvironmentDoc -update`" + `.

Secrets are read from the environment only, never from the file:

| Variable | What |
|---|---|
| ` + "`SLACK_BOT_TOKEN`" + ` | Slack's bot token (` + "`xoxb-…`" + `); Slack runs when it is set |
| ` + "`SLACK_APP_TOKEN`" + ` | Slack's app-level token (` + "`xapp-…`" + `) for Socket Mode |
| ` + "`SLACK_SIGNING_SECRET`" + ` | Slack's signing secret, for the HTTP Events API |
| ` + "`DISCORD_BOT_TOKEN`" + ` | Discord's bot token; Discord runs when it is set |
| ` + "`HELPDESK_LLM_API_KEY`" + ` | the model server's API key, if it needs one |
| ` + "`HELPDESK_DASHBOARD_TOKEN`" + ` | what a browser gives to see the web dashboard (` + "`/dashboard?token=…`" + ` on ` + "`http.addr`" + `); the dashboard is off without it |
| ` + "`HELPDESK_DATABASE_URL`" + ` | the older name of ` + "`HELPDESK_DATABASE`" + `, for a PostgreSQL URL with its password |

| Variable | Setting | Form | Default |
|---|---|---|---|
`)
	for _, v := range EnvVars() {
		def, ok := defaults[v.Key]
		switch {
		case !ok:
			def = "see config.example.yaml"
		case def == "":
			def = "(empty)"
		default:
			def = "`" + def + "`"
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s |\n", v.Name, v.Key, v.Form, def)
	}
	return b.String()
}
