package tickets

import (
	"testing"
	"time"
)

// officeHours is Mon–Fri 9:00–17:00 in Berlin with Christmas off.
func officeHours(t *testing.T) *Calendar {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	c := &Calendar{Location: loc, Start: 9 * time.Hour, End: 17 * time.Hour, Holidays: map[string]bool{"2026-12-25": true}}
	for _, d := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday} {
		c.Days[d] = true
	}
	return c
}

func TestCalendarAdd(t *testing.T) {
	c := officeHours(t)
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, c.Location)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	for _, tc := range []struct {
		name, from string
		d          time.Duration
		want       string
	}{
		{"within the day", "2026-11-18 10:00", 4 * time.Hour, "2026-11-18 14:00"},
		{"past closing rolls to the next morning", "2026-11-18 15:00", 4 * time.Hour, "2026-11-19 11:00"},
		{"before opening starts at opening", "2026-11-18 07:30", time.Hour, "2026-11-18 10:00"},
		{"after closing starts next morning", "2026-11-18 18:00", 30 * time.Minute, "2026-11-19 09:30"},
		{"friday afternoon to monday", "2026-11-20 16:00", 2 * time.Hour, "2026-11-23 10:00"},
		{"reported on saturday", "2026-11-21 11:00", time.Hour, "2026-11-23 10:00"},
		{"ends exactly at closing", "2026-11-18 09:00", 8 * time.Hour, "2026-11-18 17:00"},
		{"holiday skipped", "2026-12-24 16:00", 2 * time.Hour, "2026-12-28 10:00"}, // 25th holiday, 26–27 weekend
		{"three working days", "2026-11-18 09:00", 24 * time.Hour, "2026-11-20 17:00"},
		{"across the DST change", "2027-03-26 16:00", 2 * time.Hour, "2027-03-29 10:00"},
	} {
		if got := c.Add(at(tc.from), tc.d); !got.Equal(at(tc.want)) {
			t.Errorf("%s: Add(%s, %v) = %s, want %s", tc.name, tc.from, tc.d, got.In(c.Location).Format("Mon 2006-01-02 15:04"), tc.want)
		}
		// Between is Add's inverse for starts inside working hours.
		if from := at(tc.from); c.Between(from, c.Add(from, tc.d)) != tc.d && c.Add(from, 0).Equal(from) {
			start, end, ok := c.workday(from)
			if ok && !from.Before(start) && from.Before(end) {
				t.Errorf("%s: Between(from, Add(from, d)) = %v, want %v", tc.name, c.Between(from, c.Add(from, tc.d)), tc.d)
			}
		}
	}
	for _, tc := range []struct {
		to   string
		d    time.Duration
		want string
	}{
		{"2026-11-18 14:00", 4 * time.Hour, "2026-11-18 10:00"},
		{"2026-11-23 10:00", 2 * time.Hour, "2026-11-20 16:00"},
		{"2026-11-23 08:00", time.Hour, "2026-11-20 16:00"},
		{"2026-12-28 10:00", 2 * time.Hour, "2026-12-24 16:00"},
	} {
		if got := c.Before(at(tc.to), tc.d); !got.Equal(at(tc.want)) {
			t.Errorf("Before(%s, %v) = %s, want %s", tc.to, tc.d, got.In(c.Location).Format("Mon 2006-01-02 15:04"), tc.want)
		}
	}
	if got := c.Between(at("2026-11-20 16:00"), at("2026-11-23 10:00")); got != 2*time.Hour {
		t.Errorf("Between over a weekend = %v, want 2h", got)
	}
	var nilCal *Calendar
	if got := nilCal.Add(at("2026-11-21 11:00"), time.Hour); !got.Equal(at("2026-11-21 12:00")) {
		t.Errorf("nil calendar Add = %v, want round the clock", got)
	}
	if got := (&Calendar{Location: time.UTC}).Add(at("2026-11-21 11:00"), time.Hour); !got.Equal(at("2026-11-21 12:00")) {
		t.Errorf("calendar without working days = %v, want round the clock rather than never", got)
	}
}

