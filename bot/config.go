package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/kb"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Config is what the core needs from the help desk's configuration. The
// core reads no files: cmd/helpdesk/config builds this from the config
// file. New gives the limits, timers and policies left zero their defaults
// (setDefaults).
type Config struct {
	Agents []Agent
	Triage tickets.Place // where new tickets are announced
	// Teams are where escalations go: one per tier above 1 (named "tier2",
	// "tier3" unless config names them) and any named teams.
	Teams  []Team
	Matrix tickets.Matrix
	SLA    tickets.SLAPolicy
	// Calendar is the business hours SLA targets count in; nil is round the
	// clock.
	Calendar *tickets.Calendar
	// Location is the desk's time zone (schedule.timezone), in which the
	// times in its messages are shown; nil is the calendar's, else local.
	Location *time.Location
	// Followups are the times after which the desk acts by itself.
	Followups Followups
	// Spike sets when a rise in lockout and password-reset reports alerts
	// the security channel.
	Spike SpikeRule
	// ManagerChannel gets the daily summary and the weekly KB audit;
	// SecurityChannel gets alerts of account-lockout spikes. Zero means
	// the triage channel.
	ManagerChannel  tickets.Place
	SecurityChannel tickets.Place
	Catalog         []RequestType
	// MaxMessageBytes bounds one inbound message; longer ones are refused
	// with an explanation rather than stored.
	MaxMessageBytes int
	// KBSuggestions is how many articles to offer before opening a ticket.
	KBSuggestions int
	// KBMinScore is the kb.Offer Confidence (0 to 1) below which no article
	// is offered and intake goes straight to its questions; 0 always offers.
	KBMinScore float64
	// Slash names the platforms whose chat types commands as subcommands
	// of a few slash commands (chat.Slashes): there "/status 12" in a
	// message reads "/helpdesk status 12". Absent means the console way.
	Slash map[string]bool
	// Macros are the canned replies of the config file, by name (see
	// CheckMacro); agents add more in chat.
	Macros map[string]string
	// OnCall is who hears of urgent tickets nobody has taken; zero is
	// DefaultOnCall.
	OnCall OnCall
	// DuplicateWindow is how far back an open ticket of the same person is
	// considered the same problem.
	DuplicateWindow time.Duration
	// KeepSent is how long the prune job keeps delivered outbox messages
	// of closed tickets.
	KeepSent time.Duration
	// Storm is when similar reports suggest a major incident in triage.
	Storm StormRule
	// UpdateWindow is how long after a ticket opens the person's next
	// message in the same DM or thread goes to that ticket as an update
	// rather than starting a new report ("he can't work either").
	UpdateWindow time.Duration
}

// Role is what a person may do at the desk.
type Role string

// The roles.
const (
	RoleRequester Role = "requester"
	RoleAgent     Role = "agent"
	RoleManager   Role = "manager"
	RoleAdmin     Role = "admin"
)

// Agent is a member of the help desk team.
type Agent struct {
	Name string
	// IDs are Person keys ("slack:U123", "console:dana") naming the same
	// person on each platform.
	IDs []string
	// Groups are PLATFORM:GROUP_ID keys (a Slack user group, a Discord
	// role) whose members are this agent.
	Groups []string
	Tier   int
	Role   Role
}

// Followups are the delays of the desk's own messages; zero turns one off.
type Followups struct {
	// SLAWarnShare is the share of an SLA target after which the owner and
	// triage channel are warned, e.g. 0.75.
	SLAWarnShare float64
	// StatusEvery is, per priority, how long a requester may hear nothing
	// they can see before getting a short status.
	StatusEvery map[tickets.Priority]time.Duration
	// FollowUpAfter is how long after resolution the requester is asked
	// "still fixed?" with a satisfaction rating.
	FollowUpAfter time.Duration
	// CloseAfter is how long after resolution an unanswered ticket closes.
	CloseAfter time.Duration
	// PendingRemind and PendingClose are how long after a ticket starts
	// waiting on its requester they are reminded, and it closes.
	PendingRemind time.Duration
	PendingClose  time.Duration
}

// SpikeRule is the threshold of the account-lockout alert: reports in the
// last Window are a spike when they reach both MinReports and Factor times
// the usual count for a window that long (the average over the previous
// seven days).
type SpikeRule struct {
	Window     time.Duration
	MinReports int
	Factor     float64
}

// The defaults of the desk's own limits, written once: setDefaults applies
// them to a zero Config and the config file's loader resolves an unset
// setting to them and quotes them in its messages.
const (
	DefaultMaxMessageBytes = 4000 // Config.MaxMessageBytes
	DefaultKBSuggestions   = 3    // Config.KBSuggestions
	// DefaultKBMinScore is the kb.min_score of a config file that sets
	// none (a zero Config offers whatever matches); see kb.DefaultMinScore.
	DefaultKBMinScore      = kb.DefaultMinScore
	DefaultDuplicateWindow = 14 * 24 * time.Hour // Config.DuplicateWindow
	DefaultKeepSent        = 30 * 24 * time.Hour // Config.KeepSent
	DefaultUpdateWindow    = 10 * time.Minute    // Config.UpdateWindow
)

