package extract

import (
	"regexp"
	"strings"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Cue tables for Extract. Every table is an ordered list of regexps over the
// text; a match claims its bytes, and a later rule cannot match over them. So
// a specific phrase listed early ("okta verify", "network drive", "not
// urgent") hides the generic word inside it ("okta", "network", "urgent").

// cueRx compiles a case-insensitive pattern bounded by word boundaries.
func cueRx(p string) *regexp.Regexp { return regexp.MustCompile(`(?i)\b(?:` + p + `)\b`) }

// claimer hands out non-overlapping matches in rule order.
type claimer struct {
	used []bool
	low  lowered // to skip the regexps that cannot match
}

func newClaimer(text string) *claimer {
	return &claimer{used: make([]bool, len(text)), low: lowerText(text)}
}

// claim returns the matches of re in text that do not overlap earlier claims,
// and claims them.
func (c *claimer) claim(re *regexp.Regexp, text string) [][]int {
	if !c.low.mayMatch(re) {
		return nil
	}
	var out [][]int
	for _, m := range re.FindAllStringIndex(text, -1) {
		if c.free(m[0], m[1]) {
			c.take(m[0], m[1])
			out = append(out, m)
		}
	}
	return out
}

// free reports whether no claim covers [start, end).
func (c *claimer) free(start, end int) bool {
	for i := start; i < end; i++ {
		if c.used[i] {
			return false
		}
	}
	return true
}

// take claims [start, end).
func (c *claimer) take(start, end int) {
	for i := start; i < end; i++ {
		c.used[i] = true
	}
}

// catCue is a category cue. Strong cues name the problem ("VPN", "paper
// jam"); weak ones only hint ("laptop", "update"). cat "" hides a phrase.
type catCue struct {
	re     *regexp.Regexp
	cat    tickets.Category
	strong bool
}

// categoryPrecedence breaks ties between categories with cues of the same
// strength, most specific first: "Outlook keeps asking for my password" is
// email, "MFA code not accepted" mfa, "printer won't connect to Wi-Fi"
// printing, "need access to the shared mailbox" access, and anything about an
// app beats the hardware it runs on.
var categoryPrecedence = []tickets.Category{
	tickets.CategoryMFA, tickets.CategoryPrinting, tickets.CategoryAccess, tickets.CategoryEmail,
	tickets.CategoryNetwork, tickets.CategoryAccount, tickets.CategorySoftware, tickets.CategoryHardware,
}

var categoryCues = []catCue{
	{cueRx(`virus ?scan|anti-?virus|malware scan|error codes?|stop codes?|exit codes?|zip codes?|source code|qr codes?|code of conduct|(?:phone|mobile) numbers?|password reset link`), "", false},
	{cueRx(`okta verify|microsoft authenticator|google authenticator|authenticator(?: app)?|mfa|2fa|2-fa|two[- ]?factor|multi[- ]?factor|two[- ]?step|duo(?: mobile| push)?|yubikey|security key|otp|totp|number matching`), tickets.CategoryMFA, true},
	{cueRx(`push (?:notifications?|requests?|prompts?)|approve (?:the )?(?:push|sign-?in|request|prompt)|(?:verification|security|one[- ]time|sms|text(?:ed)?|login|log-?in|sign[- ]?in|6[- ]digit|six[- ]digit|auth|authentication|mfa) codes?|codes? (?:is |are |was |were )?(?:not|isn'?t|never|aren'?t|wasn'?t|doesn'?t|don'?t|won'?t|keeps?)`), tickets.CategoryMFA, true},
	{cueRx(`new phone|changed (?:my )?phones?|lost (?:my )?phone`), tickets.CategoryMFA, false},
	{cueRx(`network printers?|print(?:s|ed|ing|er|ers|r)?|prnter|scanners?|scan to (?:e-?mail|folder)|toner|paper jam|jam(?:s|med|ming)?|cartridges?|copiers?|print queue|print jobs?|plotter|mfp`), tickets.CategoryPrinting, true},
	{cueRx(`scan(?:s|ned|ning)?`), tickets.CategoryPrinting, false},
	{cueRx(`mail-enabled(?: security)? groups?|distribution (?:groups?|lists?)|shared mailbox(?:es)?`), tickets.CategoryEmail, true}, // mail objects, whoever may use them
	{cueRx(`(?:need|needs|needed|request(?:ing|ed)?|give (?:me |us )?|grant(?:ed)?|get|getting|want|would like|'d like|no|don'?t have|do not have|lost|without|revoked|removed) (?:\S+ ){0,2}?access|access (?:is |was )?denied|access requests?|(?:not|hasn'?t|haven'?t|isn'?t|wasn'?t) (?:been )?shared with (?:you|me|us)|sharing (?:options?|links?|settings?|invitations?|permissions?)|share (?:\S+ ){0,4}?with (?:an? |the )?(?:external|guest|other|another|everyone|users?|colleagues?|people|me)|permissions? (?:is |are |was )?denied|(?:don'?t|do not|no) (?:have )?(?:the )?(?:right )?permissions?|folder permissions?|admin rights|add(?:ed)? (?:me|us|\w+) to (?:the )?\S+ (?:group|channel|distribution list|dl|folder|drive|site|team)|add me to|(?:security|ad|azure ad|m365|o365) groups?`), tickets.CategoryAccess, true},
	{cueRx(`(?:shared|network|team|department) (?:drives?|folders?|shares?)|can'?t access|cannot access|unable to access|badge`), tickets.CategoryAccess, false},
	{cueRx(`outlook|owa|e-?mails?|mail|inbox|mailbox(?:es)?|calendars?|meeting invites?|invites?|invitations?|distribution lists?|out of office|gmail|exchange online|bounced?|bouncing|junk folder`), tickets.CategoryEmail, true},
	{cueRx(`attachments?|spam|phishing`), tickets.CategoryEmail, false},
	{cueRx(`vpn|globalprotect|global protect|anyconnect|any connect|forticlient|wi-?fi|wi fi|wireless|wlan|internet|ethernet|dns|proxy|firewall|can'?t reach|cannot reach|unable to reach|no connection|connection (?:drops|keeps dropping|dropping|is dropping|lost)|hotspot|router|ip address|lan cable|network cable|network|latency|packet loss`), tickets.CategoryNetwork, true},
	{cueRx(`passwords?|passwd|passphrase|lock(?:ed)? out|lockout|locked|account (?:is |was |got |has been )?(?:locked|disabled|expired|suspended|deactivated)|expired password|(?:can'?t|cannot|can not|unable to|couldn'?t) (?:log|sign) ?(?:in|on)(?:to)?|(?:login|log-?in|sign-?in) (?:fails?|failed|failing|not working|issues?|problems?|errors?|loop)|username|user name|credentials|sso|single sign-?on|okta|active directory|ad account|new account|new starter|new hire|onboarding`), tickets.CategoryAccount, true},
	{identityRe, tickets.CategoryAccount, true},
	{cueRx(`accounts?|log ?in|login|sign ?in|logon`), tickets.CategoryAccount, false},
	{cueRx(`install(?:s|ed|ing|ation|er)?|uninstall(?:ed|ing)?|crash(?:es|ed|ing)?|not responding|freez(?:es|ing)|froze|frozen|licen[cs]es?|activation|activate|excel|powerpoint|adobe|acrobat|zoom|ms teams|microsoft teams|teams|slack|chrome|firefox|visio|photoshop|office 365|o365|m365|microsoft office|ms office|sap|salesforce|jira|citrix|onedrive|sharepoint|share ?point|add-?ins?|plug-?ins?|macros?|ms word|microsoft word|word (?:doc|document|file)s?`), tickets.CategorySoftware, true},
	{cueRx(`updates?|updated|updating|upgrade[ds]?|apps?|applications?|programs?|software|won'?t (?:open|launch|start)|blue ?screen|bsod|browser|` +
		`databases?|quer(?:y|ies)|formulas?|workbooks?|spreadsheets?|worksheets?|macros?|vba|odbc|pivot ?tables?|power ?pivot|power ?query|wizard|templates?|add-?ins?|documents?|presentations?|slides?|product key|activation|licen[cs]ed?|office|microsoft access|ms access`), tickets.CategorySoftware, false},
	{cueRx(`(?:won'?t|doesn'?t|does not|will not|not) (?:turn|power|switch|boot) (?:on|up)|won'?t boot|no power|batter(?:y|ies)|(?:screen|display) (?:is )?(?:cracked|broken|black|flicker\w*|dead)|cracked|monitors?|docking station|docks?|keyboards?|keybaord|mouse|mice|headsets?|headphones|earbuds|webcam|camera|fans?|chargers?|charging|overheat\w*|speakers?|trackpad|touchpad|usb(?:-c)? ports?|hdmi|spilled|hinge|broken (?:laptop|screen|keyboard)`), tickets.CategoryHardware, true},
	{cueRx(`laptops?|desktops?|pc|computer|workstation|macbook|thinkpad|phone|iphone|tablet|ipad|screen`), tickets.CategoryHardware, false},
}

// appCategory is the category of a report that names an app: the app's
// own, whatever the words around it ("Excel prints blank pages",
// "OneDrive can't sign in", "Outlook says access denied" are about the
// app, and its team takes them), except where the words are more
// specific than any app: MFA, identity federation, and access asked for
// or refused by name ("add me to the Confluence space", "the site hasn't
// been shared with me"). A platform under the apps (Microsoft 365) and an
// app named only by its files ("Word docs") do not take over. cat is what
// the cue words say; "" stays "" (no problem stated).
func appCategory(cat tickets.Category, app, text string) tickets.Category {
	ac := categoryOfName(app)
	switch {
	case ac == "" || cat == "" || cat == ac || cat == tickets.CategoryMFA || platforms[app]:
		return cat
	case cat == tickets.CategoryAccess && accessAskedRe.MatchString(text):
		return cat
	case cat == tickets.CategoryAccount && identityRe.MatchString(text):
		return cat
	case !namedAsApp(app, text):
		return cat
	}
	return ac
}

// identityRe finds the machinery of identity federation — federated
// users, AD FS, SAML, an identity provider's certificates — which is the
// account team's whatever app it signs people in to.
var identityRe = cueRx(`federat(?:ed|ion)(?: services?| users?| identit(?:y|ies)| domains?)?|ad ?fs|saml|identity providers?|idp`)

// accessAskedRe finds access asked for, or refused in so many words.
var accessAskedRe = cueRx(`(?:need|needs|needed|request(?:ing|ed)?|give (?:me |us |\w+ )?|grant(?:ed)?|get|getting|want|would like|'d like) (?:\S+ ){0,2}?access|add(?:ed)? (?:me|us|\w+(?: \w+)?) to|(?:not|hasn'?t|haven'?t|isn'?t|wasn'?t) (?:been )?shared with`)

// fileNounRe follows an app named by its files: "Word docs", "Excel
// files".
// A "document library" is a place, not a file: group 1.
var fileNounRe = regexp.MustCompile(`(?i)^\s*(?:(?:web|desktop|local|shared) )?(?:docs?|documents?|files?|attachments?|sheets?|spreadsheets?|workbooks?|decks?|templates?|databases?|drawings?|diagrams?|presentations?)\b(\s+librar)?`)

// namedAsApp reports whether text names app as an app at least once, not
// only as the type of its files (by its name, or by a thing only it has).
func namedAsApp(app, text string) bool {
	for _, rules := range [][]deviceRule{deviceRules, productRules} {
		for _, r := range rules {
			if r.name != app {
				continue
			}
			for _, m := range r.re.FindAllStringIndex(text, -1) {
				if !namedByFile(text, m) {
					return true
				}
			}
		}
	}
	return false
}

// namedByFile reports whether the app mention text[m[0]:m[1]] names the
// type of a file ("Word docs", "an Access desktop database").
func namedByFile(text string, m []int) bool {
	for _, s := range []string{text[m[1]:], lastWord(text[m[0]:m[1]])} {
		if f := fileNounRe.FindStringSubmatchIndex(s); f != nil && f[2] < 0 {
			return true
		}
	}
	return false
}

// lastWord is the last word of s.
func lastWord(s string) string {
	if i := strings.LastIndexByte(strings.TrimSpace(s), ' '); i >= 0 {
		return strings.TrimSpace(s)[i+1:]
	}
	return s
}

// categoryOf picks the category of text from its strong cues and, apart,
// from its weak ones; categoryPrecedence breaks ties. "" when nothing points
// anywhere.
func categoryOf(text string) (strong, weak tickets.Category) {
	c := newClaimer(text)
	found := map[bool]map[tickets.Category]bool{true: {}, false: {}}
	for _, cue := range categoryCues {
		if len(c.claim(cue.re, text)) > 0 && cue.cat != "" {
			found[cue.strong][cue.cat] = true
		}
	}
	pick := func(set map[tickets.Category]bool) tickets.Category {
		for _, cat := range categoryPrecedence {
			if set[cat] {
				return cat
			}
		}
		return ""
	}
	return pick(found[true]), pick(found[false])
}
