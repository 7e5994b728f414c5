package extract

import (
	"cmp"
	"regexp"
	"sort"
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
// been shared with me"). A platform under the apps (Microsoft 365) and an app named only
// by its files ("Word docs") do not take over. cat is what the cue words
// say; "" stays "" (no problem stated).
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

// Device ranks, used among systems and among physical devices separately: a
// peripheral is more specific than the computer it hangs off. A physical
// device, when one is named, is the report's device — "my laptop can't reach
// the VPN" is about the laptop; the VPN stays in the symptom — and a named
// app or system is the device only when no hardware is mentioned.
const (
	rankComputer = 1
	rankGadget   = 2
	rankSystem   = 3
)

type deviceRule struct {
	re   *regexp.Regexp
	name string
	rank int
	cats []tickets.Category
}

var (
	cHW  = []tickets.Category{tickets.CategoryHardware}
	cSW  = []tickets.Category{tickets.CategorySoftware}
	cNet = []tickets.Category{tickets.CategoryNetwork}
)

var deviceRules = []deviceRule{
	// Apps and places that are not the report's: a chat app someone is not
	// on ("forwarded from Kim, she's not on Slack"), a wall port.
	{cueRx(`(?:not|isn'?t|aren'?t|never) (?:on|in|using) (?:\w+)|(?:don'?t|doesn'?t|do not|does not|never) (?:use|have) (?:\w+)`), "", rankSystem, nil},
	{cueRx(`(?:ethernet|network|lan|wall|data) (?:ports?|sockets?|jacks?|points?)`), "", rankSystem, nil},
	{cueRx(`okta verify`), "Okta Verify", rankSystem, []tickets.Category{tickets.CategoryMFA}},
	{cueRx(`(?:microsoft |google |ms )?authenticator(?: app)?`), "Authenticator", rankSystem, []tickets.Category{tickets.CategoryMFA}},
	{cueRx(`duo(?: mobile)?`), "Duo", rankSystem, []tickets.Category{tickets.CategoryMFA}},
	{cueRx(`vpn|globalprotect|global protect|anyconnect|any connect|forticlient`), "VPN", rankSystem, cNet},
	{cueRx(`wi-?fi|wi fi|wireless|wlan`), "Wi-Fi", rankSystem, cNet},
	{cueRx(`ethernet|lan cable|network cable`), "Ethernet", rankSystem, cNet},
	{cueRx(`outlook|owa`), "Outlook", rankSystem, []tickets.Category{tickets.CategoryEmail}},
	{cueRx(`gmail`), "Gmail", rankSystem, []tickets.Category{tickets.CategoryEmail}},
	{regexp.MustCompile(`\bTeams\b|(?i)\b(?:ms |microsoft )teams\b|(?i)\bteams (?:app|calls?|meetings?|chats?|client|keeps|won'?t|doesn'?t|isn'?t|is|crash\w*|freez\w*|not|status|notifications?)\b|(?i)\b(?:in|on|into|open|opening|launch|from) teams\b`), "Teams", rankSystem, cSW},
	{cueRx(`zoom(?: app| client)?`), "Zoom", rankSystem, cSW},
	{cueRx(`excel`), "Excel", rankSystem, cSW},
	{regexp.MustCompile(`\bWord\b|(?i)\b(?:ms |microsoft )word\b|(?i)\bword (?:doc|document|file)s?\b`), "Word", rankSystem, cSW},
	{cueRx(`powerpoint|ppt`), "PowerPoint", rankSystem, cSW},
	{cueRx(`adobe(?: acrobat| reader)?|acrobat(?: reader)?`), "Adobe Acrobat", rankSystem, cSW},
	{cueRx(`chrome`), "Chrome", rankSystem, cSW},
	{cueRx(`slack`), "Slack", rankSystem, cSW},
	{cueRx(`onedrive|one drive`), "OneDrive", rankSystem, []tickets.Category{tickets.CategorySoftware, tickets.CategoryAccess}},
	{cueRx(`sharepoint|share point`), "SharePoint", rankSystem, []tickets.Category{tickets.CategorySoftware, tickets.CategoryAccess}},
	{cueRx(`okta`), "Okta", rankSystem, []tickets.Category{tickets.CategoryAccount}},
	{cueRx(`visio`), "Visio", rankSystem, cSW},
	{cueRx(`salesforce`), "Salesforce", rankSystem, cSW},
	{cueRx(`jira`), "Jira", rankSystem, cSW},
	{cueRx(`citrix`), "Citrix", rankSystem, cSW},
	{cueRx(`microsoft access|ms access|access (?:20\d\d|databases?|wizard|forms?|quer(?:y|ies)|reports?|tables?|runtime)|accdb|accde`), "Microsoft Access", rankSystem, cSW},
	{cueRx(`power ?pivot|power query`), "Excel", rankSystem, cSW},
	{cueRx(`office 365|o365|m365|microsoft office|ms office`), "Office", rankSystem, cSW},
	{cueRx(`exchange(?: online| server)?`), "Exchange", rankSystem, []tickets.Category{tickets.CategoryEmail}},
	{cueRx(`microsoft 365|(?:[\w-]+\.)*(?:office|office365|microsoft365|microsoftonline)\.com`), "Microsoft 365", rankSystem, cSW},
	{cueRx(`confluence`), "Confluence", rankSystem, cSW},
	{cueRx(`tableau`), "Tableau", rankSystem, cSW},
	{cueRx(`workday`), "Workday", rankSystem, cSW},
	{cueRx(`power ?bi`), "Power BI", rankSystem, cSW},
	{cueRx(`figma`), "Figma", rankSystem, cSW},
	{cueRx(`autocad(?: lt)?`), "AutoCAD", rankSystem, cSW},
	{cueRx(`solidworks`), "SolidWorks", rankSystem, cSW},
	{cueRx(`sap(?: gui)?`), "SAP", rankSystem, cSW},
	{cueRx(`(?:ms|microsoft) project|project (?:web app|web access|online|server|professional|pro for)|pwa`), "MS Project", rankSystem, cSW},
	{cueRx(`onenote`), "OneNote", rankSystem, cSW},
	{cueRx(`webex`), "Webex", rankSystem, cSW},
	{cueRx(`dropbox`), "Dropbox", rankSystem, cSW},
	{cueRx(`google (?:drive|docs|sheets|meet|calendar|workspace)`), "Google Workspace", rankSystem, cSW},
	{cueRx(`(?:microsoft )?edge`), "Edge", rankSystem, cSW},
	{cueRx(`firefox`), "Firefox", rankSystem, cSW},
	{cueRx(`safari`), "Safari", rankSystem, cSW},
	{cueRx(`servicenow`), "ServiceNow", rankSystem, cSW},
	{cueRx(`zendesk`), "Zendesk", rankSystem, cSW},
	{cueRx(`hubspot`), "HubSpot", rankSystem, cSW},
	{cueRx(`docusign`), "DocuSign", rankSystem, cSW},
	{cueRx(`github`), "GitHub", rankSystem, cSW},
	{cueRx(`gitlab`), "GitLab", rankSystem, cSW},
	{cueRx(`photoshop`), "Photoshop", rankSystem, cSW},
	{cueRx(`illustrator`), "Illustrator", rankSystem, cSW},
	{cueRx(`creative cloud`), "Creative Cloud", rankSystem, cSW},
	{cueRx(`quickbooks`), "QuickBooks", rankSystem, cSW},
	{cueRx(`dynamics(?: 365)?`), "Dynamics", rankSystem, cSW},
	{cueRx(`intune|company portal`), "Intune", rankSystem, cSW},
	{cueRx(`skype(?: for business)?|(?:microsoft )?lync`), "Skype", rankSystem, cSW},
	// Hardware that is only where someone goes or what they cannot reach
	// is not theirs: "walking between meeting rooms", "can't reach the
	// file servers"; nor is an asset tag's prefix a kind of device.
	{cueRx(`(?:between|across|around|through) (?:the |our |different )?(?:meeting|conference)[- ]rooms|(?:reach|access|see|get to|connect to|connecting to) (?:the |our |any |a )?(?:file |print |internal |shared |\w+ )?servers?|(?:pc|lt|nb|ws|dt|mac|lap|desk)-[a-z0-9-]*\d[a-z0-9-]*`), "", rankGadget, nil},
	{cueRx(`(?:in|from) the dock|dock icon|desktop (?:app|client|version|application)s?`), "", rankComputer, cHW}, // macOS's dock, an app's desktop version: no hardware
	{cueRx(`meeting[- ]rooms?|conference[- ]rooms?|board ?rooms?|speakerphones?|projectors?|room (?:display|screen|system|panel|tv)s?`), "meeting-room", rankGadget, cHW},
	{cueRx(`server room|(?:the|a|our|one|two|file|print|physical|database|db|web|backup) servers?|esxi?(?:-\d+)?|(?:esx|vm) hosts?|hypervisors?`), "server", rankGadget, cHW},
	// A laptop's own parts are the laptop: "the keyboard on my laptop".
	{cueRx(`(?:built-?in |internal )?(?:keyboard|keys|screen|display|battery|trackpad|touchpad|webcam|camera|fan|speakers?|mic(?:rophone)?|(?:usb(?:-c)? |charging )?ports?|hinge|lid) (?:on|of|in) (?:my|the|his|her|our|this|their) (?:work |new |old )?(?:laptop|notebook|macbook(?: pro| air)?|thinkpad)`), "laptop", rankGadget, cHW},
	{cueRx(`docking stations?|docks?|docking|usb-?c hub`), "docking station", rankGadget, cHW},
	{cueRx(`monitors?|external (?:display|screen)s?|(?:second|2nd|dual) (?:screen|display|monitor)s?`), "monitor", rankGadget, cHW},
	{cueRx(`printers?|printr|prnter|copiers?|mfp|plotter|ricoh|xerox|kyocera|konica(?: minolta)?|lexmark|laserjet|officejet|toner|print queue|prints?|printing`), "printer", rankGadget, []tickets.Category{tickets.CategoryPrinting}},
	{cueRx(`scanners?`), "scanner", rankGadget, []tickets.Category{tickets.CategoryPrinting}},
	{cueRx(`headsets?|headphones|earbuds|earphones|airpods|jabra`), "headset", rankGadget, cHW},
	{cueRx(`keyboards?|keybaord|keybord`), "keyboard", rankGadget, cHW},
	{cueRx(`mouse|mice`), "mouse", rankGadget, cHW},
	{cueRx(`webcam|web cam|camera`), "webcam", rankGadget, cHW},
	{cueRx(`chargers?|power (?:adapter|brick)|charging cable`), "charger", rankGadget, cHW},
	{cueRx(`phones?|iphone|android phone|smartphone|cell ?phone|mobile phone|my mobile`), "phone", rankGadget, []tickets.Category{tickets.CategoryHardware, tickets.CategoryMFA}},
	{cueRx(`tablets?|ipad`), "tablet", rankGadget, cHW},
	{cueRx(`laptops?|lap top|latop|laptp|labtop|notebook|macbook(?: pro| air)?|thinkpad|surface (?:pro|laptop)`), "laptop", rankComputer, cHW},
	{cueRx(`desktop(?: pc| computer)?|workstation|tower pc|imac|pc`), "desktop", rankComputer, cHW},
}

// deviceOf names the hardware and the app or system the problem is about:
// within each, the best-ranked one belonging to the category, else the
// best-ranked one at all; the earliest mention breaks ties. Hardware is
// looked for in hardwareText, systems in systemText.
func deviceOf(hardwareText, systemText string, cat tickets.Category) (device, app string) {
	device, app, _ = devicesOf(hardwareText, systemText, cat)
	return device, app
}

// browsers are where web apps run: "the Access web app in Internet
// Explorer" is about Access.
var browsers = map[string]bool{"Chrome": true, "Edge": true, "Firefox": true, "Safari": true, "Internet Explorer": true}

// placeRe ends before an app named as the place where something happens;
// a network or a browser, which carry other apps, is no such place.
var placeRe = regexp.MustCompile(`(?i)\b(?:in|within|inside|into)\s+(?:the\s+|a\s+|an\s+|my\s+|our\s+)?(?:microsoft\s+|ms\s+)?$`)

// placeInRe starts a mention that holds its own "in" ("in Teams").
var placeInRe = regexp.MustCompile(`(?i)^(?:in|within|inside|into)\s`)

// pluginRe follows an app that plugs into another: "the Salesforce
// add-in for Outlook" is about Salesforce.
var pluginRe = regexp.MustCompile(`(?i)^\s*(?:add-?ins?|plug-?ins?|extensions?|integrations?|connectors?|side ?panel)\b`)

// officeApps are the apps of the Office suite: three or more of them
// named together ("Word, Excel or PowerPoint") make a report about
// Office, not about the one listed first.
var officeApps = map[string]bool{"Word": true, "Excel": true, "PowerPoint": true, "Outlook": true, "OneNote": true,
	"Microsoft Access": true, "Visio": true, "Publisher": true, "MS Project": true}

// devicesOf is deviceOf, and whether the text lists the Office suite's
// apps (then app, when it would be one of them, is "Office": another app
// named beside the list, "a OneDrive file open in Word, Excel or
// PowerPoint", stays the app).
func devicesOf(hardwareText, systemText string, cat tickets.Category) (device, app string, suite bool) {
	type hit struct {
		pos, rank int
		rule      *deviceRule
		plugin    bool // "the Salesforce add-in"
		place     bool // named as where it happens: "create a list from Excel in a SharePoint site"
		under     int  // 1 for an app named only by its files ("a Visio file in SharePoint" is about SharePoint), 2 for a platform, 3 for an app implied by its things
	}
	hw, sys := newClaimer(hardwareText), newClaimer(systemText)
	var hits []hit
	plugins := false
	add := func(m mention, text string, fileOnly bool) {
		h := hit{m.start, m.rule.rank, m.rule, m.rule.rank == rankSystem && m.rule.name != "" && pluginRe.MatchString(text[m.end:]),
			m.rule.rank == rankSystem && !deviceInCat(m.rule.cats, tickets.CategoryNetwork) && !browsers[m.rule.name] &&
				(placeRe.MatchString(text[max(0, m.start-24):m.start]) || placeInRe.MatchString(text[m.start:m.end])), 0}
		switch {
		case m.implied:
			h.under = 3
		case platforms[m.rule.name]:
			h.under = 2
		case fileOnly:
			h.under = 1
		}
		plugins = plugins || h.plugin
		hits = append(hits, h)
	}
	for i := range deviceRules {
		r := &deviceRules[i]
		c, text := hw, hardwareText
		if r.rank == rankSystem {
			c, text = sys, systemText
		}
		if ms := c.claim(r.re, text); len(ms) > 0 {
			fileOnly := r.rank == rankSystem
			for _, m := range ms {
				fileOnly = fileOnly && namedByFile(text, m)
			}
			add(mention{ms[0][0], ms[0][1], r, false}, text, fileOnly)
		}
	}
	for _, m := range productHits(sys, systemText) {
		add(m, systemText, namedByFile(systemText, []int{m.start, m.end}))
	}
	pick := func(inCat, physical bool) string {
		var best *hit
		for i := range hits {
			h := &hits[i]
			if h.rule.name == "" || inCat && !deviceInCat(h.rule.cats, cat) || (h.rank < rankSystem) != physical ||
				!physical && plugins && !h.plugin { // an add-in is the app, not the app it plugs into
				continue
			}
			rank, bestRank := h.rank, 0
			if best != nil {
				bestRank = best.rank
			}
			if physical { // hardware: the first named is what the report is about
				rank, bestRank = 1, min(bestRank, 1)
			}
			if best == nil || rank > bestRank || (rank == bestRank && best.under > h.under) ||
				(rank == bestRank && best.under == h.under && h.place && !best.place) ||
				(rank == bestRank && best.under == h.under && h.place == best.place && h.pos < best.pos) {
				best = h
			}
		}
		if best == nil {
			return ""
		}
		return best.rule.name
	}
	n := 0
	for _, h := range hits {
		if officeApps[h.rule.name] {
			n++
		}
	}
	device, app = cmp.Or(pick(true, true), pick(false, true)), cmp.Or(pick(true, false), pick(false, false))
	if n >= 3 && officeApps[app] {
		return device, "Office", true
	}
	return device, app, false
}

// appsKept puts back into blanked the names of apps that steps blanked out
// of cues: "reinstalled Outlook" is still about Outlook. Networks stay out,
// as "tried another Wi-Fi" is a step for any problem.
func appsKept(blanked, cues string, steps [][]int) string {
	if len(steps) == 0 {
		return blanked
	}
	b := []byte(blanked)
	low := lowerText(cues)
	for _, rules := range [][]deviceRule{deviceRules, productRules} {
		for _, r := range rules {
			if r.rank != rankSystem || deviceInCat(r.cats, tickets.CategoryNetwork) || !low.mayMatch(r.re) {
				continue
			}
			for _, m := range r.re.FindAllStringIndex(cues, -1) {
				copy(b[m[0]:m[1]], cues[m[0]:m[1]])
			}
		}
	}
	return string(b)
}

// ownHardwareKept puts back into blanked the person's own hardware that a
// step names: "restarted my laptop", "checked the clock on my phone" are
// about their laptop and phone; "tried another laptop", "used a
// colleague's phone" name no device of theirs, and stay out.
func ownHardwareKept(blanked, cues string, steps [][]int) string {
	if len(steps) == 0 {
		return blanked
	}
	b := []byte(blanked)
	for _, sp := range steps {
		for _, m := range ownHardwareRe.FindAllStringSubmatchIndex(cues[sp[0]:sp[1]], -1) {
			copy(b[sp[0]+m[2]:sp[0]+m[3]], cues[sp[0]+m[2]:sp[0]+m[3]])
		}
	}
	return string(b)
}

// ownHardwareRe is a computer or phone of the person's own.
var ownHardwareRe = cueRx(`(?:my|our) (?:work |own |new |old )?(laptops?|notebook|macbook(?: pro| air)?|thinkpad|desktop(?: pc| computer)?|pc|computer|workstation|phone|iphone|tablet|ipad|monitors?|printer|dock(?:ing station)?|headset|keyboard|mouse|webcam)`)

func deviceInCat(cats []tickets.Category, c tickets.Category) bool {
	for _, x := range cats {
		if x == c {
			return true
		}
	}
	return false
}

// stepRule normalizes one kind of step already tried. Specific rules come
// first ("restarted Outlook" before "restarted").
type stepRule struct {
	re   *regexp.Regexp
	name string
}

const stepApps = `app|application|program|client|browser|outlook|teams|excel|word|powerpoint|zoom|chrome|edge|firefox|slack|acrobat|vpn client|globalprotect|anyconnect`

var stepRules = []stepRule{
	{cueRx(`(?:re-?start(?:ed|ing)?|relaunch(?:ed|ing)?|re-?open(?:ed|ing)?) (?:the |my )?(?:` + stepApps + `)|(?:force[- ]?)?(?:quit|closed?|closing|quitting|killed) (?:it |the app |` + stepApps + ` )?and re-?(?:open|launch|start)(?:ed|ing)?(?: it)?`), "restarted the app"},
	{cueRx(`(?:re-?install(?:ed|ing)?|updat(?:ed|ing)|roll(?:ed|ing) back) (?:the |my |all )?(?:\w+ )?drivers?|rolled back (?:the )?driver`), "updated the drivers"},
	{cueRx(`(?:uninstall(?:ed|ing)? and )?re-?install(?:ed|ing)?(?: (?:it|the \w+|my \w+|` + stepApps + `))?|removed and re-?installed`), "reinstalled the app"},
	{cueRx(`(?:ran|run|running|did|tried) (?:an? )?(?:office |online |quick )?repair|repair(?:ed|ing) (?:the )?(?:office|app|application|outlook|install(?:ation)?)`), "repaired the app"},
	{cueRx(`(?:re-?boot(?:ed|ing)?|re-?start(?:ed|ing)?|power[- ]?cycl(?:ed|ing)|hard reset|(?:turn|switch)(?:ed|ing) (?:it |the \w+ )?off and (?:on )?(?:again|back on)|shut (?:it )?down and (?:turned it |started it )?(?:back )?on|held the power button|(?:reboot|restart)s?)(?: (?:it|the \w+|my \w+))?`), "rebooted"},
	{cueRx(`(?:clear(?:ed|ing)?|delet(?:ed|ing)|empt(?:ied|ying)|wip(?:ed|ing)) (?:out )?(?:the |my |all )?(?:browser |teams |outlook |chrome |edge )?(?:cache|cookies|cache and cookies|browsing data|history)`), "cleared the cache"},
	{cueRx(`(?:reset|re-set|resetting|changed|changing) (?:my |the |our )?(?:\w+ )?password`), "reset the password"},
	{cueRx(`(?:check(?:ed|ing)?|re-?seat(?:ed|ing)?|re-?plug(?:ged|ging)?|swapp?(?:ed|ing)|replac(?:ed|ing)|tried (?:a|another|a different|different|new|other)) (?:all )?(?:the |my |a |all )?(?:\w+ )?(?:cables?|connections?|cords?|plugs?)|unplug(?:ged|ging)? (?:it |everything |the \w+ )?and (?:re-?)?plug(?:ged|ging)?(?: (?:it|everything|them))?(?: back)?(?: in)?|plugged (?:it|everything|them) back in|re-?plugged|re-?seated`), "checked the cables"},
	{cueRx(`(?:tried|trying|switched to|switching to|used|using|connected to|connecting to|tested on) (?:another|a different|different|other|my|a|the guest|my phone'?s?|a mobile|my mobile|my home) (?:network|wi-?fi|wifi|hotspot|connection)|(?:switched|changed) networks|tether(?:ed|ing)`), "tried another network"},
	{cueRx(`forg(?:ot|et|etting) (?:the )?(?:wi-?fi |wifi |wireless )?network`), "forgot the network"},
	{cueRx(`(?:tried|trying|used|using|switched to) (?:another|a different|different|other) browser|(?:tried|trying|used|using|in) (?:an )?(?:incognito|private (?:window|mode|browsing))(?: mode| window)?`), "tried another browser"},
	{cueRx(`(?:tried|trying|used|using|tested|testing)(?: it)? (?:on |with |from )?(?:another|a different|different|other|a colleague'?s?|my colleague'?s?|a coworker'?s?) (?:laptop|computer|pc|machine|device|phone|desk|workstation)`), "tried another device"},
	{cueRx(`(?:tried|trying|used|switched to|plugged (?:it )?into|moved (?:it )?to) (?:another|a different|different|other) (?:usb |usb-c |hdmi )?(?:port|socket|outlet)`), "tried another port"},
	{cueRx(`(?:replac|chang|swapp?)(?:ed|ing) (?:the )?(?:toner|cartridge|ink)`), "replaced the toner"},
	{cueRx(`(?:tried|put in|replac(?:ed|ing)|chang(?:ed|ing)|swapp?(?:ed|ing)) (?:the )?(?:new |fresh )?batter(?:y|ies)`), "replaced the batteries"},
	{cueRx(`(?:clear|remov)(?:ed|ing) (?:the )?(?:paper )?jam`), "cleared the paper jam"},
	{cueRx(`(?:clear|cancel|delet)(?:ed|ing) (?:the |all )?(?:print )?(?:queue|jobs|print jobs)`), "cleared the print queue"},
	{cueRx(`(?:ran|run|running|tried) (?:the )?(?:\w+ )?troubleshooter|(?:ran|run) (?:the )?diagnostics?`), "ran the troubleshooter"},
	{cueRx(`(?:ran|run|running|installed|installing|applied|did) (?:the |all )?(?:windows |latest |pending |available |all )?updates?|updated (?:windows|the os|macos|everything|it|the app|the software|teams|outlook|zoom|chrome)|checked for updates`), "installed updates"},
	{cueRx(`(?:sign(?:ed|ing)?|log(?:ged|ging)?) (?:out|off) and (?:back )?(?:in|on)(?: again)?|re-?logged|re-?login|logged back in|signed back in|(?:signed|logged) out`), "signed out and back in"},
	{cueRx(`re-?connect(?:ed|ing)|disconnect(?:ed|ing)? and re-?connect(?:ed|ing)?|connected again`), "reconnected"},
	{cueRx(`charg(?:ed|ing) (?:it|the laptop|the battery|overnight)|left it (?:charging|on (?:the )?charge|plugged in)|plugged (?:it )?in(?:to)? (?:the )?(?:charger|power)`), "charged it"},
	{cueRx(`re-?pair(?:ed|ing)|un-?pair(?:ed|ing)? and (?:re-?)?pair(?:ed|ing)?`), "re-paired the device"},
	{cueRx(`flush(?:ed|ing)? (?:the )?dns|ipconfig\s*/(?:flushdns|release|renew)`), "flushed DNS"},
	{cueRx(`re-?(?:register|enrol|enroll|add)(?:ed|ing|led)? (?:my |the )?(?:mfa|2fa|authenticator|okta verify)`), "re-registered MFA"},
	{cueRx(`(?:delet|remov)(?:ed|ing) (?:the |my )?(?:\w+ )?account and re-?add(?:ed|ing)?(?: it)?|re-?added (?:the |my )?(?:\w+ )?account`), "re-added the account"},
	{cueRx(`(?:followed|read|tried|checked|went through) (?:the |your )?(?:kb|knowledge ?base|wiki|guide|article|instructions|docs?|documentation|faq)(?: article| page)?`), "followed the KB article"},
}

// stepFiller are the words allowed between a clause start and a step: who
// did it and when ("I already", "we've also tried", "even after a"). Any
// other word means someone or something else did it: "my laptop restarted
// by itself", "it keeps rebooting", "should I reboot?".
var stepFiller = wordSet(`i we i've ive we've weve i'd have has had already also even just tried try
		trying attempted after then and but so both a an to again yes yeah yep ok okay first did done obviously
		of course definitely despite plus as well the my our i've i also multiple several couple times`)

// stepHit is a step found at text[start:end]; from extends it back over the
// filler before it, which goes with it when the symptom drops the step.
type stepHit struct {
	start, end, from int
	name             string
}

var stepWordRe = regexp.MustCompile(`[\p{L}\p{N}']+`)

// stepsOf finds the steps in text, in order, using the clauses to decide
// who did them.
func stepsOf(text string, sents []textSentence) []stepHit {
	c := newClaimer(text)
	var hits []stepHit
	for _, r := range stepRules {
		for _, m := range c.claim(r.re, text) {
			hits = append(hits, stepHit{start: m[0], end: m[1], name: r.name})
		}
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].start < hits[j].start })
	var out []stepHit
	lastEnd := -1
	for _, h := range hits {
		cl, ok := clauseAt(sents, h.start)
		if !ok || eventClause(text, cl) {
			continue
		}
		from := cl.start
		if lastEnd > from && lastEnd <= h.start {
			from = lastEnd
		}
		filler := true
		for _, w := range stepWordRe.FindAllString(text[from:h.start], -1) {
			if !stepFiller[strings.ToLower(w)] {
				filler = false
				break
			}
		}
		if !filler {
			continue
		}
		h.from = from
		out = append(out, h)
		lastEnd = h.end
	}
	if more := moreSteps(text, sents, out); len(more) > 0 {
		out = append(out, more...)
		sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	}
	return out
}

