package extract

import (
	"cmp"
	"regexp"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// The device (hardware) and the app or system a report is about: two
// fields, read by deviceRules and the product lexicon (apps.go), with the
// rules that say which of several mentions is the one.

// Device ranks: hardware (computer or gadget) and systems are picked
// apart — "my laptop can't reach the VPN" gives the laptop and the VPN.
// Among hardware the first named wins whatever its rank; the ranks tell
// hardware from systems and let IsHardware answer.
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
	{cueRx(`monitors?|bildschirm|external (?:display|screen)s?|(?:second|2nd|dual) (?:screen|display|monitor)s?`), "monitor", rankGadget, cHW},
	{cueRx(`printers?|printr|prnter|drucker|impresoras?|imprimantes?|stampanti|stampante|impressoras?|copiers?|mfp|plotter|ricoh|xerox|kyocera|konica(?: minolta)?|lexmark|laserjet|officejet|toner|print queue|prints?|printing`), "printer", rankGadget, []tickets.Category{tickets.CategoryPrinting}},
	{cueRx(`scanners?`), "scanner", rankGadget, []tickets.Category{tickets.CategoryPrinting}},
	{cueRx(`headsets?|headphones|earbuds|earphones|airpods|jabra`), "headset", rankGadget, cHW},
	{cueRx(`keyboards?|keybaord|keybord`), "keyboard", rankGadget, cHW},
	{cueRx(`mouse|mice`), "mouse", rankGadget, cHW},
	{cueRx(`webcam|web cam|camera`), "webcam", rankGadget, cHW},
	{cueRx(`chargers?|power (?:adapter|brick)|charging cable`), "charger", rankGadget, cHW},
	{cueRx(`phones?|iphone|android phone|smartphone|cell ?phone|mobile phone|my mobile|handy|móvil|movil|celular|teléfono|telefono|téléphone|telefoon|telemóvel`), "phone", rankGadget, []tickets.Category{tickets.CategoryHardware, tickets.CategoryMFA}},
	{cueRx(`tablets?|ipad`), "tablet", rankGadget, cHW},
	{cueRx(`laptops?|lap top|latop|laptp|labtop|notebook|portátil|portatil|portatile|ordinateur portable|macbook(?: pro| air)?|thinkpad|surface (?:pro|laptop)`), "laptop", rankComputer, cHW},
	{cueRx(`desktop(?: pc| computer)?|workstation|tower pc|imac|pc|ordenador|computadora|ordinateur|rechner|computador`), "desktop", rankComputer, cHW},
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
