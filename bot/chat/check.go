package chat

// Check is one result of checking an installation against what it talks
// to, as helpdesk doctor prints it and the bot logs it at start-up: what
// was checked, how it went, and, when it did not pass, the one thing to
// do. Adapters check their platform (tokens, scopes, channels) and return
// Checks.
type Check struct {
	Name   string // what was checked: "slack bot token", "triage channel C0123ABCD"
	Status CheckStatus
	Detail string // what was found
	Fix    string // what to do; "" when nothing
}

// CheckStatus is how a Check went.
type CheckStatus int

// The results of a check: passed; works, but something should be looked
// at; does not work.
const (
	CheckOK CheckStatus = iota
	CheckWarn
	CheckFail
)

// Passed is a Check that passed.
func Passed(name, detail string) Check { return Check{Name: name, Status: CheckOK, Detail: detail} }

// Failed is a Check that failed, with what to do.
func Failed(name, detail, fix string) Check {
	return Check{Name: name, Status: CheckFail, Detail: detail, Fix: fix}
}

// Warned is a Check that passed with a reservation, with what to do.
func Warned(name, detail, fix string) Check {
	return Check{Name: name, Status: CheckWarn, Detail: detail, Fix: fix}
}
