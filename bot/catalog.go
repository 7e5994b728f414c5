package bot

import (
	"regexp"
	"strings"

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

// requestCue matches phrasing that asks for something rather than reports a
// fault; the catalog keyword alone is not enough ("my monitor is broken" is
// an incident, "I need a second monitor" a request).
var requestCue = regexp.MustCompile(`(?i)\b(i need|i'd like|i would like|can i (get|have)|could i (get|have)|may i have|please (install|add|give|create|set up|order)|request(ing)?|looking for|we need|need (a|an|to get|to have)|get me|order (a|an)|set up (a|an)|requesting|new starter|new hire|new joiner)\b`)

// problemCue matches a fault report, which stays an incident even when it
// also says "I need".
var problemCue = regexp.MustCompile(`(?i)\b(broken|not working|doesn'?t work|won'?t|can'?t|cannot|crash\w*|error|fail\w*|stopped|keeps|issue|problem|denied|locked|slow|frozen|stuck)\b`)

// itemAfter captures what someone asks for: "I need a second monitor" →
// "second monitor".
var itemAfter = regexp.MustCompile(`(?i)\b(?:need|like|get|have|install|order|add me to|access to)\s+(?:a |an |the |me |some )?(?:new )?([^.,;!?\n]{2,60})`)

// politeTail is the courtesy at the end of a request, not part of the item.
var politeTail = regexp.MustCompile(`(?i)(\s+(please|pls|plz|thanks|thank you|asap|if possible))+\s*$`)

// matchRequest reports whether text asks for a catalog service, and the item
// asked for when it can tell.
func (b *Bot) matchRequest(text string) (RequestType, string, bool) {
	if !requestCue.MatchString(text) || problemCue.MatchString(text) {
		return RequestType{}, "", false
	}
	// The longest keyword found wins, so "install Zoom on my laptop" is a
	// software request, not a hardware one; ties go to catalog order.
	lower := strings.ToLower(text)
	best, bestLen := -1, 0
	for i, rt := range b.conf().Catalog {
		for _, kw := range rt.Keywords {
			if len(kw) > bestLen && containsWord(lower, strings.ToLower(kw)) {
				best, bestLen = i, len(kw)
			}
		}
	}
	if best < 0 {
		return RequestType{}, "", false
	}
	item := ""
	if m := itemAfter.FindStringSubmatch(text); m != nil {
		item = strings.TrimSpace(politeTail.ReplaceAllString(m[1], ""))
	}
	return b.conf().Catalog[best], item, true
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

// containsWord reports whether phrase occurs in s on word boundaries.
func containsWord(s, phrase string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], phrase)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(phrase)
		if (start == 0 || !isWordByte(s[start-1])) && (end == len(s) || !isWordByte(s[end])) {
			return true
		}
		i = start + 1
	}
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
