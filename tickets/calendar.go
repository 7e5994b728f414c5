package tickets

import (
	"time"
)

// Calendar is the desk's business hours: SLA targets count only working
// time on working days outside holidays. A nil *Calendar is round the
// clock, every day.
//
// Start and End are read on the local clock: on a day when the clock skips
// them (a daylight-saving gap), the day starts or ends when the clock
// jumps past them; when the clock shows them twice, at the first. A point
// that falls on the boundary between two working periods — a deadline or a
// warning that lands exactly at closing time — is at closing time, never
// at the next opening.
type Calendar struct {
	Location *time.Location
	Days     [7]bool         // working days, indexed by time.Weekday
	Start    time.Duration   // start of the working day, from midnight
	End      time.Duration   // end of the working day, from midnight; after Start
	Holidays map[string]bool // dates "2006-01-02" in Location that are not worked
}

// workday returns the working interval of the day containing t, in the
// calendar's location; ok is false when the day is not worked.
func (c *Calendar) workday(t time.Time) (start, end time.Time, ok bool) {
	t = t.In(c.Location)
	y, m, d := t.Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, c.Location)
	if !c.Days[t.Weekday()] || c.Holidays[midnight.Format(time.DateOnly)] {
		return time.Time{}, time.Time{}, false
	}
	// Adding clock offsets through time.Date keeps them right across a
	// daylight-saving change.
	return clock(midnight, c.Start), clock(midnight, c.End), true
}

// clock is the first instant of midnight's day at which the local clock
// shows off (the time of day) or later.
func clock(midnight time.Time, off time.Duration) time.Time {
	y, m, d := midnight.Date()
	h, mi, s := int(off/time.Hour), int(off%time.Hour/time.Minute), int(off%time.Minute/time.Second)
	t := time.Date(y, m, d, h, mi, s, 0, midnight.Location())
	if th, tmi, ts := t.Clock(); th == h && tmi == mi && ts == s {
		// Shown twice (the clock went back): the earlier one is first.
		if e := t.Add(-time.Hour); e.Day() == d {
			if eh, emi, es := e.Clock(); eh == h && emi == mi && es == s {
				return e
			}
		}
		return t
	}
	// Never shown: the clock jumps over it, so it is passed at the jump,
	// the boundary of the zone time.Date picked, on whichever side.
	start, end := t.ZoneBounds()
	if th, tmi, _ := t.Clock(); th*60+tmi < h*60+mi {
		return end
	}
	return start
}

// nextDay is midnight of the day after t's, in the calendar's location.
func (c *Calendar) nextDay(t time.Time) time.Time {
	t = t.In(c.Location)
	y, m, d := t.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, c.Location)
}

// Add returns the time d of working time after t.
func (c *Calendar) Add(t time.Time, d time.Duration) time.Time {
	if c == nil || d <= 0 {
		return t.Add(d)
	}
	if !c.hasWorkdays() {
		return t.Add(d) // a calendar with no working time would never end
	}
	for {
		start, end, ok := c.workday(t)
		if ok && t.Before(end) {
			if t.Before(start) {
				t = start
			}
			if left := end.Sub(t); d <= left {
				return t.Add(d)
			} else {
				d -= left
			}
		}
		t = c.nextDay(t)
	}
}

// Before returns the time d of working time before t: the inverse of Add,
// used to place a warning a share of the way to a deadline.
func (c *Calendar) Before(t time.Time, d time.Duration) time.Time {
	if c == nil || d <= 0 || !c.hasWorkdays() {
		return t.Add(-d)
	}
	for {
		start, end, ok := c.workday(t)
		if ok && t.After(start) {
			if t.After(end) {
				t = end
			}
			// Strictly less: a point that lands on opening time is the
			// closing time of the working day before.
			if left := t.Sub(start); d < left {
				return t.Add(-d)
			} else {
				d -= left
			}
		}
		t = c.prevDayEnd(t)
	}
}

// prevDayEnd is the last instant of the day before t's, in the calendar's
// location.
func (c *Calendar) prevDayEnd(t time.Time) time.Time {
	t = t.In(c.Location)
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, c.Location).Add(-time.Nanosecond)
}

// Between returns the working time from a to b; zero when b is not after a.
func (c *Calendar) Between(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	if c == nil || !c.hasWorkdays() {
		return b.Sub(a)
	}
	var total time.Duration
	for t := a; t.Before(b); t = c.nextDay(t) {
		start, end, ok := c.workday(t)
		if !ok {
			continue
		}
		from, to := maxTime(start, t), minTime(end, b)
		if to.After(from) {
			total += to.Sub(from)
		}
	}
	return total
}

// hasWorkdays reports whether the calendar has any working time; one with
// none (no working day, or a working day that ends when it starts, which
// config refuses) is read as round the clock rather than never ending.
func (c *Calendar) hasWorkdays() bool {
	if c.End <= c.Start {
		return false
	}
	for _, d := range c.Days {
		if d {
			return true
		}
	}
	return false
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// Opens reports whether the desk is open at t and, when it is not, when it
// next opens: t itself while open, else the start of the next working
// period. A nil calendar is always open.
func (c *Calendar) Opens(t time.Time) (next time.Time, open bool) {
	if c == nil || !c.hasWorkdays() {
		return t, true
	}
	// Add skips closed time before it counts: a nanosecond of work starts
	// at t when open, at the next opening when not.
	next = c.Add(t, time.Nanosecond).Add(-time.Nanosecond)
	return next, next.Equal(t)
}
