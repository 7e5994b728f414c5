package kpi

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// PeriodLengthError is ParsePeriod's error for a period that reads well
// but is not positive, or longer than ten years.
type PeriodLengthError struct{ Period string }

func (e *PeriodLengthError) Error() string {
	return fmt.Sprintf("period %q: must be longer than nothing and at most ten years (3650d)", e.Period)
}

// ParsePeriod reads a period's length as people write it: 24h, 7d, 30d,
// 4w (a Go duration such as 90m works too). It must be positive and at
// most ten years.
func ParsePeriod(s string) (time.Duration, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	bad := fmt.Errorf("period %q: write it like 24h, 7d, 30d or 4w", s)
	if s == "" {
		return 0, bad
	}
	var d time.Duration
	if unit := s[len(s)-1]; unit == 'd' || unit == 'w' {
		n, err := strconv.Atoi(s[:len(s)-1])
		if err != nil {
			return 0, bad
		}
		d = time.Duration(n) * 24 * time.Hour
		if unit == 'w' {
			d *= 7
		}
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, bad
		}
	}
	if d <= 0 || d > 10*365*24*time.Hour {
		return 0, &PeriodLengthError{s}
	}
	return d, nil
}

// FormatPeriod writes a period's length as ParsePeriod reads it.
func FormatPeriod(d time.Duration) string {
	switch {
	case d%(7*24*time.Hour) == 0:
		return fmt.Sprintf("%dw", d/(7*24*time.Hour))
	case d%(24*time.Hour) == 0:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return d.String()
}

// Describe names a period's length in words: "7 days", "24 hours".
func Describe(d time.Duration) string {
	day := 24 * time.Hour
	switch {
	case d%day == 0 && d >= 2*day:
		return fmt.Sprintf("%d days", d/day)
	case d%time.Hour == 0 && d >= 2*time.Hour:
		return fmt.Sprintf("%d hours", d/time.Hour)
	case d == time.Hour:
		return "hour"
	}
	return d.String()
}
