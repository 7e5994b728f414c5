package config

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// The example config is the starting point on every platform: as it is,
// triage goes to the chat that runs, and where a channel ID is needed the
// error names the one line to change; changing it is enough.
func TestExampleStartsEveryPlatform(t *testing.T) {
	example, err := os.ReadFile(filepath.Join("..", "..", "..", "config.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	lineRE := regexp.MustCompile(`triage\.channel \(line (\d+)\): not set`)
	for _, c := range []struct {
		platform, token, channel string
	}{
		{"slack", EnvSlackBotToken, "C0123ABCD"},
		{"discord", EnvDiscordBotToken, "123456789012345678"},
	} {
		t.Run(c.platform, func(t *testing.T) {
			env := map[string]string{c.token: "a-token"}
			_, err := loadEnv(t, string(example), env)
			if err == nil {
				t.Fatal("the example loaded without a triage channel")
			}
			m := lineRE.FindStringSubmatch(err.Error())
			if m == nil {
				t.Fatalf("error %q does not name the line of triage.channel", err)
			}
			n, _ := strconv.Atoi(m[1])
			lines := strings.Split(string(example), "\n")
			if got := strings.TrimSpace(lines[n-1]); got != `channel: ""` {
				t.Fatalf("line %d is %q, not triage's channel", n, got)
			}
			lines[n-1] = "  channel: \"" + c.channel + "\""
			cfg, err := loadEnv(t, strings.Join(lines, "\n"), env)
			if err != nil {
				t.Fatalf("with line %d changed: %v", n, err)
			}
			want := tickets.Place{Platform: c.platform, ChannelID: c.channel}
			if cfg.Bot.Triage != want || cfg.Bot.ManagerChannel != want || cfg.Bot.SecurityChannel != want {
				t.Errorf("triage %+v, manager %+v, security %+v; want all %+v", cfg.Bot.Triage, cfg.Bot.ManagerChannel, cfg.Bot.SecurityChannel, want)
			}
			for _, team := range cfg.Bot.Teams {
				if team.Place != want {
					t.Errorf("team %s posts to %+v, want the triage channel", team.Name, team.Place)
				}
			}
			if cfg.LogFile != "" {
				t.Errorf("log file %q; a service logs to standard error by default", cfg.LogFile)
			}
		})
	}
	cfg, err := loadEnv(t, string(example), nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := (tickets.Place{Platform: "console", ChannelID: "triage"}); cfg.Bot.Triage != want || cfg.LogFile != filepath.Join("data", "helpdesk.log") {
		t.Errorf("console: triage %+v, log %q", cfg.Bot.Triage, cfg.LogFile)
	}
}

// A triage platform that does not run is refused with the line to change
// and what to write there.
func TestTriagePlatformErrors(t *testing.T) {
	slack := map[string]string{EnvSlackBotToken: "xoxb-1"}
	both := map[string]string{EnvSlackBotToken: "xoxb-1", EnvDiscordBotToken: "d"}
	for _, c := range []struct {
		name, yaml string
		env        map[string]string
		want       []string
	}{
		{"console config on Slack", "workers: 2\ntriage:\n  platform: console\n  channel: triage\n", slack,
			[]string{"triage.platform (line 3)", `"console"`, "Slack runs (SLACK_BOT_TOKEN is set)", "platform: slack", "triage.channel"}},
		{"Slack config without a token", "triage: {platform: slack, channel: C0123ABCD}\n", nil,
			[]string{"triage.platform (line 1)", "Slack does not run", "Set SLACK_BOT_TOKEN", "delete the line"}},
		{"both chats", "# both\n", both, []string{"triage.platform", "both run", "platform: slack or platform: discord"}},
		{"unknown chat", "triage:\n  platform: teams\n", nil, []string{"triage.platform (line 2)", `"teams" is not a chat`}},
		{"Discord name for an ID", "triage: {platform: discord, channel: help-desk}\n", map[string]string{EnvDiscordBotToken: "d"},
			[]string{"triage.channel (line 1)", "not a Discord channel ID", "Copy Channel ID"}},
		{"from the environment", "", map[string]string{EnvSlackBotToken: "xoxb-1", "HELPDESK_TRIAGE_CHANNEL": "triage"},
			[]string{"HELPDESK_TRIAGE_CHANNEL: triage.channel:", "not a Slack channel ID"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := loadEnv(t, c.yaml, c.env)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
	cfg, err := loadEnv(t, "triage: {platform: slack, channel: C0TRIAGE}\n", both)
	if err != nil || cfg.Bot.Triage.Platform != "slack" || !cfg.Runs("slack") || !cfg.Runs("discord") || cfg.Runs("console") {
		t.Errorf("both chats with triage on Slack: %+v %v, %v", cfg.Bot.Triage, cfg.Chats, err)
	}
}

// The log goes to standard error unless the console is the chat, or the
// config says otherwise.
func TestLogDefault(t *testing.T) {
	for _, c := range []struct {
		yaml string
		env  map[string]string
		want string
	}{
		{"", nil, filepath.Join("data", "helpdesk.log")},
		{"triage: {channel: C0TRIAGE}\n", map[string]string{EnvSlackBotToken: "xoxb-1"}, ""},
		{"log: {file: stderr}\n", nil, ""},
		{"log: {file: /var/log/hd.log}\ntriage: {channel: C0TRIAGE}\n", map[string]string{EnvSlackBotToken: "xoxb-1"}, "/var/log/hd.log"},
		{"", map[string]string{"HELPDESK_LOG_FILE": "stderr"}, ""},
	} {
		cfg, err := loadEnv(t, c.yaml, c.env)
		if err != nil || cfg.LogFile != c.want {
			t.Errorf("%q with %v: log %q, %v; want %q", c.yaml, c.env, cfg.LogFile, err, c.want)
		}
	}
}
