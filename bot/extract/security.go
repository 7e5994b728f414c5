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

// compromise is a report that an account, a device or data may be in
// someone else's hands: a phishing link clicked or a password typed into
// a fake page, a hacked account, ransomware, a lost or stolen device.
var compromise = regexp.MustCompile(`(?i)\b(?:clicked|opened|followed|tapped)\b[^.!?\n]{0,40}\b(?:phish\w*|suspicious|fake|scam|dodgy|malicious)\b` +
	`|\b(?:phish\w*|suspicious|fake|scam|dodgy|malicious)\b[^.!?\n]{0,40}\b(?:and|then|but) (?:i )?(?:clicked|opened|entered|typed|gave)\b` +
	`|\b(?:entered|typed|gave|put in)\b[^.!?\n]{0,30}\b(?:password|credentials|login|mfa code|code)\b[^.!?\n]{0,40}\b(?:fake|phish\w*|suspicious|scam|wrong)(?: \w+)? (?:site|page|website|link|email|form)\b` +
	`|\b(?:been|was|got|is|are|were) (?:hacked|compromised|breached)\b|\bransom\w*|\b(?:files?|everything) (?:are |is |got |have been |has been )?encrypted\b` +
	`|\b(?:lost|stolen|someone stole|left)\b[^.!?\n]{0,20}\b(?:laptop|phone|mobile|iphone|tablet|ipad|badge|yubikey|security key)\b` +
	`|\bsomeone (?:else )?(?:logged|signed) (?:in|into)\b|\bsign-?ins? from (?:another|a strange|an unknown|a weird)\b`)

// Compromised reports whether text says an account, device or data may be
// in someone else's hands. Such a report always reaches IT: an article
// may say what to do at once, but "it fixed it" must not close it.
func Compromised(text string) bool {
	return compromise.MatchString(text)
}

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
