package extract

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// The fixed clock of every test: Wednesday 18 November 2026, 14:30, in a
// zone that is not UTC so a resolver that forgets now.Location() fails.
var (
	extractZone = time.FixedZone("CET", 3600)
	extractNow  = time.Date(2026, 11, 18, 14, 30, 0, 0, extractZone)
)

// extractWant is an Extraction with short field names, so the table stays
// one line per message.
type extractWant struct {
	dev, app string // dev alone may name an app, as the two were one field once
	sym, err string
	at       time.Time
	when     string
	steps    []string
	cat      tickets.Category
	imp, urg tickets.Level
	corr     bool
}

func (w extractWant) extraction() Extraction {
	if w.app == "" && w.dev != "" && !IsHardware(w.dev) {
		w.app, w.dev = w.dev, ""
	}
	return Extraction{Device: w.dev, App: w.app, Symptom: w.sym, ErrorText: w.err, StartedAt: w.at, StartedText: w.when,
		Steps: w.steps, Category: w.cat, Impact: w.imp, Urgency: w.urg, Correction: w.corr}
}

type extractCase struct {
	msg  string
	want extractWant
}

// extractCases are realistic employee messages with everything Extract
// should pull from each, and nothing more.
func extractCases() []extractCase {
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, extractZone) }
	ss := func(s ...string) []string { return s }
	const (
		account, mfa, hardware, software = tickets.CategoryAccount, tickets.CategoryMFA, tickets.CategoryHardware, tickets.CategorySoftware
		network, email, printing, access = tickets.CategoryNetwork, tickets.CategoryEmail, tickets.CategoryPrinting, tickets.CategoryAccess
		lo, med, hi                      = tickets.Low, tickets.Medium, tickets.High
	)
	return []extractCase{
		{"my laptop can't reach the VPN since this morning, I already rebooted", extractWant{app: "VPN", dev: "laptop", sym: "my laptop can't reach the VPN", at: at(18, 9, 0), when: "since this morning", steps: ss("rebooted"), cat: network}},
		{"hi", extractWant{}},
		{"Hi! 🙂", extractWant{}},
		{"ok", extractWant{}},
		{"yesterday", extractWant{at: at(17, 9, 0), when: "yesterday"}},
		{"I rebooted", extractWant{steps: ss("rebooted")}},
		{"nothing yet", extractWant{}},
		{"just me", extractWant{imp: lo}},
		{"it's slowing me down", extractWant{urg: med}},
		{"can't work at all", extractWant{urg: hi}},
		{"whenever you have time", extractWant{urg: lo}},
		{"thanks!", extractWant{}},
		{"👍", extractWant{}},
		{"Outlook keeps asking for my password", extractWant{dev: "Outlook", sym: "Outlook keeps asking for my password", cat: email}},
		{"locked out of my account", extractWant{sym: "locked out of my account", cat: account}},
		{"MFA code not accepted", extractWant{sym: "MFA code not accepted", cat: mfa}},
		{"VPN error 720", extractWant{dev: "VPN", sym: "VPN error 720", err: "error 720", cat: network}},
		{"actually it started yesterday", extractWant{at: at(17, 9, 0), when: "yesterday", corr: true}},
		{"sorry, I meant my desktop not my laptop", extractWant{dev: "desktop", corr: true}},
		{"Correction: it's the desktop, not the laptop", extractWant{dev: "desktop", corr: true}},
		{"no wait, it started on Tuesday", extractWant{at: at(17, 9, 0), when: "on Tuesday", corr: true}},
		{"hello, my laptop is super slow since the windows update on Monday", extractWant{dev: "laptop", sym: "my laptop is super slow", at: at(16, 9, 0), when: "since the windows update on Monday", cat: software}},
		// The laptop a step restarts is the person's own: the device Outlook runs on.
		{"Hi, my Outlook won't open. It crashes right after the splash screen. I already restarted my laptop twice.", extractWant{dev: "laptop", app: "Outlook", sym: "my Outlook won't open", steps: ss("rebooted"), cat: email}},
		{"the printer on floor 2 is jammed again", extractWant{dev: "printer", sym: "the printer on floor 2 is jammed", cat: printing}},
		{"I need access to the HR SharePoint site for the onboarding project", extractWant{dev: "SharePoint", sym: "I need access to the HR SharePoint site for the onboarding project", cat: access}},
		{"Can someone reset my password? I'm locked out after too many attempts", extractWant{sym: "Can someone reset my password", cat: account}},
		{"yo my wifi keeps disconnecting every 10 mins, tried forgetting the network and reconnecting", extractWant{dev: "Wi-Fi", sym: "my wifi keeps disconnecting every 10 mins", steps: ss("forgot the network", "reconnected"), cat: network}},
		{"New phone, how do I set up MFA again?", extractWant{dev: "phone", sym: "New phone, how do I set up MFA", cat: mfa}},
		{"Teams calls drop when I'm on VPN. whole team has the same problem", extractWant{dev: "VPN", sym: "Teams calls drop when I'm on VPN", cat: network, imp: med}},
		{"our shared mailbox stopped receiving emails around 3pm yesterday", extractWant{sym: "our shared mailbox stopped receiving emails", at: at(17, 15, 0), when: "around 3pm yesterday", cat: email}},
		{"My second monitor isn't detected anymore after I moved desks. Checked the cables.", extractWant{dev: "monitor", sym: "My second monitor isn't detected anymore", when: "after I moved desks", steps: ss("checked the cables"), cat: hardware}},
		{"spilled coffee on my keyboard lol, some keys don't work", extractWant{dev: "keyboard", sym: "spilled coffee on my keyboard, some keys don't work", cat: hardware}},
		{"I get \"Your account has been disabled. Contact your administrator.\" when I sign in", extractWant{sym: "I get \"Your account has been disabled. Contact your administrator.\" when I sign in", err: "Your account has been disabled. Contact your administrator.", cat: account}},
		{"Error: 0x80070005 when installing Adobe Reader", extractWant{dev: "Adobe Acrobat", sym: "Error: 0x80070005 when installing Adobe Reader", err: "0x80070005", cat: software}},
		{"The VPN says authentication failed", extractWant{dev: "VPN", sym: "The VPN says authentication failed", err: "authentication failed", cat: network}},
		{"my battery dies in like an hour, laptop is 3 years old, no rush", extractWant{dev: "laptop", sym: "my battery dies in like an hour, laptop is 3 years old", cat: hardware, urg: lo}},
		{"can't print to the color printer, other printers work fine. Tried clearing the print queue.", extractWant{dev: "printer", sym: "can't print to the color printer, other printers work fine", steps: ss("cleared the print queue"), cat: printing}},
		{"Chrome shows ERR_CONNECTION_REFUSED for the wiki since 14:30", extractWant{dev: "Chrome", sym: "Chrome shows ERR_CONNECTION_REFUSED for the wiki", err: "ERR_CONNECTION_REFUSED", at: at(18, 14, 30), when: "since 14:30", cat: software}},
		{"Webcam not working in Zoom, it's black. Meeting in 5 min!!!", extractWant{app: "Zoom", dev: "webcam", sym: "Webcam not working in Zoom, it's black", cat: software, urg: hi}},
		{"I already tried rebooting, clearing cache and reinstalling the app", extractWant{steps: ss("rebooted", "cleared the cache", "reinstalled the app")}},
		{"everyone on my floor", extractWant{imp: med}},
		{"It's urgent, the whole company can't access email!!", extractWant{sym: "the whole company can't access email", cat: email, imp: hi, urg: hi}},
		{"outlook keeps asking for password over and over, super annoying but I can work", extractWant{dev: "Outlook", sym: "outlook keeps asking for password over and over", cat: email, urg: med}},
		{"AADSTS50126: Error validating credentials due to invalid username or password.", extractWant{sym: "AADSTS50126: Error validating credentials due to invalid username or password", err: "AADSTS50126", cat: account}},
		{"please install python 3.12 on my workstation", extractWant{dev: "desktop", sym: "install python 3.12 on my workstation", cat: software}},
		{"The docking station doesn't charge my laptop anymore", extractWant{dev: "docking station", sym: "The docking station doesn't charge my laptop anymore", cat: hardware}},
		{"my account got locked again :(", extractWant{sym: "my account got locked", cat: account}},
		{"Okta Verify isn't sending push notifications after I switched phones", extractWant{app: "Okta Verify", dev: "phone", sym: "Okta Verify isn't sending push notifications", when: "after I switched phones", cat: mfa}},
		{"Since Nov 10 I can't open PDFs in Acrobat, it says `The file is damaged and could not be repaired`", extractWant{dev: "Adobe Acrobat", sym: "I can't open PDFs in Acrobat, it says `The file is damaged and could not be repaired`", err: "The file is damaged and could not be repaired", at: at(10, 9, 0), when: "Since Nov 10", cat: software}},
		{"Slack notifications not working on my phone since 2026-11-12", extractWant{app: "Slack", dev: "phone", sym: "Slack notifications not working on my phone", at: at(12, 9, 0), when: "since 2026-11-12", cat: software}},
		{"The internet is really slow for me and a couple of colleagues, but we can still work", extractWant{sym: "The internet is really slow for me", cat: network, imp: med, urg: med}},
		{"I can't log into my laptop, it says the trust relationship between this workstation and the primary domain failed", extractWant{dev: "laptop", sym: "I can't log into my laptop, it says the trust relationship between this workstation and the primary domain failed", err: "the trust relationship between this workstation and the primary domain failed", cat: account}},
		{"my laptop screen is cracked, I dropped it on the train", extractWant{dev: "laptop", sym: "my laptop screen is cracked, I dropped it on the train", cat: hardware}},
		{"need Jira access for the new project asap", extractWant{dev: "Jira", sym: "need Jira access for the new project", cat: access, urg: hi}},
		{"Hey IT 👋 quick question: how do I add a shared calendar in Outlook?", extractWant{dev: "Outlook", sym: "how do I add a shared calendar in Outlook", cat: email}},
		{"BSOD again!!! DRIVER_IRQL_NOT_LESS_OR_EQUAL", extractWant{sym: "BSOD", err: "DRIVER_IRQL_NOT_LESS_OR_EQUAL", cat: software}},
		{"VPN error 809 since last week, tried another network and it works from my phone hotspot", extractWant{dev: "VPN", sym: "VPN error 809", err: "error 809", at: at(11, 14, 30), when: "since last week", steps: ss("tried another network"), cat: network, urg: med}}, // the hotspot is a workaround
		{"the scanner on 3rd floor scans everything blank", extractWant{dev: "scanner", sym: "the scanner on 3rd floor scans everything blank", cat: printing}},
		{"hi hi hi hi, my mouse is dead, tried new batteries", extractWant{dev: "mouse", sym: "my mouse is dead", steps: ss("replaced the batteries"), cat: hardware}},
		{"hola, mi laptop no funciona desde ayer", extractWant{when: "desde ayer", dev: "laptop", sym: "mi laptop no funciona", cat: hardware}},
		{"Can't connect to the VPN. I've restarted, I've reinstalled GlobalProtect, I've tried a different wifi. Nothing works. I have a client demo in 20 minutes!!", extractWant{dev: "VPN", sym: "Can't connect to the VPN", steps: ss("rebooted", "reinstalled the app", "tried another network"), cat: network, urg: hi}},
		{"Good afternoon, Excel freezes whenever I use the pivot table, only on my machine, colleagues are fine", extractWant{dev: "Excel", sym: "Excel freezes whenever I use the pivot table", cat: software, imp: lo}},
		{"Is the network down? Nobody in the office can get online", extractWant{sym: "Is the network down", cat: network, imp: hi}},
		{"my password is Summer2026! can you check why it doesn't work", extractWant{sym: "my password is [masked password] can you check why it doesn't work", cat: account}},
		{"My laptop fan is really loud and it gets super hot", extractWant{dev: "laptop", sym: "My laptop fan is really loud and it gets super hot", cat: hardware}},
		{"Outlook: \"Cannot start Microsoft Outlook. Cannot open the Outlook window.\"", extractWant{dev: "Outlook", sym: "Outlook: \"Cannot start Microsoft Outlook. Cannot open the Outlook window.\"", err: "Cannot start Microsoft Outlook. Cannot open the Outlook window.", cat: email}},
		{"I'm getting error 1603 when installing Zoom. Not urgent.", extractWant{dev: "Zoom", sym: "I'm getting error 1603 when installing Zoom", err: "error 1603", cat: software, urg: lo}},
		{"Calendar invites from external people go to junk", extractWant{sym: "Calendar invites from external people go to junk", cat: email}},
		{"lost my phone with the authenticator on it!! can't log in to anything", extractWant{app: "Authenticator", dev: "phone", sym: "lost my phone with the authenticator on it", cat: mfa, urg: hi}},
		{"please add me to the sg-finance-readers group", extractWant{sym: "add me to the sg-finance-readers group", cat: access}},
		{"docking station keeps disconnecting my monitors every few minutes, I unplugged and replugged everything, updated the drivers too", extractWant{dev: "docking station", sym: "docking station keeps disconnecting my monitors every few minutes", steps: ss("checked the cables", "updated the drivers"), cat: hardware}},
		{"it's been happening for 3 weeks", extractWant{at: time.Date(2026, 10, 28, 14, 30, 0, 0, extractZone), when: "for 3 weeks"}},
		{"My laptop died. It won't turn on even when charging. I held the power button for 30 seconds.", extractWant{dev: "laptop", sym: "My laptop died", steps: ss("rebooted"), cat: hardware}},
		{"my latop wont conect to the wifi since yesterdy, tried my phone hotspot and that works", extractWant{app: "Wi-Fi", dev: "laptop", sym: "my latop wont conect to the wifi", at: at(17, 9, 0), when: "since yesterdy", steps: ss("tried another network"), cat: network}},
		{"cant login to vpn pls help!!!", extractWant{dev: "VPN", sym: "cant login to vpn", cat: network}},
		{"Getting HTTP 503 on the intranet portal since about an hour ago", extractWant{sym: "Getting HTTP 503 on the intranet portal", err: "HTTP 503", at: at(18, 13, 30), when: "since about an hour ago"}},
		{"Outlook won't sync on my iPhone since 2 days. Deleted the account and re-added it. Kind of urgent.", extractWant{app: "Outlook", dev: "phone", sym: "Outlook won't sync on my iPhone", at: at(16, 14, 30), when: "since 2 days", steps: ss("re-added the account"), cat: email, urg: med}},
		{"My headset crackles and the mic keeps cutting out", extractWant{dev: "headset", sym: "My headset crackles and the mic keeps cutting out", cat: hardware}},
		{"Since 9am nobody in the office can print, printer shows offline", extractWant{dev: "printer", sym: "nobody in the office can print, printer shows offline", at: at(18, 9, 0), when: "Since 9am", cat: printing, imp: hi}},
		{"the printer has been offline since Monday's update, my team can't print invoices", extractWant{dev: "printer", sym: "the printer has been offline, my team can't print invoices", at: at(16, 9, 0), when: "since Monday's update", cat: printing, imp: med}},
		{"here's my token ghp_abcdefghijklmnopqrstuvwxyz0123456789 — the Jira API keeps returning 401 Unauthorized", extractWant{dev: "Jira", sym: "here's my token [masked token] — the Jira API keeps returning 401 Unauthorized", err: "401 Unauthorized", cat: software}},
		{"my github token expired", extractWant{app: "GitHub", sym: "my github token expired", cat: software}},
		{"Good morning!! Hope you're well. So, um, my external monitor flickers 2-3 times a minute since the weekend. Not a big deal, but annoying. Thanks in advance 🙏", extractWant{dev: "monitor", sym: "my external monitor flickers 2-3 times a minute", at: at(14, 9, 0), when: "since the weekend", cat: hardware, urg: lo}},
		{"I want to request a new laptop because mine is 5 years old", extractWant{dev: "laptop", sym: "I want to request a new laptop because mine is 5 years old", cat: hardware}},
		{"scratch that, it's the Wi-Fi not the VPN", extractWant{dev: "Wi-Fi", cat: network, corr: true}},
		{"my whole team", extractWant{imp: med}},
		{"not urgent", extractWant{urg: lo}},
		{"my email attachments won't open, it says \"We can't open this file\" — started on Nov 16, happens with PDFs and Word docs", extractWant{dev: "Word", sym: "my email attachments won't open, it says \"We can't open this file\", happens with PDFs and Word docs", err: "We can't open this file", at: at(16, 9, 0), when: "on Nov 16", cat: email}},
		{"the wifi in meeting room 4 is really slow since 2pm", extractWant{dev: "meeting-room", app: "Wi-Fi", sym: "the wifi in meeting room 4 is really slow", at: at(18, 14, 0), when: "since 2pm", cat: network}},
		{"Hello there,\tmy\x07 headset isn't charging", extractWant{dev: "headset", sym: "my headset isn't charging", cat: hardware}},
		{"Laptop overheats and shuts down randomly for the past few days, I've updated windows and ran the troubleshooter", extractWant{dev: "laptop", sym: "Laptop overheats and shuts down randomly", at: at(15, 14, 30), when: "for the past few days", steps: ss("installed updates", "ran the troubleshooter"), cat: hardware}},
		{"my calendar stopped syncing with my phone after I changed my password yesterday", extractWant{dev: "phone", sym: "my calendar stopped syncing with my phone", at: at(17, 9, 0), when: "after I changed my password yesterday", cat: email}}, // the change is an event before the problem, not a step tried
		{"I rebooted, it didn't work", extractWant{steps: ss("rebooted")}},
		{"Rebooted. Still not working.", extractWant{steps: ss("rebooted")}},
		{"I reinstalled Outlook but it still crashes on start", extractWant{dev: "Outlook", sym: "it still crashes on start", steps: ss("reinstalled the app"), cat: email}},
		{"tried rebooting, didn't help, VPN still down", extractWant{dev: "VPN", sym: "VPN still down", steps: ss("rebooted"), cat: network}},
		{"my laptop restarted by itself during a call", extractWant{dev: "laptop", sym: "my laptop restarted by itself during a call", cat: hardware}},
		{"it keeps rebooting, should I reboot it again?", extractWant{sym: "it keeps rebooting, should I reboot it", steps: nil}},
		{"Outlook crashes \xff\xfe on start", extractWant{dev: "Outlook", sym: "Outlook crashes", cat: email}}, // U+FFFD, like an emoji, ends a sentence
		{"My laptop won't boot. " + strings.Repeat("log: kernel module 12 loaded ok. ", 3000), extractWant{dev: "laptop", sym: "My laptop won't boot", cat: hardware}},
	}
}