// clauseAt finds the clause holding byte i.
func clauseAt(sents []textSentence, i int) (textClause, bool) {
	k := sort.Search(len(sents), func(k int) bool { return sents[k].end > i })
	if k == len(sents) || sents[k].start > i {
		return textClause{}, false
	}
	for _, c := range sents[k].clauses {
		if i >= c.start && i < c.end {
			return c, true
		}
	}
	return textClause{}, false
}

// IsHardware reports whether name, as Extraction.Device names things, is a
// piece of hardware rather than an app or service.
func IsHardware(name string) bool {
	for _, r := range deviceRules {
		if r.name == name {
			return r.rank != rankSystem
		}
	}
	for _, r := range deviceRules { // a free answer: "my old macbook"
		if r.rank != rankSystem && r.re.MatchString(name) {
			return true
		}
	}
	return false
}

// platforms are services under the apps people use: "Outlook can't reach
// Exchange" is about Outlook.
var platforms = map[string]bool{"Exchange": true, "Microsoft 365": true, "Office": true, "Entra ID": true}

// categoryOfName is the category of a device or app as deviceOf names
// it; "" for none.
func categoryOfName(name string) tickets.Category {
	if name == "" {
		return ""
	}
	if r := ruleNamed(name); r != nil && len(r.cats) > 0 {
		return r.cats[0]
	}
	return ""
}
