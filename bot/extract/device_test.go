package extract

import (
	"strings"
	"testing"
)

// TestDeviceAndApp: hardware and the app are two fields; a thing that
// works is a workaround, not the device; an app's desktop version and
// macOS's dock are no hardware.
func TestDeviceAndApp(t *testing.T) {
	for _, tc := range []struct{ msg, dev, app string }{
		{"Outlook on my laptop won't open attachments", "laptop", "Outlook"},
		{"the Teams desktop app freezes on startup", "", "Teams"},
		{"Figma keeps bouncing in the dock and quits", "", "Figma"},
		{"my tablet can't join the guest wifi, my phone works fine on it", "tablet", "Wi-Fi"},
		{"Confluence pages time out, Jira is fine", "", "Confluence"},
		{"the projector in the boardroom shows no signal", "meeting-room", ""},
		{"the Kyocera by the kitchen jams on every job", "printer", ""},
		{"esx-07 has a red disk light", "server", ""},
		{"my laptop says the VPN server did not respond", "laptop", "VPN"},
		{"SAP GUI crashes when I post an invoice", "", "SAP"},
		{"Power BI refresh fails on the sales dashboard", "", "Power BI"},
		// Among hardware, the first named is the report's; a laptop's own
		// parts are the laptop.
		{"my laptop charger is frayed near the plug", "laptop", ""},
		{"the trackpad on my work laptop clicks by itself", "laptop", ""},
		{"the dock no longer charges my laptop", "docking station", ""},
		{"my desktop won't wake the second monitor after lunch", "desktop", ""},
		// A step names the person's own hardware; another's is none of theirs.
		{"Outlook won't sync, I restarted my laptop already", "laptop", "Outlook"},
		{"Teams keeps freezing, tried a colleague's laptop and it works there", "", "Teams"},
		// A new problem after a step is a problem again.
		{"I reset my password and now my tablet's mail app keeps failing", "tablet", ""},
		// Where someone walks, what they cannot reach, an asset tag's prefix,
		// a wall port and an app someone is not on: none is the device or app.
		{"the wifi drops whenever I walk between meeting rooms", "", "Wi-Fi"},
		{"since the VPN change we can't reach the file servers", "", "VPN"},
		{"please install Visio on PC-FIN-207", "", "Visio"},
		{"the network port in room 4 has no link light", "", ""},
		{"from Dana (she's not on Slack): her Zoom crashes on start", "", "Zoom"},
		{"the docking station died, using wifi in the meantime", "docking station", ""},
		// The product lexicon: one pass finds any of its apps.
		{"Planner won't show the tasks assigned to me", "", "Planner"},
		{"the Power Automate flow that files invoices stopped running", "", "Power Automate"},
		{"LastPass doesn't fill my password on the intranet anymore", "", "LastPass"},
		{"TeamViewer on my laptop can't connect to the lab machine", "laptop", "TeamViewer"},
		{"Bluebeam Revu crashes when I open large drawings", "", "Bluebeam"},
		{"Lync asks for my password over and over", "", "Skype"},
		{"the Project Web App timesheet page is blank", "", "MS Project"},
		{"portal.office.com says my password is wrong", "", "Microsoft 365"},
		// An app named only by its files is not the app the files are in.
		{"a Visio drawing won't open in SharePoint Online", "", "SharePoint"},
		{"my Excel workbook opens read-only from the Teams channel", "", "Teams"},
		{"the SharePoint Online document library won't sync in Explorer", "", "SharePoint"},
		// With no app named, a thing only one app has names it.
		{"the web part on our intranet page shows nothing since Friday", "", "SharePoint"},
		{"my .pst file is too big and won't open", "", "Outlook"},
		{"the pivot table won't refresh from the sales data", "", "Excel"},
		{"mail merge puts the wrong names on the letters", "", "Word"},
		{"the linked tables in our expenses database stopped updating", "", "Microsoft Access"},
		{"the Gantt chart shows every task twice since the update", "", "MS Project"},
		// ... but a named app wins over it.
		{"Zoom freezes when I share a slide show", "", "Zoom"},
		// Of two apps, the one named as where it happens.
		{"importing a list from Excel in our SharePoint site fails", "", "SharePoint"},
		{"the OneDrive link won't open in Teams for my guest", "", "Teams"},
		{"the Microsoft Access web app is blank in Internet Explorer", "", "Microsoft Access"},
		// Words that are also product names only count as the product.
		{"I concur, the shared drive is slow for everyone", "", ""},
		{"Miro from finance says the VPN drops", "", "VPN"},
		// An add-in is the app, not the app it plugs into.
		{"the Zoom add-in for Outlook disappeared from the ribbon", "", "Zoom"},
		{"the Jira plugin in Confluence shows an error", "", "Jira"},
	} {
		ex := Extract(tc.msg, extractNow)
		if ex.Device != tc.dev || ex.App != tc.app {
			t.Errorf("Extract(%q): device %q, app %q; want %q, %q", tc.msg, ex.Device, ex.App, tc.dev, tc.app)
		}
	}
}

