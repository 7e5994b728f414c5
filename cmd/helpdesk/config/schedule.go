package config

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot"
	"github.com/helpdesk-bot/helpdesk/bot/schedule"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// scheduleSection is the schedule: section: the time zone, and when each
// of the desk's jobs runs, by the job's name in bot.Jobs. The jobs are read
// into a map rather than named here, so a job the desk adds is configurable
// without a change to this package.
type scheduleSection struct {
	Timezone string            `yaml:"timezone"`
	Jobs     map[string]string `yaml:",inline"`
}

// followupsSection is the followups: section.
type followupsSection struct {
	SLAWarnAt     *float64          `yaml:"sla_warn_at"`
	StatusEvery   map[string]string `yaml:"status_every"`
	FollowUpAfter string            `yaml:"follow_up_after"`
	CloseAfter    string            `yaml:"close_after"`
	PendingRemind string            `yaml:"pending_remind"`
	PendingClose  string            `yaml:"pending_close"`
}

// businessHoursSection is the business_hours: section; empty means SLA
// targets count round the clock.
type businessHoursSection struct {
	Days     []string `yaml:"days"`
	Start    string   `yaml:"start"`
	End      string   `yaml:"end"`
	Holidays []string `yaml:"holidays"`
}

// Schedule is when the desk's jobs (bot.Jobs) run.
type Schedule struct {
	// Location is the time zone of the cron specs and of business hours.
	Location *time.Location
	Specs    map[string]string // job name → cron spec; "" turns a job off
}

func resolveSchedule(c scheduleSection) (Schedule, error) {
	s := Schedule{Location: time.UTC, Specs: map[string]string{}}
	if c.Timezone != "" {
		loc, err := time.LoadLocation(c.Timezone)
		if err != nil {
			return s, fmt.Errorf("schedule.timezone: %q is not a time zone; use an IANA name like Europe/Berlin or America/New_York", c.Timezone)
		}
		s.Location = loc
	}
	jobs := bot.Jobs()
	names := make([]string, len(jobs))
	for i, j := range jobs {
		names[i] = j.Name
	}
	for _, key := range slices.Sorted(maps.Keys(c.Jobs)) {
		if !slices.Contains(names, key) {
			return s, fmt.Errorf("schedule.%s: unknown setting; write timezone or one of the desk's jobs: %s", key, strings.Join(names, ", "))
		}
	}
	for _, j := range jobs {
		given := c.Jobs[j.Name]
		spec := strings.TrimSpace(given)
		switch spec {
		case "":
			spec = j.Spec
		case "off":
			spec = ""
		}
		if spec != "" {
			if err := schedule.Check(spec); err != nil {
				return s, fmt.Errorf("schedule.%s: %q is not a cron expression (%v); write it like \"0 8 * * 1-5\", \"@every 1m\" or off", j.Name, given, err)
			}
		}
		s.Specs[j.Name] = spec
	}
	return s, nil
}

func resolveFollowups(c followupsSection) (bot.Followups, error) {
	f := bot.DefaultFollowups()
	if c.SLAWarnAt != nil {
		if *c.SLAWarnAt <= 0 || *c.SLAWarnAt >= 1 {
			return f, fmt.Errorf("followups.sla_warn_at: %v is not a share of the target; use a number between 0 and 1 such as %v", *c.SLAWarnAt, bot.DefaultFollowups().SLAWarnShare)
		}
		f.SLAWarnShare = *c.SLAWarnAt
	}
	for p, d := range c.StatusEvery {
		prio, err := tickets.ParsePriority(p)
		if err != nil {
			return f, fmt.Errorf("followups.status_every: %q is not a priority; use P1, P2, P3 or P4", p)
		}
		v, err := optionalDuration("followups.status_every."+p, d)
		if err != nil {
			return f, err
		}
		f.StatusEvery[prio] = v
	}
	for _, x := range []struct {
		key string
		in  string
		out *time.Duration
	}{
		{"followups.follow_up_after", c.FollowUpAfter, &f.FollowUpAfter},
		{"followups.close_after", c.CloseAfter, &f.CloseAfter},
		{"followups.pending_remind", c.PendingRemind, &f.PendingRemind},
		{"followups.pending_close", c.PendingClose, &f.PendingClose},
	} {
		if x.in == "" {
			continue
		}
		v, err := optionalDuration(x.key, x.in)
		if err != nil {
			return f, err
		}
		*x.out = v
	}
	return f, nil
}

// optionalDuration reads a duration where "off" turns the follow-up off.
func optionalDuration(key, s string) (time.Duration, error) {
	if strings.TrimSpace(s) == "off" {
		return 0, nil
	}
	return duration(key, s, 0)
}

// weekday reads a day by its first three letters: mon, Monday and MON
// are all Monday.
func weekday(s string) (time.Weekday, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	s = s[:min(3, len(s))]
	for d := time.Sunday; d <= time.Saturday; d++ {
		if s == strings.ToLower(d.String()[:3]) {
			return d, true
		}
	}
	return 0, false
}

func resolveBusinessHours(c businessHoursSection, loc *time.Location) (*tickets.Calendar, error) {
	if len(c.Days) == 0 && c.Start == "" && c.End == "" && len(c.Holidays) == 0 {
		return nil, nil
	}
	cal := &tickets.Calendar{Location: loc, Holidays: map[string]bool{}}
	if len(c.Days) == 0 {
		return nil, fmt.Errorf("business_hours.days: missing; list the working days, for example [mon, tue, wed, thu, fri]")
	}
	for _, d := range c.Days {
		wd, ok := weekday(d)
		if !ok {
			return nil, fmt.Errorf("business_hours.days: %q is not a day; use mon, tue, wed, thu, fri, sat or sun", d)
		}
		cal.Days[wd] = true
	}
	var err error
	if cal.Start, err = clockTime("business_hours.start", c.Start, 9*time.Hour); err != nil {
		return nil, err
	}
	if cal.End, err = clockTime("business_hours.end", c.End, 17*time.Hour); err != nil {
		return nil, err
	}
	if cal.End <= cal.Start {
		return nil, fmt.Errorf("business_hours.end: %s is not after start %s", c.End, c.Start)
	}
	for _, h := range c.Holidays {
		if _, err := time.Parse(time.DateOnly, h); err != nil {
			return nil, fmt.Errorf("business_hours.holidays: %q is not a date; write it like 2026-12-25", h)
		}
		cal.Holidays[h] = true
	}
	return cal, nil
}

func clockTime(key, s string, def time.Duration) (time.Duration, error) {
	if s == "" {
		return def, nil
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not a time of day; write it like 09:00 or 17:30", key, s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}