func TestExtract(t *testing.T) {
	t.Parallel()
	for _, tc := range extractCases() {
		name := tc.msg
		if len(name) > 60 {
			name = name[:60]
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := Extract(tc.msg, extractNow)
			if diff := cmp.Diff(tc.want.extraction(), got); diff != "" {
				t.Errorf("Extract(%q) mismatch (-want +got):\n%s", tc.msg, diff)
			}
		})
	}
}

// TestExtractHostileInput: chat is untrusted. Nothing may panic, every field
// must be valid UTF-8, and no secret may survive into a field.
func TestExtractHostileInput(t *testing.T) {
	t.Parallel()
	inputs := []string{
		"",
		"\xff\xfe\xfd",
		"\x00\x01\x02 printer \x1b[31m jammed \x7f",
		strings.Repeat("a", 100<<10),
		strings.Repeat("my laptop can't reach the VPN since this morning, I rebooted. ", 2000),
		strings.Repeat("'\"`“‘«", 20000),
		strings.Repeat("since ", 20000),
		strings.Repeat("error: ", 15000),
		"my password is Hunter2! and Outlook says \"password Hunter2! rejected\"",
	}
	for _, in := range inputs {
		// Speed on hostile input is measured by BenchmarkExtract, not timed here.
		ex := Extract(in, extractNow)
		for _, f := range append([]string{ex.Device, ex.Symptom, ex.ErrorText, ex.StartedText}, ex.Steps...) {
			if !utf8.ValidString(f) {
				t.Errorf("Extract(%.40q): field %q is not valid UTF-8", in, f)
			}
			if strings.Contains(f, "Hunter2") {
				t.Errorf("Extract(%.40q): secret leaked into %q", in, f)
			}
		}
	}
}

