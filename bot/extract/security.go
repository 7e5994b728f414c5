package extract

import (
	"regexp"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// The bot acts only for the platform-verified sender. These cues catch
// reports that ask it, or an agent, to act on someone else's account, and
// the pressure tactics of social engineering; they flag the ticket for the
// agent rather than refuse, because most such requests are honest.

var (
	// thirdParty: a request about another person's account or access
	// ("reset Bob's password", "unlock my boss's account", "for my
	// colleague"). "my" alone is the sender's own.
	thirdParty = regexp.MustCompile(`(?i)\b(?:reset|unlock|change|disable|enable|give me|grant|remove|set up|recover)\b[^.!?\n]{0,40}\b(?:[A-Z][a-z]+'s|his|her|their|(?:my )?(?:boss|manager|colleague|coworker|co-worker|team ?mate|director|ceo|cfo|assistant)(?:'s)?)\s+(?:password|account|mfa|2fa|login|access|phone|authenticator|email|mailbox)` +
		`|\b(?:password|account|mfa|access)\b[^.!?\n]{0,30}\bfor (?:my )?(?:boss|manager|colleague|coworker|director|ceo|cfo|[A-Z][a-z]+ [A-Z][a-z]+)\b` +
		`|\bI'?m (?:his|her|their) (?:manager|boss|assistant)\b|\bon behalf of\b`)
	// urgency and authority together, or asking to skip checks.
	urgency   = regexp.MustCompile(`(?i)\b(?:urgent(?:ly)?|asap|immediately|right now|right away|within (?:the )?(?:hour|\d+ min)|before (?:the|my) (?:meeting|flight|board)|emergency|no time)\b`)
	authority = regexp.MustCompile(`(?i)\b(?:ceo|cfo|cto|director|vp|vice president|executive|the board|i'?m (?:his|her|their|the) (?:manager|boss)|on (?:the )?(?:ceo|director)'s (?:behalf|orders)|(?:ceo|boss|director) (?:said|wants|asked|needs))\b`)
	bypass    = regexp.MustCompile(`(?i)\b(?:skip|bypass|without|don'?t (?:need|bother with)|no need for)\b[^.!?\n]{0,30}\b(?:verification|verify|verifying|security questions?|the usual (?:checks|process)|call ?back|mfa|2fa|approval|ticket)\b`)
)

// SecurityFlags returns the ticket flags the report's text raises.
func SecurityFlags(text string) []string {
	var flags []string
	if thirdParty.MatchString(text) {
		flags = append(flags, tickets.FlagIdentity)
	}
	if bypass.MatchString(text) || urgency.MatchString(text) && authority.MatchString(text) {
		flags = append(flags, tickets.FlagSocialEngineering)
	}
	return flags
}
