package tickets

import (
	"fmt"
	"strings"
)

// Priority orders tickets by how soon they need work: P1 is the most urgent.
type Priority int

// The four priorities.
const (
	P1 Priority = 1
	P2 Priority = 2
	P3 Priority = 3
	P4 Priority = 4
)

// String renders the priority as P1..P4.
func (p Priority) String() string {
	if p < P1 || p > P4 {
		return "P?"
	}
	return fmt.Sprintf("P%d", int(p))
}

// Valid reports whether p is one of P1..P4.
func (p Priority) Valid() bool { return p >= P1 && p <= P4 }

// ParsePriority accepts "P2", "p2" or "2".
func ParsePriority(s string) (Priority, error) {
	s = strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "P")
	var n int
	if _, err := fmt.Sscanf(s, "%d", &n); err != nil || !Priority(n).Valid() || fmt.Sprint(n) != s {
		return 0, Errorf(EINVALID, "%q is not a priority; use P1, P2, P3 or P4", s)
	}
	return Priority(n), nil
}

// Level is a three-step scale used for impact and urgency.
type Level string

// The levels of impact and urgency.
const (
	High   Level = "high"
	Medium Level = "medium"
	Low    Level = "low"
)

// ParseLevel accepts high, medium or low case-insensitively.
func ParseLevel(s string) (Level, bool) {
	switch l := Level(strings.ToLower(strings.TrimSpace(s))); l {
	case High, Medium, Low:
		return l, true
	}
	return "", false
}

// Matrix maps impact × urgency to a priority, as ITIL help desks do. It is
// held in config so each desk can tune it.
type Matrix map[Level]map[Level]Priority

// DefaultMatrix is the common ITIL matrix.
func DefaultMatrix() Matrix {
	return Matrix{
		High:   {High: P1, Medium: P2, Low: P3},
		Medium: {High: P2, Medium: P3, Low: P3},
		Low:    {High: P3, Medium: P4, Low: P4},
	}
}

// Priority looks up the priority for impact and urgency; unknown levels count
// as medium so a half-filled report still gets a sensible priority.
func (m Matrix) Priority(impact, urgency Level) Priority {
	if _, ok := m[impact]; !ok {
		impact = Medium
	}
	row := m[impact]
	if p, ok := row[urgency]; ok {
		return p
	}
	if p, ok := row[Medium]; ok {
		return p
	}
	return P3
}
