// Package config reads the help desk's YAML configuration: the whole
// schema, every default and every check, so a setting is described,
// defaulted and validated in one place. LoadEnv is the entry point (Load
// is the same without an environment); it returns the resolved settings
// that cmd/helpdesk wires onto the desk core, the stores and the
// adapters. config.example.yaml documents every setting, and a test keeps
// it equal to the defaults. Every setting can also come from a HELPDESK_…
// environment variable (EnvVars, generated from the schema), which wins
// over the file.
//
// The package knows no adapter: it resolves the slack:, discord: and llm:
// sections into plain settings, and cmd/helpdesk maps those onto each
// adapter's own options.
package config

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot"
	"github.com/helpdesk-bot/helpdesk/bot/outbox"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// DefaultWorkers is how many messages are handled at once unless the
// config says otherwise. A worker waits, besides the database's single
// writer, on the platform: a new person's profile look-up (users.info,
// up to 100 ms) is one round trip of the API. With 4, at 50 ms round trip
// the load tool's 500 messages a second met a ceiling of 383 with
// event→reply p99 9.2 s; with 16, 486–490 with p99 0.93–1.69 s, the
// process using the same CPU per message (docs/performance.md, "Since
// the workers"). Workers are goroutines; the database writer still takes
// one transaction at a time (and commits them in groups).
const DefaultWorkers = 16

// Config is the resolved configuration the program runs with: every
// setting checked, every unset one at its default.
type Config struct {
	DataDir  string
	Database string // a SQLite file or a PostgreSQL URL
	// SQLiteSync is how a SQLite commit reaches the disk: "full" or
	// "normal" (see sqlite.Options).
	SQLiteSync string
	// Workers is how many messages are handled at once, each within
	// MessageTimeout; default DefaultWorkers.
	Workers        int
	MessageTimeout time.Duration
	LogLevel       string // debug, info, warn or error
	// LogFile is where the log goes; "" is standard error, the default
	// unless the console is the chat.
	LogFile string
	// ConsoleUser is who types in the console as the config names them;
	// flags and the OS user fill in the rest.
	ConsoleUser tickets.Person
	KBDir       string // "" is the built-in knowledge base
	// HTTPAddr is where health and platform HTTP endpoints are served; ""
	// serves none.
	HTTPAddr string
	Schedule Schedule
	// GiveUpAfter is how long the dispatcher retries a message.
	GiveUpAfter time.Duration
	Slack       Slack
	Discord     Discord
	LLM         LLM
	// Bot is what the desk core runs with; /reload swaps it.
	Bot bot.Config
	// Chats are the chats that run: slack and discord when their tokens
	// are set, else console.
	Chats []string
	// FromEnv names the HELPDESK_ variables that set something.
	FromEnv []string
}

// Runs reports whether the chat named platform runs.
func (c Config) Runs(platform string) bool { return slices.Contains(c.Chats, platform) }

// file mirrors config.example.yaml. Durations, priorities and levels are
// read as strings and checked in resolve, so an error can name the key.
type file struct {
	// lines are the file's line of each key, for errors that name the
	// line to change.
	lines map[string]int

	DataDir        string                       `yaml:"data_dir"`
	Database       string                       `yaml:"database"`
	SQLite         sqliteSection                `yaml:"sqlite"`
	Workers        int                          `yaml:"workers"`
	MessageTimeout string                       `yaml:"message_timeout"`
	Log            logSection                   `yaml:"log"`
	Console        consoleSection               `yaml:"console"`
	KB             kbSection                    `yaml:"kb"`
	Triage         placeSection                 `yaml:"triage"`
	Agents         []agentEntry                 `yaml:"agents"`
	Teams          []teamEntry                  `yaml:"teams"`
	PriorityMatrix map[string]map[string]string `yaml:"priority_matrix"`
	SLA            map[string]slaSection        `yaml:"sla"`
	Catalog        []requestEntry               `yaml:"catalog"`
	Intake         intakeSection                `yaml:"intake"`
	HTTP           httpSection                  `yaml:"http"`
	Schedule       scheduleSection              `yaml:"schedule"`
	Followups      followupsSection             `yaml:"followups"`
	BusinessHours  businessHoursSection         `yaml:"business_hours"`
	OnCall         onCallSection                `yaml:"on_call"`
	Macros         map[string]string            `yaml:"macros"`
	Channels       channelsSection              `yaml:"channels"`
	SecurityAlert  securityAlertSection         `yaml:"security_alert"`
	Storm          stormSection                 `yaml:"storm"`
	Outbox         outboxSection                `yaml:"outbox"`
	Slack          slackSection                 `yaml:"slack"`
	Discord        discordSection               `yaml:"discord"`
	LLM            llmSection                   `yaml:"llm"`
}

