package bot

import (
	"strings"

	"github.com/helpdesk-bot/helpdesk/bot/extract"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// DefaultCatalog is the service catalog used when config names none.
func DefaultCatalog() []RequestType {
	return []RequestType{
		{
			Name: "new_account", Title: "New account", Category: tickets.CategoryAccount, Priority: tickets.P3,
			Keywords: []string{"new account", "new starter", "new hire", "new joiner", "new employee", "create an account", "account for"},
			Fields: []RequestField{
				{Name: "person", Question: "Who is the account for? (full name)"},
				{Name: "start_date", Question: "When do they start?"},
				{Name: "role", Question: "What is their role and team?"},
				{Name: "manager", Question: "Who is their manager?"},
			},
		},
		{
			Name: "hardware", Title: "Hardware request", Category: tickets.CategoryHardware, Priority: tickets.P4,
			Keywords: []string{"monitor", "laptop", "keyboard", "mouse", "headset", "dock", "docking station", "webcam", "charger", "phone", "adapter", "cable", "desk"},
			Fields: []RequestField{
				{Name: "item", Question: "What do you need?"},
				{Name: "reason", Question: "What is it for? (one line is enough)"},
				{Name: "location", Question: "Where should it be delivered (office and desk, or home address on file)?"},
			},
		},
		{
			Name: "software", Title: "Software install", Category: tickets.CategorySoftware, Priority: tickets.P4,
			Keywords: []string{"install", "installed", "licence", "license", "software", "app", "application", "subscription"},
			Fields: []RequestField{
				{Name: "software", Question: "Which software (name and version, if it matters)?"},
				{Name: "device", Question: "Which computer should it go on?"},
				{Name: "reason", Question: "What do you need it for?"},
			},
		},
		{
			Name: "access", Title: "Access to a system", Category: tickets.CategoryAccess, Priority: tickets.P3,
			Keywords: []string{"access to", "access for", "permission to", "permissions on", "add me to", "added to"},
			Fields: []RequestField{
				{Name: "system", Question: "Which system, folder or group do you need access to?"},
				{Name: "level", Question: "What level of access (for example read-only, edit, admin)?"},
				{Name: "reason", Question: "What do you need it for?"},
				{Name: "approver", Question: "Who approves this (usually your manager or the system owner)?", Optional: true},
			},
		},
	}
}

// matchRequest reports whether text asks for a catalog service, and the item
// asked for when it can tell.
func (b *Bot) matchRequest(text string) (RequestType, string, bool) {
	if !extract.AsksFor(text) {
		return RequestType{}, "", false
	}
	// The longest keyword found wins, so "install Zoom on my laptop" is a
	// software request, not a hardware one; ties go to catalog order.
	lower := strings.ToLower(text)
	best, bestLen := -1, 0
	for i, rt := range b.conf().Catalog {
		for _, kw := range rt.Keywords {
			if len(kw) > bestLen && extract.ContainsWord(lower, strings.ToLower(kw)) {
				best, bestLen = i, len(kw)
			}
		}
	}
	if best < 0 {
		// No keyword: what the message names tells the kind of request —
		// an app to have access to or to install, a device to get.
		ex := extract.Extract(text, b.deskNow())
		var want tickets.Category
		switch {
		case extract.AsksRestore(text):
			// "can I get yesterday's version of my Excel file back" names
			// an app, but is no install: no form fits.
		case ex.App != "" && extract.AsksAccess(text):
			want = tickets.CategoryAccess
		case ex.App != "":
			want = tickets.CategorySoftware
		case ex.Device != "":
			want = tickets.CategoryHardware
		}
		for _, rt := range b.conf().Catalog {
			if want != "" && rt.Category == want {
				return rt, extract.RequestedItem(text), true
			}
		}
		// A request the catalog has no form for: it goes to the desk as
		// the person wrote it.
		return RequestType{}, extract.RequestedItem(text), true
	}
	return b.conf().Catalog[best], extract.RequestedItem(text), true
}

// requestType looks up a catalog entry by name.
func (b *Bot) requestType(name string) (RequestType, bool) {
	for _, rt := range b.conf().Catalog {
		if rt.Name == name {
			return rt, true
		}
	}
	return RequestType{}, false
}
