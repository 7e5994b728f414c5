package config

import (
	"fmt"
	"strings"

	"github.com/helpdesk-bot/helpdesk/bot"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// onCallSection is the on_call: section.
type onCallSection struct {
	Agents     []string `yaml:"agents"`
	Notify     string   `yaml:"notify"`
	Priorities []string `yaml:"priorities"`
	Page       *bool    `yaml:"page"`
}

// resolve reads the on_call: section over bot.DefaultOnCall.
func (c onCallSection) resolve() (bot.OnCall, error) {
	oc := bot.DefaultOnCall()
	for _, id := range c.Agents {
		if p, u, ok := strings.Cut(id, ":"); !ok || p == "" || u == "" {
			return oc, fmt.Errorf("on_call.agents: %q is not PLATFORM:USER_ID; write it like console:dana or slack:U0123ABC, as in agents", id)
		}
	}
	if len(c.Agents) > 0 {
		oc.Agents = c.Agents
	}
	switch n := strings.ToLower(strings.TrimSpace(c.Notify)); n {
	case "":
	case bot.NotifyDM, bot.NotifyMention, bot.NotifyOff:
		oc.Notify = n
	default:
		return oc, fmt.Errorf("on_call.notify: %q is not a way to notify; use dm (a direct message to each agent on call), mention (a mention in the triage thread) or off (the triage thread only)", c.Notify)
	}
	if c.Priorities != nil {
		oc.Priorities = nil
		for _, p := range c.Priorities {
			prio, err := tickets.ParsePriority(p)
			if err != nil {
				return oc, fmt.Errorf("on_call.priorities: %q is not a priority; use P1, P2, P3 or P4", p)
			}
			oc.Priorities = append(oc.Priorities, prio)
		}
	}
	if c.Page != nil {
		oc.Page = *c.Page
	}
	return oc, nil
}

// resolveMacros checks the macros: section, canned replies by name.
func resolveMacros(in map[string]string) (map[string]string, error) {
	out := make(map[string]string, len(in))
	for name, text := range in {
		if err := bot.CheckMacro(strings.ToLower(name), text); err != nil {
			return nil, fmt.Errorf("macros.%s: %v", name, err)
		}
		out[strings.ToLower(name)] = text
	}
	return out, nil
}