type logSection struct {
	Level string `yaml:"level"`
	File  string `yaml:"file"`
}

type consoleSection struct {
	User  string `yaml:"user"`
	Name  string `yaml:"name"`
	Email string `yaml:"email"`
}

type placeSection struct {
	Platform string `yaml:"platform"`
	Channel  string `yaml:"channel"`
}

type httpSection struct {
	Addr string `yaml:"addr"`
}

type channelsSection struct {
	Manager  placeSection `yaml:"manager"`
	Security placeSection `yaml:"security"`
}

type securityAlertSection struct {
	Window     string  `yaml:"window"`
	MinReports int     `yaml:"min_reports"`
	Factor     float64 `yaml:"factor"`
}

type outboxSection struct {
	GiveUpAfter string `yaml:"give_up_after"`
	KeepSent    string `yaml:"keep_sent"`
}

type stormSection struct {
	Reports *int   `yaml:"reports"`
	Window  string `yaml:"window"`
}

// resolve is the storm rule: reports 0 turns the suggestion off.
func (s stormSection) resolve() (bot.StormRule, error) {
	rule := bot.DefaultStormRule()
	if s.Reports != nil {
		if *s.Reports < 0 || *s.Reports == 1 || *s.Reports > 10000 {
			return rule, fmt.Errorf("storm.reports: %d is out of range; use 2 to 10000 similar reports, or 0 to never suggest a major incident", *s.Reports)
		}
		rule.Reports = *s.Reports
	}
	var err error
	if rule.Window, err = duration("storm.window", s.Window, rule.Window); err != nil {
		return rule, err
	}
	return rule, nil
}

type sqliteSection struct {
	Synchronous string `yaml:"synchronous"`
}

// Load reads the config file at path, or the embedded defaults when path
// is "", without the environment: the console is the chat. See LoadEnv.
func Load(path string) (Config, error) { return LoadEnv(path, nil) }

// LoadEnv reads the config file at path (none when ""), sets over it what
// the HELPDESK_ variables of getenv say, and resolves the result, with
// the chats that run known from the tokens in getenv. An error names the
// file or variable and the setting at fault and says what to write
// instead.
func LoadEnv(path string, getenv func(string) string) (Config, error) {
	var f file
	where := "config"
	if path != "" {
		where = "config " + path
		data, err := os.ReadFile(path)
		if err != nil {
			return Config{}, fmt.Errorf("config: %w", err)
		}
		if err := decode(data, &f); err != nil {
			return Config{}, fmt.Errorf("%s: %w", where, err)
		}
		f.lines = keyLines(data)
	}
	used, err := applyEnv(&f, getenv)
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	cfg, err := f.resolve(chats(getenv))
	if err != nil {
		if e := fromEnv(err, used); e != err {
			return Config{}, fmt.Errorf("%s: %w", where, e)
		}
		return Config{}, fmt.Errorf("%s: %w", where, f.onLine(err))
	}
	cfg.FromEnv = used
	return cfg, nil
}

