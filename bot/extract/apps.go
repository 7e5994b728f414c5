package extract

import (
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// The lexicon of business apps beyond the few that need rules of their
// own (deviceRules): real product names as people write them, each with
// the category of the team that takes its problems. A product is only
// looked for when the text holds its words (prefixTable), so a longer
// lexicon costs a few substring checks, not a pass of the text each.

// product is one app of the lexicon: its name as Extraction.App gives
// it, the pattern of its mentions (no capture groups) and its category.
// An implied product is named by a thing only it has ("a web part" is
// SharePoint's, "a pivot table" Excel's): it is the app only when no app
// is named.
type product struct {
	name, pattern string
	cat           tickets.Category
}

// products are the named products, then the implied ones.
var products = append(namedProducts, impliedProducts...)

var namedProducts = []product{
	// Microsoft 365 beyond the Office apps.
	{"Planner", `(?:microsoft|ms) planner|(?-i:Planner)`, tickets.CategorySoftware},
	{"Sway", `(?:microsoft )?(?-i:Sway)`, tickets.CategorySoftware},
	{"Yammer", `yammer|viva engage`, tickets.CategorySoftware},
	{"Power Automate", `power automate|(?:microsoft|ms) flow`, tickets.CategorySoftware},
	{"Power Apps", `power ?apps`, tickets.CategorySoftware},
	{"Microsoft Forms", `(?:microsoft|ms) forms`, tickets.CategorySoftware},
	{"Microsoft Stream", `(?:microsoft|ms) stream`, tickets.CategorySoftware},
	{"Publisher", `(?:microsoft|ms) publisher`, tickets.CategorySoftware},
	{"Microsoft Bookings", `(?:microsoft|ms) bookings`, tickets.CategorySoftware},
	{"Whiteboard", `(?:microsoft|ms) whiteboard`, tickets.CategorySoftware},
	{"Microsoft Store", `(?:microsoft|windows) store`, tickets.CategorySoftware},
	{"Internet Explorer", `internet explorer|iexplore(?:\.exe)?`, tickets.CategorySoftware},
	{"File Explorer", `(?:file|windows) explorer`, tickets.CategorySoftware},
	{"SQL Server", `sql server|ssms|ssis|ssrs`, tickets.CategorySoftware},
	{"Entra ID", `(?:microsoft )?entra(?: id)?|azure (?:ad|active directory)`, tickets.CategoryAccount},
	// Work management, documents and design.
	{"Notion", `(?-i:Notion)`, tickets.CategorySoftware},
	{"Asana", `asana`, tickets.CategorySoftware},
	{"Trello", `trello`, tickets.CategorySoftware},
	{"Miro", `miro(?: boards?|\.com)|(?-i:Miro) (?:app|board)`, tickets.CategorySoftware}, // Miro alone may be a colleague
	{"Smartsheet", `smartsheet`, tickets.CategorySoftware},
	{"Airtable", `airtable`, tickets.CategorySoftware},
	{"Box", `box\.com|(?-i:Box) (?:drive|sync|app)`, tickets.CategorySoftware},
	{"Egnyte", `egnyte`, tickets.CategorySoftware},
	{"InDesign", `indesign`, tickets.CategorySoftware},
	{"Premiere Pro", `premiere pro|adobe premiere`, tickets.CategorySoftware},
	{"After Effects", `after effects`, tickets.CategorySoftware},
	{"Lightroom", `lightroom`, tickets.CategorySoftware},
	{"Foxit", `foxit(?: reader| pdf)?`, tickets.CategorySoftware},
	{"Bluebeam", `bluebeam(?: revu)?`, tickets.CategorySoftware},
	{"Revit", `revit`, tickets.CategorySoftware},
	{"SketchUp", `sketchup`, tickets.CategorySoftware},
	{"ArcGIS", `arcgis(?: pro)?`, tickets.CategorySoftware},
	{"MATLAB", `matlab`, tickets.CategorySoftware},
	{"SPSS", `spss`, tickets.CategorySoftware},
	{"RStudio", `rstudio`, tickets.CategorySoftware},
	{"Visual Studio", `visual studio(?: code)?|vs ?code`, tickets.CategorySoftware},
	{"Xcode", `xcode`, tickets.CategorySoftware},
	{"Postman", `(?-i:Postman)`, tickets.CategorySoftware},
	{"Docker", `docker(?: desktop)?`, tickets.CategorySoftware},
	// Business systems.
	{"NetSuite", `netsuite`, tickets.CategorySoftware},
	{"Oracle", `oracle(?: ebs| fusion| e-business suite)?`, tickets.CategorySoftware},
	{"PeopleSoft", `peoplesoft`, tickets.CategorySoftware},
	{"Concur", `(?:sap )?(?-i:Concur)`, tickets.CategorySoftware}, // "I concur" is no app
	{"Coupa", `coupa`, tickets.CategorySoftware},
	{"Ariba", `(?:sap )?ariba`, tickets.CategorySoftware},
	{"BambooHR", `bamboo ?hr`, tickets.CategorySoftware},
	{"Xero", `xero`, tickets.CategorySoftware},
	{"Sage", `sage (?:50|100|200|300|x3|intacct)`, tickets.CategorySoftware},
	// Communication and remote support.
	{"Thunderbird", `thunderbird`, tickets.CategoryEmail},
	{"Lotus Notes", `lotus notes|hcl notes`, tickets.CategoryEmail},
	{"Jabber", `(?:cisco )?jabber`, tickets.CategorySoftware},
	{"RingCentral", `ringcentral`, tickets.CategorySoftware},
	{"GoTo Meeting", `goto ?meeting|gotomeeting`, tickets.CategorySoftware},
	{"TeamViewer", `teamviewer`, tickets.CategorySoftware},
	{"AnyDesk", `anydesk`, tickets.CategorySoftware},
	{"Zscaler", `zscaler`, tickets.CategoryNetwork},
	// Password managers.
	{"LastPass", `lastpass`, tickets.CategoryAccount},
	{"1Password", `1password`, tickets.CategoryAccount},
	{"Bitwarden", `bitwarden`, tickets.CategoryAccount},
	{"KeePass", `keepass(?:xc)?`, tickets.CategoryAccount},
}

// impliedProducts are apps named by things only they have.
var impliedProducts = []product{
	{name: "SharePoint", pattern: `web ?parts?|site collections?|document librar(?:y|ies)|content types?(?: hub)?|term (?:stores?|sets?)|managed metadata|crawl(?:ed)? logs?|list templates?|aspx(?: pages?)?`, cat: tickets.CategorySoftware},
	{name: "Outlook", pattern: `mapi|openmsgstore|(?:pst|ost)(?: files?)?|autodiscover|offline folder files?|personal folders? files?`, cat: tickets.CategoryEmail},
	{name: "Excel", pattern: `formulas?|formula bar|pivot ?tables?|pivot ?charts?|worksheets?|[vx]lookup`, cat: tickets.CategorySoftware},
	{name: "Microsoft Access", pattern: `autonumber|linked tables?|link (?:a |the )?tables?|design view|enter parameter value|maxlocksperfile|accdb`, cat: tickets.CategorySoftware},
	{name: "MS Project", pattern: `enterprise resource pool|gantt charts?`, cat: tickets.CategorySoftware}, // a bare "resource pool" may be VMware's
	{name: "Word", pattern: `mail merge|track(?:ed)? changes`, cat: tickets.CategorySoftware},
	{name: "PowerPoint", pattern: `slide ?shows?|slide masters?|speaker notes`, cat: tickets.CategorySoftware},
}

// productRules are the products as device rules, for the lookups by
// name (categoryOfName, namedAsApp).
var productRules = func() []deviceRule {
	out := make([]deviceRule, len(products))
	for i, p := range products {
		out[i] = deviceRule{cueRx(p.pattern), p.name, rankSystem, []tickets.Category{p.cat}}
	}
	return out
}()

// mention is where a device rule or product matched first.
type mention struct {
	start, end int
	rule       *deviceRule
	implied    bool
}

// productHits returns the first mention of each product in text that
// earlier claims left free, and claims them. Only the products whose
// words the text holds are looked for (prefixTable).
func productHits(c *claimer, text string) []mention {
	var out []mention
	for i := range productRules {
		if ms := c.claim(productRules[i].re, text); len(ms) > 0 {
			out = append(out, mention{ms[0][0], ms[0][1], &productRules[i], i >= len(namedProducts)})
		}
	}
	return out
}

// ruleNamed is the device rule or product that gives name; nil for none.
func ruleNamed(name string) *deviceRule {
	for i := range deviceRules {
		if deviceRules[i].name == name {
			return &deviceRules[i]
		}
	}
	for i := range productRules {
		if productRules[i].name == name {
			return &productRules[i]
		}
	}
	return nil
}
