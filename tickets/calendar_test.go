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