// Business hours are read on the local clock: an opening the clock skips
// (New York springs forward 02:00 → 03:00 on Sunday 8 March 2026) is when
// the clock jumps; one it shows twice (01:30 on 1 November 2026) is the
// first time it does.
func TestCalendarDaylightSaving(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	every := func(start, end time.Duration) *Calendar {
		c := &Calendar{Location: ny, Start: start, End: end}
		for d := range c.Days {
			c.Days[d] = true
		}
		return c
	}
	gap := every(2*time.Hour+30*time.Minute, 11*time.Hour)
	start, _, _ := gap.workday(time.Date(2026, 3, 8, 12, 0, 0, 0, ny))
	if want := time.Date(2026, 3, 8, 3, 0, 0, 0, ny); !start.Equal(want) {
		t.Errorf("opening in the gap = %s, want %s (the jump)", start, want)
	}
	if got := gap.Between(time.Date(2026, 3, 8, 0, 0, 0, 0, ny), time.Date(2026, 3, 8, 4, 0, 0, 0, ny)); got != time.Hour {
		t.Errorf("working time to 04:00 on the gap day = %v, want 1h (03:00–04:00)", got)
	}
	twice := every(time.Hour+30*time.Minute, 11*time.Hour)
	start, _, _ = twice.workday(time.Date(2026, 11, 1, 12, 0, 0, 0, ny))
	if _, off := start.Zone(); off != -4*3600 || start.Hour() != 1 || start.Minute() != 30 {
		t.Errorf("opening in the repeated hour = %s, want the first 01:30 (EDT)", start)
	}
}

// A calendar whose working day ends when it starts (config refuses it)
// must not loop forever: it is read as round the clock.
func TestCalendarWithoutWorkingTime(t *testing.T) {
	c := officeHours(t)
	c.End = c.Start
	from := time.Date(2026, 11, 18, 10, 0, 0, 0, c.Location)
	if got := c.Add(from, time.Hour); !got.Equal(from.Add(time.Hour)) {
		t.Errorf("Add = %s", got)
	}
	if got := c.Before(from, time.Hour); !got.Equal(from.Add(-time.Hour)) {
		t.Errorf("Before = %s", got)
	}
}

// A point on the boundary of two working periods is at closing time, for
// deadlines (Add) and warnings (Before) alike.
func TestCalendarBoundaryIsClosingTime(t *testing.T) {
	c := officeHours(t)
	at := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, c.Location) }
	if got := c.Add(at(18, 9), 8*time.Hour); !got.Equal(at(18, 17)) {
		t.Errorf("deadline filling the day = %s, want closing time", got)
	}
	// 2h before Thursday 11:00 is Thursday's opening, the same instant of
	// working time as Wednesday's closing: closing it is.
	if got := c.Before(at(19, 11), 2*time.Hour); !got.Equal(at(18, 17)) {
		t.Errorf("warning on the boundary = %s, want Wednesday 17:00", got)
	}
	if got := c.Before(at(19, 11), time.Hour); !got.Equal(at(19, 10)) {
		t.Errorf("Before inside the day = %s", got)
	}
}

func TestCalendarOpens(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	cal := &Calendar{Location: berlin, Start: 9 * time.Hour, End: 18 * time.Hour, Holidays: map[string]bool{"2026-12-25": true}}
	for d := time.Monday; d <= time.Friday; d++ {
		cal.Days[d] = true
	}
	at := func(day, hour, min int) time.Time { return time.Date(2026, 12, day, hour, min, 0, 0, berlin) }
	for _, tc := range []struct {
		name string
		at   time.Time
		next time.Time
		open bool
	}{
		{"working hours", at(1, 10, 0), at(1, 10, 0), true},
		{"at opening", at(1, 9, 0), at(1, 9, 0), true},
		{"at closing", at(1, 18, 0), at(2, 9, 0), false},
		{"before opening", at(1, 7, 30), at(1, 9, 0), false},
		{"friday evening", at(4, 20, 0), at(7, 9, 0), false},
		{"saturday", at(5, 12, 0), at(7, 9, 0), false},
		{"holiday", at(25, 10, 0), at(28, 9, 0), false},
	} {
		next, open := cal.Opens(tc.at)
		if !next.Equal(tc.next) || open != tc.open {
			t.Errorf("%s: Opens(%s) = %s, %v; want %s, %v", tc.name, tc.at, next, open, tc.next, tc.open)
		}
	}
	var always *Calendar
	if next, open := always.Opens(at(5, 3, 0)); !open || !next.Equal(at(5, 3, 0)) {
		t.Errorf("a nil calendar is closed at night: %s %v", next, open)
	}
}
