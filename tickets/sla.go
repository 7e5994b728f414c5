package tickets

import "time"

// Target is the time allowed to first respond to and to resolve a ticket.
type Target struct {
	Response   time.Duration
	Resolution time.Duration
}

// SLAPolicy gives the targets for each priority.
type SLAPolicy map[Priority]Target

// DefaultSLA is a common small-desk policy, in calendar time.
func DefaultSLA() SLAPolicy {
	return SLAPolicy{
		P1: {Response: 15 * time.Minute, Resolution: 4 * time.Hour},
		P2: {Response: 1 * time.Hour, Resolution: 8 * time.Hour},
		P3: {Response: 4 * time.Hour, Resolution: 3 * 24 * time.Hour},
		P4: {Response: 8 * time.Hour, Resolution: 5 * 24 * time.Hour},
	}
}

// Due returns the response and resolution deadlines for a ticket of priority
// p opened at opened, counting only the working time of cal (nil: round the
// clock).
func (s SLAPolicy) Due(cal *Calendar, p Priority, opened time.Time) (response, resolution time.Time) {
	t, ok := s[p]
	if !ok {
		return time.Time{}, time.Time{}
	}
	return cal.Add(opened, t.Response), cal.Add(opened, t.Resolution)
}