// DefaultSpikeRule alerts on 5 or more reports in an hour at 3× the usual.
func DefaultSpikeRule() SpikeRule { return SpikeRule{Window: time.Hour, MinReports: 5, Factor: 3} }

// DefaultFollowups are a small desk's usual delays.
func DefaultFollowups() Followups {
	return Followups{
		SLAWarnShare: 0.75,
		StatusEvery: map[tickets.Priority]time.Duration{
			tickets.P1: time.Hour, tickets.P2: 4 * time.Hour, tickets.P3: 24 * time.Hour, tickets.P4: 48 * time.Hour,
		},
		FollowUpAfter: 24 * time.Hour,
		CloseAfter:    72 * time.Hour,
		PendingRemind: 48 * time.Hour,
		PendingClose:  120 * time.Hour,
	}
}

// Team receives escalated tickets: a tier's queue, or a named team such as
// "network" working at a tier.
type Team struct {
	Name string
	Tier int
	// Place is the channel escalations are posted to, with the handoff
	// note; zero means the triage channel.
	Place tickets.Place
	// Agents are Person keys of the team's members, to pick an assignee
	// from; empty means every agent of the team's tier.
	Agents []string
}

// RequestType is one entry of the service catalog: something people ask
// for rather than report as broken.
type RequestType struct {
	Name     string // stable ID, e.g. "hardware"
	Title    string // "Hardware request"
	Keywords []string
	Category tickets.Category
	Priority tickets.Priority
	Fields   []RequestField
}

// RequestField is one thing the desk needs to know to fulfil a request.
type RequestField struct {
	Name     string
	Question string
	Optional bool
}

// team finds a team by name ("network", "tier2") or tier number ("2").
func (c *Config) team(name string) (Team, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	for _, t := range c.Teams {
		if strings.ToLower(t.Name) == name {
			return t, true
		}
	}
	tier := strings.TrimPrefix(strings.TrimPrefix(name, "tier"), " ")
	for n := 2; n <= 3; n++ {
		if tier == fmt.Sprint(n) {
			for _, t := range c.Teams {
				if t.Tier == n && t.Name == fmt.Sprintf("tier%d", n) {
					return t, true
				}
			}
			return Team{Name: fmt.Sprintf("tier%d", n), Tier: n}, true
		}
	}
	return Team{}, false
}

func (c *Config) setDefaults() {
	if c.Spike == (SpikeRule{}) {
		c.Spike = DefaultSpikeRule()
	}
	if c.ManagerChannel.ChannelID == "" {
		c.ManagerChannel = c.Triage
	}
	if c.SecurityChannel.ChannelID == "" {
		c.SecurityChannel = c.Triage
	}
	if f := c.Followups; f.StatusEvery == nil && f.SLAWarnShare == 0 && f.FollowUpAfter == 0 && f.CloseAfter == 0 && f.PendingRemind == 0 && f.PendingClose == 0 {
		c.Followups = DefaultFollowups()
	}
	if c.OnCall.Notify == "" {
		c.OnCall = DefaultOnCall()
	}
	if c.Matrix == nil {
		c.Matrix = tickets.DefaultMatrix()
	}
	if c.SLA == nil {
		c.SLA = tickets.DefaultSLA()
	}
	if c.MaxMessageBytes <= 0 {
		c.MaxMessageBytes = DefaultMaxMessageBytes
	}
	if c.KBSuggestions <= 0 {
		c.KBSuggestions = DefaultKBSuggestions
	}
	if c.DuplicateWindow <= 0 {
		c.DuplicateWindow = DefaultDuplicateWindow
	}
	if c.KeepSent <= 0 {
		c.KeepSent = DefaultKeepSent
	}
	if c.Storm.Window <= 0 {
		c.Storm.Window = DefaultStormRule().Window
	}
	if c.UpdateWindow <= 0 {
		c.UpdateWindow = DefaultUpdateWindow
	}
}

// agent returns the agent a person is, if any.
func (c *Config) agent(p tickets.Person) (Agent, bool) {
	key := p.Key()
	for _, a := range c.Agents {
		for _, id := range a.IDs {
			if id == key {
				return a, true
			}
		}
	}
	// Group membership names a role, not a person: the first matching
	// group agent's tier and role apply, under the person's own name.
	for _, a := range c.Agents {
		for _, g := range a.Groups {
			for _, pg := range p.Groups {
				if g == p.Platform+":"+pg {
					a.Name = p.Display()
					return a, true
				}
			}
		}
	}
	return Agent{}, false
}