// chats are the chats that run by the tokens set: Slack and Discord, or
// else the console.
func chats(getenv func(string) string) []string {
	var out []string
	if getenv != nil {
		if strings.TrimSpace(getenv(EnvSlackBotToken)) != "" {
			out = append(out, "slack")
		}
		if strings.TrimSpace(getenv(EnvDiscordBotToken)) != "" {
			out = append(out, "discord")
		}
	}
	if len(out) == 0 {
		out = []string{"console"}
	}
	return out
}

// resolve applies defaults and checks every value, naming the key at
// fault; chats are the chats that run.
func (f file) resolve(chats []string) (Config, error) {
	cfg := Config{
		DataDir:  f.DataDir,
		Database: f.Database,
		Workers:  f.Workers,
		LogLevel: strings.ToLower(f.Log.Level),
		LogFile:  f.Log.File,
		KBDir:    f.KB.Dir,
		HTTPAddr: f.HTTP.Addr,
		Chats:    chats,
	}
	if cfg.DataDir == "" {
		cfg.DataDir = "data"
	}
	if cfg.Database == "" {
		cfg.Database = defaultDatabase(cfg.DataDir)
	}
	switch {
	case cfg.LogFile == "" && cfg.Runs("console"):
		cfg.LogFile = defaultLogFile(cfg.DataDir)
	case cfg.LogFile == "stderr":
		cfg.LogFile = ""
	}
	if cfg.Workers == 0 {
		cfg.Workers = DefaultWorkers
	} else if cfg.Workers < 0 || cfg.Workers > 256 {
		return cfg, fmt.Errorf("workers: %d is out of range; use 1 to 256", f.Workers)
	}
	var err error
	if cfg.MessageTimeout, err = duration("message_timeout", f.MessageTimeout, 30*time.Second); err != nil {
		return cfg, err
	}
	switch cfg.LogLevel {
	case "":
		cfg.LogLevel = "info"
	case "debug", "info", "warn", "error":
	default:
		return cfg, fmt.Errorf("log.level: %q is not a level; use debug, info, warn or error", f.Log.Level)
	}
	cfg.ConsoleUser = tickets.Person{Platform: "console", UserID: strings.ToLower(f.Console.User), Name: f.Console.Name, Contact: f.Console.Email}
	if cfg.Schedule, err = resolveSchedule(f.Schedule); err != nil {
		return cfg, err
	}
	if cfg.Bot, err = f.resolveBot(cfg.Schedule.Location, chats); err != nil {
		return cfg, err
	}
	if cfg.GiveUpAfter, err = duration("outbox.give_up_after", f.Outbox.GiveUpAfter, outbox.DefaultGiveUp); err != nil {
		return cfg, err
	}
	if cfg.Bot.KeepSent, err = duration("outbox.keep_sent", f.Outbox.KeepSent, bot.DefaultKeepSent); err != nil {
		return cfg, err
	}
	switch cfg.SQLiteSync = strings.ToLower(f.SQLite.Synchronous); cfg.SQLiteSync {
	case "":
		cfg.SQLiteSync = "full"
	case "full", "normal":
	default:
		return cfg, fmt.Errorf("sqlite.synchronous: %q is not a setting; use full (every commit survives a power cut) or normal (faster; a power cut can lose the last commits)", f.SQLite.Synchronous)
	}
	if cfg.LLM, err = f.LLM.resolve(); err != nil {
		return cfg, err
	}
	if cfg.Slack, err = f.Slack.resolve(); err != nil {
		return cfg, err
	}
	if cfg.Discord, err = f.Discord.resolve(); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// resolveBot resolves what the desk core runs with; loc is the schedule's
// time zone, which business hours count in too, and chats the chats that
// run.
func (f file) resolveBot(loc *time.Location, chats []string) (bot.Config, error) {
	var b bot.Config
	var err error
	if b.KBSuggestions, b.KBMinScore, err = f.KB.resolve(); err != nil {
		return b, err
	}
	if b.Triage, err = f.resolveTriage(chats); err != nil {
		return b, err
	}
	if b.Agents, err = resolveAgents(f.Agents); err != nil {
		return b, err
	}
	if b.Teams, err = resolveTeams(f.Teams, b.Triage); err != nil {
		return b, err
	}
	if b.Matrix, err = resolveMatrix(f.PriorityMatrix); err != nil {
		return b, err
	}
	if b.SLA, err = resolveSLA(f.SLA); err != nil {
		return b, err
	}
	if b.Catalog, err = resolveCatalog(f.Catalog); err != nil {
		return b, err
	}
	if b.MaxMessageBytes, b.DuplicateWindow, b.UpdateWindow, err = f.Intake.resolve(); err != nil {
		return b, err
	}
	// On Slack and Discord the console's commands are subcommands of
	// /helpdesk and /desk.
	b.Slash = map[string]bool{"slack": true, "discord": true}
	if b.Followups, err = resolveFollowups(f.Followups); err != nil {
		return b, err
	}
	if b.Calendar, err = resolveBusinessHours(f.BusinessHours, loc); err != nil {
		return b, err
	}
	b.Location = loc
	if b.OnCall, err = f.OnCall.resolve(); err != nil {
		return b, err
	}
	if b.Macros, err = resolveMacros(f.Macros); err != nil {
		return b, err
	}
	if b.Spike, err = f.SecurityAlert.resolve(); err != nil {
		return b, err
	}
	if b.Storm, err = f.Storm.resolve(); err != nil {
		return b, err
	}
	b.ManagerChannel = place(f.Channels.Manager, b.Triage)
	b.SecurityChannel = place(f.Channels.Security, b.Triage)
	return b, nil
}

// defaultDatabase is the SQLite file in dataDir used when database is not
// set.
func defaultDatabase(dataDir string) string { return filepath.Join(dataDir, "helpdesk.db") }

// defaultLogFile is the log used when log.file is not set and the console
// is the chat: a file, not the terminal, because there the terminal is the
// chat and log lines would interleave with it. Otherwise the log goes to
// standard error, where a service manager or container runtime collects it.
func defaultLogFile(dataDir string) string { return filepath.Join(dataDir, "helpdesk.log") }

// WithDataDir is c with its data directory moved to dir, as the -data flag
// does: the database and the log file move with it where they are at
// their defaults.
func (c Config) WithDataDir(dir string) Config {
	if c.Database == defaultDatabase(c.DataDir) {
		c.Database = defaultDatabase(dir)
	}
	if c.LogFile == defaultLogFile(c.DataDir) {
		c.LogFile = defaultLogFile(dir)
	}
	c.DataDir = dir
	return c
}

// resolve reads the security_alert: section over bot.DefaultSpikeRule.
func (c securityAlertSection) resolve() (bot.SpikeRule, error) {
	def := bot.DefaultSpikeRule()
	r := def
	var err error
	if r.Window, err = duration("security_alert.window", c.Window, def.Window); err != nil {
		return r, err
	}
	if n := c.MinReports; n < 0 {
		return r, fmt.Errorf("security_alert.min_reports: %d is negative; use a count such as %d", n, def.MinReports)
	} else if n > 0 {
		r.MinReports = n
	}
	if f := c.Factor; f < 0 || (f > 0 && f < 1) {
		return r, fmt.Errorf("security_alert.factor: %v would alert below the usual rate; use 1 or more, such as %v", f, def.Factor)
	} else if f > 0 {
		r.Factor = f
	}
	return r, nil
}

// place is a configured channel, or def when none is set.
func place(c placeSection, def tickets.Place) tickets.Place {
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
	switch {
	case err != nil:
		return 0, fmt.Errorf("%s: %q is not a duration; write it like 30s, 15m, 4h or 72h", key, s)
	case d < 0:
		return 0, fmt.Errorf("%s: %s is negative; write a positive duration like 30s, 15m, 4h or 72h", key, s)
	case d == 0:
		return 0, fmt.Errorf("%s: %s is no time at all; write a positive duration like 30s, 15m, 4h or 72h", key, s)
	}
	return d, nil
}
