package tickets

import "time"

// Macro is a canned reply agents keep at the desk: "/reply 12 :vpn-reset"
// sends its text, placeholders filled in. Macros written in the config
// file are not stored; those added in chat are.
type Macro struct {
	Name      string // lower case, letters, digits, - and _
	Text      string
	Author    string // Person.Key of who added or last changed it
	UpdatedAt time.Time
}
