package tickets

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestStatusTransitions(t *testing.T) {
	tests := []struct {
		from, to Status
		ok       bool
	}{
		{StatusNew, StatusOpen, true},
		{StatusNew, StatusResolved, true},
		{StatusOpen, StatusPending, true},
		{StatusPending, StatusOpen, true},
		{StatusOpen, StatusEscalated, true},
		{StatusEscalated, StatusResolved, true},
		{StatusResolved, StatusOpen, true},
		{StatusResolved, StatusClosed, true},
		{StatusClosed, StatusOpen, true},
		{StatusOpen, StatusNew, false},
		{StatusResolved, StatusPending, false},
		{StatusClosed, StatusResolved, false},
		{StatusPending, StatusNew, false},
		{Status("bogus"), StatusOpen, false},
	}
	for _, tt := range tests {
		if got := tt.from.CanTransition(tt.to); got != tt.ok {
			t.Errorf("%s → %s = %v, want %v", tt.from, tt.to, got, tt.ok)
		}
	}
	for s, active := range map[Status]bool{StatusNew: true, StatusOpen: true, StatusPending: true, StatusEscalated: true, StatusResolved: false, StatusClosed: false} {
		if s.Active() != active {
			t.Errorf("%s.Active() = %v", s, !active)
		}
	}
}

func TestParsePriority(t *testing.T) {
	for in, want := range map[string]Priority{"P1": P1, "p2": P2, "3": P3, " P4 ": P4} {
		if got, err := ParsePriority(in); err != nil || got != want {
			t.Errorf("ParsePriority(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "P0", "P5", "high", "P1x", "01"} {
		if _, err := ParsePriority(in); ErrorCode(err) != EINVALID {
			t.Errorf("ParsePriority(%q) err = %v, want EINVALID", in, err)
		}
	}
}

func TestMatrix(t *testing.T) {
	m := DefaultMatrix()
	tests := []struct {
		impact, urgency Level
		want            Priority
	}{
		{High, High, P1}, {High, Low, P3}, {Medium, Medium, P3}, {Low, High, P3}, {Low, Low, P4},
		{"", "", P3},   // unknown counts as medium
		{High, "", P2}, // unknown urgency is medium
		{"", High, P2}, // unknown impact is medium
	}
	for _, tt := range tests {
		if got := m.Priority(tt.impact, tt.urgency); got != tt.want {
			t.Errorf("Priority(%q, %q) = %v, want %v", tt.impact, tt.urgency, got, tt.want)
		}
	}
}

func TestSLADue(t *testing.T) {
	opened := time.Date(2026, 11, 18, 14, 30, 0, 0, time.UTC)
	resp, res := DefaultSLA().Due(nil, P1, opened)
	if !resp.Equal(opened.Add(15*time.Minute)) || !res.Equal(opened.Add(4*time.Hour)) {
		t.Errorf("P1 due = %v, %v", resp, res)
	}
	if resp, res := (SLAPolicy{}).Due(nil, P1, opened); !resp.IsZero() || !res.IsZero() {
		t.Errorf("no policy: due = %v, %v, want zero", resp, res)
	}
}

func TestErrors(t *testing.T) {
	err := fmt.Errorf("sqlite: get ticket: %w", Errorf(ENOTFOUND, "Ticket #%d does not exist.", 9))
	if ErrorCode(err) != ENOTFOUND || ErrorMessage(err) != "Ticket #9 does not exist." {
		t.Errorf("wrapped domain error: code %q message %q", ErrorCode(err), ErrorMessage(err))
	}
	plain := errors.New("disk I/O error")
	if ErrorCode(plain) != EINTERNAL {
		t.Errorf("plain error code = %q", ErrorCode(plain))
	}
	if msg := ErrorMessage(plain); msg == "" || msg == plain.Error() {
		t.Errorf("internal detail leaked to users: %q", msg)
	}
	if ErrorCode(nil) != "" || ErrorMessage(nil) != "" {
		t.Error("nil error has a code or message")
	}
}

func TestValidate(t *testing.T) {
	good := Ticket{Kind: KindIncident, Status: StatusNew, Priority: P3, Summary: "x", Requester: Person{Platform: "console", UserID: "a"}}
	if err := good.Validate(); err != nil {
		t.Fatalf("valid ticket: %v", err)
	}
	for name, mutate := range map[string]func(*Ticket){
		"kind":      func(t *Ticket) { t.Kind = "task" },
		"status":    func(t *Ticket) { t.Status = "done" },
		"priority":  func(t *Ticket) { t.Priority = 7 },
		"requester": func(t *Ticket) { t.Requester = Person{} },
		"summary":   func(t *Ticket) { t.Summary = "" },
	} {
		tk := good
		mutate(&tk)
		if err := tk.Validate(); ErrorCode(err) != EINVALID {
			t.Errorf("%s: err = %v, want EINVALID", name, err)
		}
	}
}

func TestCategoryParse(t *testing.T) {
	for _, c := range Categories {
		if got, ok := ParseCategory(" " + string(c) + " "); !ok || got != c {
			t.Errorf("ParseCategory(%q) = %q, %v", c, got, ok)
		}
		if c.Label() == "" {
			t.Errorf("%q has no label", c)
		}
	}
	if _, ok := ParseCategory("toys"); ok {
		t.Error("ParseCategory accepted an unknown category")
	}
}
