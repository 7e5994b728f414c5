package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/helpdesk-bot/helpdesk/bot"
	"github.com/helpdesk-bot/helpdesk/bot/outbox"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// fileConfig mirrors config.example.yaml. Durations, priorities and levels
// are read as strings and checked in resolve, so an error can name the key.
type fileConfig struct {
	DataDir        string                       `yaml:"data_dir"`
	Database       string                       `yaml:"database"`
	Workers        int                          `yaml:"workers"`
	MessageTimeout string                       `yaml:"message_timeout"`
	Log            logConfig                    `yaml:"log"`
	Console        consoleConfig                `yaml:"console"`
	KB             kbConfig                     `yaml:"kb"`
	Triage         placeConfig                  `yaml:"triage"`
	Agents         []agentConfig                `yaml:"agents"`
	Teams          []teamConfig                 `yaml:"teams"`
	PriorityMatrix map[string]map[string]string `yaml:"priority_matrix"`
	SLA            map[string]slaConfig         `yaml:"sla"`
	Catalog        []requestConfig              `yaml:"catalog"`
	Intake         intakeConfig                 `yaml:"intake"`
	HTTP           httpConfig                   `yaml:"http"`
	Schedule       scheduleConfig               `yaml:"schedule"`
	Followups      followupsConfig              `yaml:"followups"`
	BusinessHours  businessHoursConfig          `yaml:"business_hours"`
	Channels       channelsConfig               `yaml:"channels"`
	SecurityAlert  securityAlertConfig          `yaml:"security_alert"`
	Outbox         outboxConfig                 `yaml:"outbox"`
	Slack          slackConfig                  `yaml:"slack"`
	Discord        discordConfig                `yaml:"discord"`
	LLM            llmConfig                    `yaml:"llm"`
}

type channelsConfig struct {
	Manager  placeConfig `yaml:"manager"`
	Security placeConfig `yaml:"security"`
}

type securityAlertConfig struct {
	Window     string  `yaml:"window"`
	MinReports int     `yaml:"min_reports"`
	Factor     float64 `yaml:"factor"`
}

type outboxConfig struct {
	GiveUpAfter string `yaml:"give_up_after"`
}

type httpConfig struct {
	Addr string `yaml:"addr"`
}

type logConfig struct {
	Level string `yaml:"level"`
	File  string `yaml:"file"`
}

type consoleConfig struct {
	User  string `yaml:"user"`
	Name  string `yaml:"name"`
	Email string `yaml:"email"`
}

type kbConfig struct {
	Dir         string   `yaml:"dir"`
	Suggestions int      `yaml:"suggestions"`
	MinScore    *float64 `yaml:"min_score"` // nil: defaultKBMinScore; see config_kb.go
}

type placeConfig struct {
	Platform string `yaml:"platform"`
	Channel  string `yaml:"channel"`
}

type agentConfig struct {
	Name   string   `yaml:"name"`
	IDs    []string `yaml:"ids"`
	Groups []string `yaml:"groups"`
	Tier   int      `yaml:"tier"`
	Role   string   `yaml:"role"`
}

type teamConfig struct {
	Name     string   `yaml:"name"`
	Tier     int      `yaml:"tier"`
	Platform string   `yaml:"platform"`
	Channel  string   `yaml:"channel"`
	Agents   []string `yaml:"agents"`
}

type slaConfig struct {
	Response   string `yaml:"response"`
	Resolution string `yaml:"resolution"`
}

type requestConfig struct {
	Name     string               `yaml:"name"`
	Title    string               `yaml:"title"`
	Category string               `yaml:"category"`
	Priority string               `yaml:"priority"`
	Keywords []string             `yaml:"keywords"`
	Fields   []requestFieldConfig `yaml:"fields"`
}

type requestFieldConfig struct {
	Name     string `yaml:"name"`
	Question string `yaml:"question"`
	Optional bool   `yaml:"optional"`
}

type intakeConfig struct {
	MaxMessageBytes int    `yaml:"max_message_bytes"`
	DuplicateWindow string `yaml:"duplicate_window"`
}

// Config is the resolved configuration the program runs with.
type Config struct {
	DataDir        string
	Database       string
	Workers        int
	MessageTimeout time.Duration
	LogLevel       string
	LogFile        string
	ConsoleUser    tickets.Person
	KBDir          string
	// HTTPAddr is where health and platform HTTP endpoints are served; ""
	// serves none.
	HTTPAddr string
	Schedule Schedule
	// GiveUpAfter is how long the dispatcher retries a message.
	GiveUpAfter time.Duration
	Slack       slackSettings
	Discord     discordSettings
	LLM         llmSettings // see config_llm.go
	Bot         bot.Config
}

