package config

import (
	"fmt"
	"strings"

	"github.com/helpdesk-bot/helpdesk/bot"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

type agentEntry struct {
	Name   string   `yaml:"name"`
	IDs    []string `yaml:"ids"`
	Groups []string `yaml:"groups"`
	Tier   int      `yaml:"tier"`
	Role   string   `yaml:"role"`
}

type teamEntry struct {
	Name     string   `yaml:"name"`
	Tier     int      `yaml:"tier"`
	Platform string   `yaml:"platform"`
	Channel  string   `yaml:"channel"`
	Agents   []string `yaml:"agents"`
}

type slaSection struct {
	Response   string `yaml:"response"`
	Resolution string `yaml:"resolution"`
}

type requestEntry struct {
	Name     string              `yaml:"name"`
	Title    string              `yaml:"title"`
	Category string              `yaml:"category"`
	Priority string              `yaml:"priority"`
	Keywords []string            `yaml:"keywords"`
	Fields   []requestFieldEntry `yaml:"fields"`
}

type requestFieldEntry struct {
	Name     string `yaml:"name"`
	Question string `yaml:"question"`
	Optional bool   `yaml:"optional"`
}

// defaultAgents lets someone trying the console play the agent side with
// "/as dana" (tier 1) and "/as sam" (tier 2: escalations, major incidents)
// before writing any config.
func defaultAgents() []bot.Agent {
	return []bot.Agent{
		{Name: "Dana", IDs: []string{"console:dana"}, Tier: 1, Role: bot.RoleAgent},
		{Name: "Sam", IDs: []string{"console:sam"}, Tier: 2, Role: bot.RoleAgent},
	}
}

func resolveAgents(in []agentEntry) ([]bot.Agent, error) {
	if len(in) == 0 {
		return defaultAgents(), nil
	}
	out := make([]bot.Agent, 0, len(in))
	for i, a := range in {
		key := fmt.Sprintf("agents[%d]", i)
		if a.Name == "" {
			return nil, fmt.Errorf("%s.name: missing; give each agent a name people will see", key)
		}
		if len(a.IDs) == 0 && len(a.Groups) == 0 {
			return nil, fmt.Errorf("%s.ids: missing for %s; list platform IDs like console:dana, slack:U0123ABC or discord:123456789, or groups", key, a.Name)
		}
		for _, id := range a.IDs {
			if p, u, ok := strings.Cut(id, ":"); !ok || p == "" || u == "" {
				return nil, fmt.Errorf("%s.ids: %q is not PLATFORM:USER_ID; write it like console:dana or slack:U0123ABC", key, id)
			}
		}
		for _, g := range a.Groups {
			if p, id, ok := strings.Cut(g, ":"); !ok || (p != "slack" && p != "discord") || id == "" {
				return nil, fmt.Errorf("%s.groups: %q is not PLATFORM:GROUP_ID; write a Slack user group like slack:S0123ABC or a Discord role like discord:987654321098765432", key, g)
			}
		}
		role := bot.Role(strings.ToLower(a.Role))
		switch role {
		case "":
			role = bot.RoleAgent
		case bot.RoleAgent, bot.RoleManager, bot.RoleAdmin:
		default:
			return nil, fmt.Errorf("%s.role: %q is not a role; use agent, manager or admin", key, a.Role)
		}
		tier := a.Tier
		if tier == 0 {
			tier = 1
		} else if tier < 1 || tier > 3 {
			return nil, fmt.Errorf("%s.tier: %d is not a tier; use 1, 2 or 3", key, a.Tier)
		}
		out = append(out, bot.Agent{Name: a.Name, IDs: a.IDs, Groups: a.Groups, Tier: tier, Role: role})
	}
	return out, nil
}

// resolveTeams checks the escalation teams. Tiers 2 and 3 always exist,
// posting to the triage channel unless a team named tier2 or tier3 says
// otherwise.
func resolveTeams(in []teamEntry, triage tickets.Place) ([]bot.Team, error) {
	var out []bot.Team
	seen := map[string]bool{}
	for i, t := range in {
		key := fmt.Sprintf("teams[%d]", i)
		name := strings.ToLower(strings.TrimSpace(t.Name))
		switch {
		case name == "":
			return nil, fmt.Errorf("%s.name: missing; name the team, for example network, or tier2 for the tier 2 queue", key)
		case strings.ContainsAny(name, " |:"):
			return nil, fmt.Errorf("%s.name: %q has spaces or punctuation; use one word like network or field-support", key, t.Name)
		case seen[name]:
			return nil, fmt.Errorf("%s.name: %q is used twice; team names must be unique", key, t.Name)
		case t.Tier < 2 || t.Tier > 3:
			return nil, fmt.Errorf("%s.tier: %d is not a tier to escalate to; use 2 or 3", key, t.Tier)
		case (name == "tier2" && t.Tier != 2) || (name == "tier3" && t.Tier != 3):
			return nil, fmt.Errorf("%s.tier: team %s must have tier %s", key, name, name[4:])
		case (t.Platform == "") != (t.Channel == ""):
			return nil, fmt.Errorf("%s: give both platform and channel, or neither to post escalations to the triage channel", key)
		}
		for _, id := range t.Agents {
			if p, u, ok := strings.Cut(id, ":"); !ok || p == "" || u == "" {
				return nil, fmt.Errorf("%s.agents: %q is not PLATFORM:USER_ID; write it like slack:U0123ABC", key, id)
			}
		}
		seen[name] = true
		place := tickets.Place{Platform: t.Platform, ChannelID: t.Channel}
		if place.ChannelID == "" {
			place = triage
		}
		out = append(out, bot.Team{Name: name, Tier: t.Tier, Place: place, Agents: t.Agents})
	}
	for _, tier := range []int{2, 3} {
		name := fmt.Sprintf("tier%d", tier)
		if !seen[name] {
			out = append(out, bot.Team{Name: name, Tier: tier, Place: triage})
		}
	}
	return out, nil
}

func resolveMatrix(in map[string]map[string]string) (tickets.Matrix, error) {
	m := tickets.DefaultMatrix()
	for impact, row := range in {
		il, ok := tickets.ParseLevel(impact)
		if !ok {
			return nil, fmt.Errorf("priority_matrix.%s: %q is not an impact level; use high, medium or low", impact, impact)
		}
		for urgency, p := range row {
			ul, ok := tickets.ParseLevel(urgency)
			if !ok {
				return nil, fmt.Errorf("priority_matrix.%s.%s: %q is not an urgency level; use high, medium or low", impact, urgency, urgency)
			}
			pr, err := tickets.ParsePriority(p)
			if err != nil {
				return nil, fmt.Errorf("priority_matrix.%s.%s: %q is not a priority; use P1, P2, P3 or P4", impact, urgency, p)
			}
			m[il][ul] = pr
		}
	}
	return m, nil
}

func resolveSLA(in map[string]slaSection) (tickets.SLAPolicy, error) {
	s := tickets.DefaultSLA()
	for name, t := range in {
		p, err := tickets.ParsePriority(name)
		if err != nil {
			return nil, fmt.Errorf("sla.%s: not a priority; the keys under sla are P1, P2, P3 and P4", name)
		}
		target := s[p]
		if target.Response, err = duration(fmt.Sprintf("sla.%s.response", name), t.Response, target.Response); err != nil {
			return nil, err
		}
		if target.Resolution, err = duration(fmt.Sprintf("sla.%s.resolution", name), t.Resolution, target.Resolution); err != nil {
			return nil, err
		}
		if target.Resolution < target.Response {
			return nil, fmt.Errorf("sla.%s: resolution (%s) is shorter than response (%s); a ticket cannot be resolved before it is answered", name, target.Resolution, target.Response)
		}
		s[p] = target
	}
	return s, nil
}

func resolveCatalog(in []requestEntry) ([]bot.RequestType, error) {
	if len(in) == 0 {
		return bot.DefaultCatalog(), nil
	}
	seen := map[string]bool{}
	out := make([]bot.RequestType, 0, len(in))
	for i, r := range in {
		key := fmt.Sprintf("catalog[%d]", i)
		switch {
		case r.Name == "":
			return nil, fmt.Errorf("%s.name: missing; give each request type a short id like hardware", key)
		case seen[r.Name]:
			return nil, fmt.Errorf("%s.name: %q is used twice; request type names must be unique", key, r.Name)
		case len(r.Keywords) == 0:
			return nil, fmt.Errorf("%s.keywords: missing for %s; list words people use when asking for it", key, r.Name)
		case len(r.Fields) == 0:
			return nil, fmt.Errorf("%s.fields: missing for %s; list at least one field with a question", key, r.Name)
		}
		seen[r.Name] = true
		rt := bot.RequestType{Name: r.Name, Title: r.Title, Keywords: r.Keywords, Priority: tickets.P4, Category: tickets.CategoryOther}
		if rt.Title == "" {
			rt.Title = r.Name
		}
		if r.Category != "" {
			c, ok := tickets.ParseCategory(r.Category)
			if !ok {
				return nil, fmt.Errorf("%s.category: %q is not a category; use one of account, mfa, hardware, software, network, email, printing, access, other", key, r.Category)
			}
			rt.Category = c
		}
		if r.Priority != "" {
			p, err := tickets.ParsePriority(r.Priority)
			if err != nil {
				return nil, fmt.Errorf("%s.priority: %q is not a priority; use P1, P2, P3 or P4", key, r.Priority)
			}
			rt.Priority = p
		}
		for j, f := range r.Fields {
			if f.Name == "" || f.Question == "" {
				return nil, fmt.Errorf("%s.fields[%d]: each field needs a name and a question", key, j)
			}
			rt.Fields = append(rt.Fields, bot.RequestField{Name: f.Name, Question: f.Question, Optional: f.Optional})
		}
		out = append(out, rt)
	}
	return out, nil
}
