package tickets

import "time"

// TimerKind names what a timer does when it comes due.
type TimerKind string

// The timers a ticket can have. Each is set from the ticket's state when it
// changes and replaced wholesale the next time it changes, so a timer that
// fires always matches the ticket as it is.
const (
	TimerResponseWarn   TimerKind = "response_warn"   // first response target nearly reached
	TimerResponseBreach TimerKind = "response_breach" // first response target missed
	TimerResolveWarn    TimerKind = "resolve_warn"    // resolution target nearly reached
	TimerResolveBreach  TimerKind = "resolve_breach"  // resolution target missed
	TimerStatusUpdate   TimerKind = "status_update"   // requester has heard nothing for a while
	TimerFollowUp       TimerKind = "follow_up"       // ask "still fixed?" after resolution
	TimerAutoClose      TimerKind = "auto_close"      // close a resolved ticket nobody answered
	TimerPendingRemind  TimerKind = "pending_remind"  // remind the requester a ticket waits on them
	TimerPendingClose   TimerKind = "pending_close"   // close a pending ticket nobody answered
)

// Timer is something to do about a ticket at a time: the scheduler's unit
// of work. Timers due during downtime fire late, once.
type Timer struct {
	ID       int64
	TicketID int64
	Kind     TimerKind
	Due      time.Time
}