// loadConfig reads path, or returns the embedded defaults when path is "".
func loadConfig(path string) (Config, error) {
	var fc fileConfig
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return Config{}, fmt.Errorf("config: %w", err)
		}
		if err := decodeConfig(data, &fc); err != nil {
			return Config{}, fmt.Errorf("config %s: %w", path, err)
		}
	}
	cfg, err := fc.resolve()
	if err != nil {
		where := "config"
		if path != "" {
			where = "config " + path
		}
		return Config{}, fmt.Errorf("%s: %w", where, err)
	}
	return cfg, nil
}

var (
	unknownField = regexp.MustCompile(`line (\d+): field (\S+) not found in type \S+`)
	wrongType    = regexp.MustCompile("line (\\d+): cannot unmarshal !!\\w+ `(.*)` into (\\S+)")
)

// keysByLine maps each line of a YAML document to the dotted path of the
// key on it, so a type error can name the setting, not just the line.
func keysByLine(data []byte) map[int]string {
	var root yaml.Node
	out := map[int]string{}
	if yaml.Unmarshal(data, &root) != nil {
		return out
	}
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, path)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				p := n.Content[i].Value
				if path != "" {
					p = path + "." + p
				}
				out[n.Content[i+1].Line] = p
				walk(n.Content[i+1], p)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				p := fmt.Sprintf("%s[%d]", path, i)
				if _, ok := out[c.Line]; !ok {
					out[c.Line] = p
				}
				walk(c, p)
			}
		}
	}
	walk(&root, "")
	return out
}

// decodeConfig parses YAML strictly: an unknown key is an error naming it,
// because a misspelt setting silently ignored is worse than a refusal.
func decodeConfig(data []byte, fc *fileConfig) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(fc)
	if errors.Is(err, io.EOF) {
		return nil // an empty file means all defaults
	}
	if err == nil {
		return nil
	}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		keys := keysByLine(data)
		msgs := make([]string, len(te.Errors))
		for i, e := range te.Errors {
			if m := unknownField.FindStringSubmatch(e); m != nil {
				msgs[i] = fmt.Sprintf("line %s: unknown setting %q; check its spelling and place against config.example.yaml", m[1], m[2])
			} else if m := wrongType.FindStringSubmatch(e); m != nil {
				line, _ := strconv.Atoi(m[1])
				msgs[i] = fmt.Sprintf("line %s: %s: %s is the wrong type here (want %s); see config.example.yaml for the expected form", m[1], keys[line], m[2], m[3])
			} else {
				msgs[i] = e + "; see config.example.yaml for the expected form"
			}
		}
		return errors.New(strings.Join(msgs, "; "))
	}
	return fmt.Errorf("not valid YAML: %w", err)
}