// TestCategoryFromApp: a problem with a named app and no cue word takes
// the app's category; an app beats the platform under it.
func TestCategoryFromApp(t *testing.T) {
	for _, tc := range []struct{ msg, app, cat string }{
		{"SolidWorks shows a grey model view", "SolidWorks", "software"},
		{"my Access database shows every form blank", "Microsoft Access", "software"},
		{"Outlook can't reach Exchange since the move", "Outlook", "email"},
		// The app's own category beats the words around it: printing,
		// signing in, the network or an access error inside an app are
		// the app's problem.
		{"Excel prints every sheet on a separate page now", "Excel", "software"},
		{"OneDrive won't let me sign in, it just spins", "OneDrive", "software"},
		{"the SharePoint list view stopped loading after the upgrade", "SharePoint", "software"},
		{"Teams says the network is unavailable but the browser works", "Teams", "software"},
		{"Outlook shows access denied when I open my archive folder", "Outlook", "email"},
		// Except MFA, and a request for access to the app.
		{"the MFA code for Salesforce is never accepted", "Salesforce", "mfa"},
		{"please add me to the Finance space in Confluence", "Confluence", "access"},
		{"SharePoint says the site hasn't been shared with me", "SharePoint", "access"},
		// An app named only by its files is no app's problem.
		{"email attachments won't open, Word docs and PDFs alike", "Word", "email"},
		// Identity federation is the account team's, whatever app.
		{"federated users get an AD FS error when they sign in to Zoom", "Zoom", "account"},
		// Three or more Office apps named together: Office, software.
		{"every Office app, Word, Excel and Outlook alike, says the licence can't be verified", "Office", "software"},
		{"since the OneDrive update Word, Excel and PowerPoint can't save to it", "OneDrive", "software"},
		// An app implied by its things takes over the category too.
		{"the linked tables on the mapped network drive can't be reached", "Microsoft Access", "software"},
		// A distribution group is a mail object, not an access matter.
		{"the distribution group for sales drops half its members in Exchange", "Exchange", "email"},
		// A platform under the apps does not take over: the mailbox words
		// say email.
		{"mailbox permissions in Microsoft 365 won't save", "Microsoft 365", "email"},
	} {
		ex := Extract(tc.msg, extractNow)
		if ex.App != tc.app || string(ex.Category) != tc.cat {
			t.Errorf("Extract(%q): app %q, category %q; want %q, %q", tc.msg, ex.App, ex.Category, tc.app, tc.cat)
		}
	}
}

// TestErrorTextOnlyWhenItIsOne: the error is the text a screen shows, as
// shown; a paraphrase, a quoted name or a stack trace's frames are not.
func TestErrorTextOnlyWhenItIsOne(t *testing.T) {
	for _, tc := range []struct{ msg, want string }{
		{"Error: The specified domain either does not exist or could not be contacted. (0x8007054B)", "The specified domain either does not exist or could not be contacted. (0x8007054B)"},
		{`From Priya (no Slack): "Since Monday my uploads to the portal fail with 'File type not allowed'. Can you check?"`, "File type not allowed"},
		{"the build page shows ```java.lang.IllegalStateException: Pool closed at org.pool.Pool.get(Pool.java:88)```", "java.lang.IllegalStateException: Pool closed"},
		{"the printer says my quota is used up or something", ""},
		{"please rename the channel to 'Project Kite', display name 'Kite Team'", ""},
		// A quote announced by a sentence ending in a colon is the message,
		// error words or not.
		{`When I save the form in the travel portal, a grey box appears with the following text at the top of the page: "Your changes will be visible to others tomorrow."`, "Your changes will be visible to others tomorrow."},
		{"Error 2\n\"Your session will end in 5 minutes.\"", "Your session will end in 5 minutes."},
		// A message the app words in the first person, quoted twice, is kept whole.
		{`Excel pops up “"We couldn't find the file you asked for. Check the name and try again."” when I open the link`, `"We couldn't find the file you asked for. Check the name and try again."`},
		// A quote runs as long as the line, a pasted event entry included.
		{"the event log has: \"" + strings.Repeat("Faulting module KernelBase.dll, version 10.0, offset 0x1234. ", 12) + "\"", strings.TrimSpace(strings.Repeat("Faulting module KernelBase.dll, version 10.0, offset 0x1234. ", 12))},
		// What a screen "shows" in the person's words, or what "is
		// displayed", is no message.
		{"since the update the calendar shows the wrong week numbers", ""},
		{"my status is displayed as Away, or it doesn't change at all", ""},
	} {
		if got := Extract(tc.msg, extractNow).ErrorText; got != tc.want {
			t.Errorf("Extract(%q).ErrorText = %q, want %q", tc.msg, got, tc.want)
		}
	}
}
