package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

func (d *desk) sayAs(p tickets.Person, text string) string {
	d.t.Helper()
	return sayAs(d.bot, p, text)
}

// One person on two platforms is one requester: with the same e-mail
// address in both profiles, or once an admin linked the accounts, /mine
// lists the tickets of both, /status follows either, and a new ticket takes
// the contact and device of the earlier one. Someone else's account stays
// someone else's.
func TestOnePersonAcrossPlatforms(t *testing.T) {
	d := newDesk(t)
	d.openVPN("amy") // #1 on the test platform, device laptop
	onSlack := tickets.Person{Platform: "slack", UserID: "UAMY", Name: "Amy", Contact: "amy@example.com"}
	onDiscord := tickets.Person{Platform: "discord", UserID: "4242", Name: "amy_d", Contact: "<@4242>"}
	stranger := tickets.Person{Platform: "discord", UserID: "666", Name: "mallory", Contact: "<@666>"}

	// By e-mail: a Slack ticket with the address, and the same address
	// on the console, whatever its case.
	tk := &tickets.Ticket{Kind: tickets.KindIncident, Status: tickets.StatusOpen, Priority: tickets.P3, Category: tickets.CategoryOther,
		Summary: "Teams shows no audio devices", Requester: onSlack, Fields: map[string]string{tickets.FieldDevice: "docking station"}, Tier: 1,
		CreatedAt: d.now, UpdatedAt: d.now}
	if err := d.store.CreateTicket(context.Background(), tk); err != nil {
		t.Fatal(err)
	}
	sameMail := tickets.Person{Platform: "console", UserID: "amy", Name: "amy", Contact: "AMY@example.com"}
	mine := d.sayAs(sameMail, "/mine")
	wantIn(t, "by e-mail", mine, tk.Ref(), "Teams shows no audio devices")
	wantIn(t, "status by e-mail", d.sayAs(sameMail, "/status "+strings.TrimPrefix(tk.Ref(), "#")), "Teams shows no audio devices")

	// Discord gives no e-mail: not linked yet, not theirs.
	id := strings.TrimPrefix(tk.Ref(), "#")
	wantIn(t, "discord before the link", d.sayAs(onDiscord, "/status "+id), "You have no ticket "+tk.Ref())
	wantIn(t, "requester links", d.sayAs(onDiscord, "/link discord:4242 slack:UAMY"), "Only help desk agents")
	wantIn(t, "tier 1 links", d.run("dana", "/link discord:4242 slack:UAMY"), "Only admins")
	wantIn(t, "bad key", d.run("ada", "/link discord:4242 UAMY"), `"UAMY" is not PLATFORM:USER_ID`)
	wantIn(t, "link", d.run("ada", "/link discord:4242 slack:UAMY"), "Linked: discord:4242, slack:UAMY are one person")
	wantIn(t, "discord /mine", d.sayAs(onDiscord, "/mine"), "Teams shows no audio devices")
	wantIn(t, "discord /status", d.sayAs(onDiscord, "/status "+id), "Teams shows no audio devices")
	wantIn(t, "stranger", d.sayAs(stranger, "/status "+id), "You have no ticket "+tk.Ref())
	if mine := d.sayAs(stranger, "/mine"); strings.Contains(mine, "Teams") {
		t.Errorf("a stranger's /mine: %s", mine)
	}

	// A new report from Discord takes the e-mail and the device of the
	// Slack ticket.
	say := func(text string) string { return d.sayAs(onDiscord, text) }
	out := d.answerUntilOpen(say, say("I can't hear anyone in meetings since the update this morning"),
		[][2]string{{"Which device", "skip"}, {"Who is affected", "just me"}, {"How much", "it slows me down"}, {`reply "new"`, "new"}})
	wantIn(t, "discord ticket", out, " is open", "Device: docking station (from their earlier ticket "+tk.Ref()+")")
	var newID string
	if i := strings.Index(out, "Ticket #"); i >= 0 {
		newID = strings.Fields(out[i+len("Ticket #"):])[0]
	}
	wantIn(t, "contact", d.run("dana", "/show "+newID), "Requester: amy_d (<@4242>, amy@example.com)")

	wantIn(t, "unlink", d.run("ada", "/unlink discord:4242"), "discord:4242 is on its own again")
	wantIn(t, "after unlink", d.sayAs(onDiscord, "/status "+id), "You have no ticket "+tk.Ref())
}