// resolve applies defaults and checks every value, naming the key at fault.
func (fc fileConfig) resolve() (Config, error) {
	cfg := Config{
		DataDir:  fc.DataDir,
		Database: fc.Database,
		Workers:  fc.Workers,
		LogLevel: strings.ToLower(fc.Log.Level),
		LogFile:  fc.Log.File,
		KBDir:    fc.KB.Dir,
	}
	if cfg.DataDir == "" {
		cfg.DataDir = "data"
	}
	if cfg.Database == "" {
		cfg.Database = filepath.Join(cfg.DataDir, "helpdesk.db")
	}
	if cfg.Workers == 0 {
		cfg.Workers = 4
	} else if cfg.Workers < 0 || cfg.Workers > 256 {
		return cfg, fmt.Errorf("workers: %d is out of range; use 1 to 256", fc.Workers)
	}
	var err error
	if cfg.MessageTimeout, err = duration("message_timeout", fc.MessageTimeout, 30*time.Second); err != nil {
		return cfg, err
	}
	switch cfg.LogLevel {
	case "":
		cfg.LogLevel = "info"
	case "debug", "info", "warn", "error":
	default:
		return cfg, fmt.Errorf("log.level: %q is not a level; use debug, info, warn or error", fc.Log.Level)
	}
	cfg.ConsoleUser = tickets.Person{Platform: "console", UserID: strings.ToLower(fc.Console.User), Name: fc.Console.Name, Contact: fc.Console.Email}

	b := &cfg.Bot
	b.KBSuggestions = fc.KB.Suggestions
	if b.KBMinScore, err = kbMinScore(fc.KB.MinScore); err != nil {
		return cfg, err
	}
	if b.KBSuggestions == 0 {
		b.KBSuggestions = bot.DefaultKBSuggestions
	}
	if b.KBSuggestions < 0 || b.KBSuggestions > 10 {
		return cfg, fmt.Errorf("kb.suggestions: %d is out of range; use 1 to 10", b.KBSuggestions)
	}
	b.Triage = tickets.Place{Platform: fc.Triage.Platform, ChannelID: fc.Triage.Channel}
	if b.Triage.Platform == "" {
		b.Triage.Platform = "console"
	}
	if b.Triage.ChannelID == "" {
		b.Triage.ChannelID = "triage"
	}
	if b.Agents, err = resolveAgents(fc.Agents); err != nil {
		return cfg, err
	}
	if b.Teams, err = resolveTeams(fc.Teams, b.Triage); err != nil {
		return cfg, err
	}
	if b.Matrix, err = resolveMatrix(fc.PriorityMatrix); err != nil {
		return cfg, err
	}
	if b.SLA, err = resolveSLA(fc.SLA); err != nil {
		return cfg, err
	}
	if b.Catalog, err = resolveCatalog(fc.Catalog); err != nil {
		return cfg, err
	}
	b.MaxMessageBytes = fc.Intake.MaxMessageBytes
	if b.MaxMessageBytes == 0 {
		b.MaxMessageBytes = bot.DefaultMaxMessageBytes
	} else if b.MaxMessageBytes < 0 {
		return cfg, fmt.Errorf("intake.max_message_bytes: %d is negative; use a size in bytes such as %d", b.MaxMessageBytes, bot.DefaultMaxMessageBytes)
	}
	if b.DuplicateWindow, err = duration("intake.duplicate_window", fc.Intake.DuplicateWindow, bot.DefaultDuplicateWindow); err != nil {
		return cfg, err
	}
	// On Slack and Discord the console's commands are subcommands of
	// /helpdesk and /desk.
	b.Slash = map[string]bool{"slack": true, "discord": true}
	cfg.HTTPAddr = fc.HTTP.Addr
	if cfg.Schedule, err = resolveSchedule(fc.Schedule); err != nil {
		return cfg, err
	}
	if b.Followups, err = resolveFollowups(fc.Followups); err != nil {
		return cfg, err
	}
	if b.Calendar, err = resolveBusinessHours(fc.BusinessHours, cfg.Schedule.Location); err != nil {
		return cfg, err
	}
	b.Spike = bot.DefaultSpikeRule()
	if b.Spike.Window, err = duration("security_alert.window", fc.SecurityAlert.Window, b.Spike.Window); err != nil {
		return cfg, err
	}
	if n := fc.SecurityAlert.MinReports; n < 0 {
		return cfg, fmt.Errorf("security_alert.min_reports: %d is negative; use a count such as %d", n, bot.DefaultSpikeRule().MinReports)
	} else if n > 0 {
		b.Spike.MinReports = n
	}
	if f := fc.SecurityAlert.Factor; f < 0 || (f > 0 && f < 1) {
		return cfg, fmt.Errorf("security_alert.factor: %v would alert below the usual rate; use 1 or more, such as %v", f, bot.DefaultSpikeRule().Factor)
	} else if f > 0 {
		b.Spike.Factor = f
	}
	b.ManagerChannel = place(fc.Channels.Manager, b.Triage)
	b.SecurityChannel = place(fc.Channels.Security, b.Triage)
	if cfg.GiveUpAfter, err = duration("outbox.give_up_after", fc.Outbox.GiveUpAfter, outbox.DefaultGiveUp); err != nil {
		return cfg, err
	}
	if cfg.LLM, err = fc.LLM.resolve(); err != nil {
		return cfg, err
	}
	if cfg.Slack, err = fc.Slack.resolve(); err != nil {
		return cfg, err
	}
	if cfg.Discord, err = fc.Discord.resolve(); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// place is a configured channel, or def when none is set.
func place(c placeConfig, def tickets.Place) tickets.Place {
	if c.Channel == "" {
		return def
	}
	p := tickets.Place{Platform: c.Platform, ChannelID: c.Channel}
	if p.Platform == "" {
		p.Platform = def.Platform
	}
	return p
}

// duration parses a Go duration string, with def for "".
func duration(key, s string, def time.Duration) (time.Duration, error) {
	if s == "" {
		return def, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s: %q is not a duration; write it like 30s, 15m, 4h or 72h", key, s)
	}
	return d, nil
}