func TestParseWhen(t *testing.T) {
	t.Parallel()
	at := func(mo time.Month, d, h, m int) time.Time { return time.Date(2026, mo, d, h, m, 0, 0, extractZone) }
	tests := []struct {
		in     string
		want   time.Time
		phrase string
	}{
		{"since this morning", at(11, 18, 9, 0), "since this morning"},
		{"this mornig", at(11, 18, 9, 0), "this mornig"},
		{"this afternoon", at(11, 18, 13, 0), "this afternoon"},
		{"this evening", extractNow, "this evening"}, // 18:00 is still ahead: now
		{"earlier today", at(11, 18, 9, 0), "earlier today"},
		{"this morning at 8", at(11, 18, 8, 0), "this morning at 8"},
		{"yesterday", at(11, 17, 9, 0), "yesterday"},
		{"yesterdy", at(11, 17, 9, 0), "yesterdy"},
		{"yesterday at 3pm", at(11, 17, 15, 0), "yesterday at 3pm"},
		{"yesterday 15:00", at(11, 17, 15, 0), "yesterday 15:00"},
		{"since 2pm yesterday", at(11, 17, 14, 0), "since 2pm yesterday"},
		{"since yesterday morning", at(11, 17, 9, 0), "since yesterday morning"},
		{"last night", at(11, 17, 21, 0), "last night"},
		{"the day before yesterday", at(11, 16, 9, 0), "the day before yesterday"},
		{"2 days ago", at(11, 16, 14, 30), "2 days ago"},
		{"an hour ago", at(11, 18, 13, 30), "an hour ago"},
		{"half an hour ago", at(11, 18, 14, 0), "half an hour ago"},
		{"10 mins ago", at(11, 18, 14, 20), "10 mins ago"},
		{"2h ago", at(11, 18, 12, 30), "2h ago"},
		{"3 weeks ago", at(10, 28, 14, 30), "3 weeks ago"},
		{"few days ago", at(11, 15, 14, 30), "few days ago"},
		{"for 3 days", at(11, 15, 14, 30), "for 3 days"},
		{"for a couple of days", at(11, 16, 14, 30), "for a couple of days"},
		{"for the past hour", at(11, 18, 13, 30), "for the past hour"},
		{"since 2 days", at(11, 16, 14, 30), "since 2 days"},
		{"2 weeks", at(11, 4, 14, 30), "2 weeks"},
		{"just now", at(11, 18, 14, 25), "just now"},
		{"a few minutes ago", at(11, 18, 14, 25), "a few minutes ago"},
		{"after Monday's update", at(11, 16, 9, 0), "after Monday's update"},
		{"on Tuesday", at(11, 17, 9, 0), "on Tuesday"},
		{"since Wednesday", at(11, 11, 9, 0), "since Wednesday"}, // today is Wednesday: a week ago
		{"since friday afternoon", at(11, 13, 13, 0), "since friday afternoon"},
		{"since last Thursday at 4pm", at(11, 12, 16, 0), "since last Thursday at 4pm"},
		{"since Mon", at(11, 16, 9, 0), "since Mon"},
		{"over the weekend", at(11, 14, 9, 0), "over the weekend"},
		{"earlier this week", at(11, 16, 9, 0), "earlier this week"},
		{"last week", at(11, 11, 14, 30), "last week"},
		{"last month", at(10, 18, 14, 30), "last month"},
		{"since 9am", at(11, 18, 9, 0), "since 9am"},
		{"since 14:30", at(11, 18, 14, 30), "since 14:30"},
		{"since 16:00", at(11, 17, 16, 0), "since 16:00"}, // still ahead today: yesterday
		{"since noon", at(11, 18, 12, 0), "since noon"},
		{"since 1", at(11, 18, 13, 0), "since 1"}, // office hours: 1 is 13:00
		{"since 7", at(11, 18, 7, 0), "since 7"},
		{"around 3pm", at(11, 17, 15, 0), "around 3pm"},
		{"at 10", at(11, 18, 10, 0), "at 10"},
		{"Nov 20", time.Date(2025, 11, 20, 9, 0, 0, 0, extractZone), "Nov 20"}, // ahead this year: last year
		{"20 Nov", time.Date(2025, 11, 20, 9, 0, 0, 0, extractZone), "20 Nov"},
		{"11/20", time.Date(2025, 11, 20, 9, 0, 0, 0, extractZone), "11/20"},
		{"Dec 31", time.Date(2025, 12, 31, 9, 0, 0, 0, extractZone), "Dec 31"},
		{"2026-11-10", at(11, 10, 9, 0), "2026-11-10"},
		{"11/10/2026", at(11, 10, 9, 0), "11/10/2026"},
		{"on the 3rd of November", at(11, 3, 9, 0), "on the 3rd of November"},
		{"November 3rd, 2026", at(11, 3, 9, 0), "November 3rd, 2026"},
		{"Nov 18", at(11, 18, 9, 0), "Nov 18"},
		{"since March", at(3, 1, 9, 0), "since March"},
		{"it broke since 3/4", at(3, 4, 9, 0), "since 3/4"},
		{"Outlook crashes since the update on Monday", at(11, 16, 9, 0), "on Monday"},
		{"it’s been down since yesterday, I need it fixed today", at(11, 17, 9, 0), "since yesterday"},
		// Not a start time: vague, in the future, a habit, a deadline, impossible.
		{"a while ago", time.Time{}, ""},
		{"since the update", time.Time{}, ""},
		{"after the update", time.Time{}, ""},
		{"recently", time.Time{}, ""},
		{"for ages", time.Time{}, ""},
		{"2026-11-20", time.Time{}, ""},
		{"next Monday", time.Time{}, ""},
		{"every Monday", time.Time{}, ""},
		{"I need it by Friday", time.Time{}, ""},
		{"fixed today please", time.Time{}, ""},
		{"since 25:00", time.Time{}, ""},
		{"Feb 30", time.Time{}, ""},
		{"3/4 of the team", time.Time{}, ""},
		{"I have a meeting at 3pm", time.Time{}, ""},
		{"", time.Time{}, ""},
	}
	for _, tc := range tests {
		got, phrase, ok := ParseWhen(tc.in, extractNow)
		if ok != !tc.want.IsZero() || !got.Equal(tc.want) || phrase != tc.phrase {
			t.Errorf("ParseWhen(%q) = %v, %q, %v; want %v, %q", tc.in, got, phrase, ok, tc.want, tc.phrase)
		}
		if ok && got.Location() != extractZone {
			t.Errorf("ParseWhen(%q) location %v, want now's", tc.in, got.Location())
		}
		if ok && got.After(extractNow) {
			t.Errorf("ParseWhen(%q) = %v is after now", tc.in, got)
		}
	}
}

