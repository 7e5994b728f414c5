package tickets

// Status is where a ticket is in its lifecycle.
type Status string

// The lifecycle: new → open (claimed) → pending (waiting on the requester) or
// escalated → resolved → closed; a resolved ticket can be reopened.
const (
	StatusNew       Status = "new"
	StatusOpen      Status = "open"
	StatusPending   Status = "pending"
	StatusEscalated Status = "escalated"
	StatusResolved  Status = "resolved"
	StatusClosed    Status = "closed"
)

// transitions lists, for each status, the statuses it may move to.
var transitions = map[Status][]Status{
	StatusNew:       {StatusOpen, StatusPending, StatusEscalated, StatusResolved, StatusClosed},
	StatusOpen:      {StatusPending, StatusEscalated, StatusResolved, StatusClosed},
	StatusPending:   {StatusOpen, StatusEscalated, StatusResolved, StatusClosed},
	StatusEscalated: {StatusOpen, StatusPending, StatusResolved, StatusClosed},
	StatusResolved:  {StatusOpen, StatusClosed},
	StatusClosed:    {StatusOpen},
}

// CanTransition reports whether a ticket in status s may move to next.
func (s Status) CanTransition(next Status) bool {
	for _, t := range transitions[s] {
		if t == next {
			return true
		}
	}
	return false
}

// Active reports whether work on the ticket is still expected.
func (s Status) Active() bool {
	switch s {
	case StatusNew, StatusOpen, StatusPending, StatusEscalated:
		return true
	}
	return false
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { _, ok := transitions[s]; return ok }