// TestParseWhenEarlyMorning: "this morning" said before 09:00 cannot be in
// the future, and "since 9am" then means yesterday.
func TestParseWhenEarlyMorning(t *testing.T) {
	t.Parallel()
	early := time.Date(2026, 11, 16, 8, 0, 0, 0, extractZone) // a Monday
	for in, want := range map[string]time.Time{
		"this morning": early,
		"since 9am":    time.Date(2026, 11, 15, 9, 0, 0, 0, extractZone),
		"on Monday":    time.Date(2026, 11, 9, 9, 0, 0, 0, extractZone),
		"Nov 16":       early,
	} {
		if got, _, ok := ParseWhen(in, early); !ok || !got.Equal(want) {
			t.Errorf("ParseWhen(%q) at %v = %v, %v; want %v", in, early, got, ok, want)
		}
	}
}

func TestParseImpact(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want tickets.Level
	}{
		{"just me", tickets.Low}, {"Just me 🙂", tickets.Low}, {"just her", tickets.Low}, {"only one person", tickets.Low}, {"me", tickets.Low}, {"only me and nobody else", tickets.Low},
		{"only my laptop", tickets.Low}, {"everyone else is fine", tickets.Low}, {"1", tickets.Low}, {"low", tickets.Low},
		{"my team", tickets.Medium}, {"team", tickets.Medium}, {"a few people", tickets.Medium}, {"5 people", tickets.Medium},
		{"it's not just me", tickets.Medium}, {"my department", tickets.Medium}, {"2", tickets.Medium}, {"med", tickets.Medium},
		{"some colleagues too", tickets.Medium},
		{"everyone", tickets.High}, {"my whole team", tickets.Medium}, {"the whole office", tickets.High}, {"all", tickets.High},
		{"all of us", tickets.High}, {"50 users", tickets.High}, {"3", tickets.High}, {"HIGH", tickets.High},
		{"not just me, everyone has it", tickets.High}, {"nobody can log in", tickets.High},
		{"not sure", ""}, {"", ""}, {"4", ""}, {"the printer", ""},
	}
	for _, tc := range tests {
		got, ok := ParseImpact(tc.in)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("ParseImpact(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}

func TestParseUrgency(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want tickets.Level
	}{
		{"I can't work at all", tickets.High}, {"cant work", tickets.High}, {"blocked", tickets.High}, {"urgent", tickets.High},
		{"ASAP please", tickets.High}, {"meeting in 10 min", tickets.High}, {"client call in an hour", tickets.High}, {"3", tickets.High},
		{"high", tickets.High},
		{"it's slowing me down", tickets.Medium}, {"kind of urgent", tickets.Medium}, {"I have a workaround", tickets.Medium},
		{"a bit slow", tickets.Medium}, {"I can work", tickets.Medium}, {"presentation in 5 hours", tickets.Medium},
		{"not blocking me", tickets.Medium}, {"2", tickets.Medium},
		{"not urgent", tickets.Low}, {"no rush", tickets.Low}, {"whenever", tickets.Low}, {"it can wait", tickets.Low},
		{"not urgent but it's annoying", tickets.Low}, {"1", tickets.Low}, {"Low", tickets.Low},
		{"not sure", ""}, {"", ""}, {"the VPN", ""}, {"I can't work on Excel files", ""},
	}
	for _, tc := range tests {
		got, ok := ParseUrgency(tc.in)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("ParseUrgency(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}

// FuzzExtract checks that no input panics or yields invalid UTF-8, and that
// a start time is never after now. Seeded from the table, it runs the seeds
// in a normal `go test`.
func FuzzExtract(f *testing.F) {
	for _, tc := range extractCases() {
		if len(tc.msg) < 1000 {
			f.Add(tc.msg)
		}
	}
	f.Add("\xff\x00 since \xfe 3/4 ‘'`\"")
	f.Fuzz(func(t *testing.T, in string) {
		ex := Extract(in, extractNow)
		for _, s := range append([]string{ex.Device, ex.App, ex.Symptom, ex.ErrorText, ex.StartedText}, ex.Steps...) {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in %q", s)
			}
		}
		if ex.StartedAt.After(extractNow) {
			t.Fatalf("StartedAt %v after now", ex.StartedAt)
		}
		if !ex.StartedAt.IsZero() && ex.StartedText == "" { // an event ("after the update") has words but no time
			t.Fatalf("StartedAt %v with no phrase", ex.StartedAt)
		}
	})
}

func BenchmarkExtract(b *testing.B) {
	cases := extractCases()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Extract(cases[i%(len(cases)-1)].msg, extractNow) // the last case is the 100 KB one
	}
}
