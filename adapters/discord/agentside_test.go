package discord

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/helpdesk-bot/helpdesk/adapters/discord/discordfake"
)

// The agent's side through Discord: /desk macro add, then /desk reply with
// :NAME reaches the requester filled in; /helpdesk transcript gives the
// requester their ticket without the internal note.
func TestMacroAndTranscript(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{})
	f := d.fake
	reportInDM(t, d, alice)
	m := f.mark()
	d.slash(discordfake.Triage, dana, "macro", "action", "add", "name", "hotspot", "text", "Hi {requester}, please try {ticket} on your phone's hotspot.")
	f.waitCall(m, "POST", "/webhooks/"+discordfake.AppID+"/", "Macro hotspot added")
	m = f.mark()
	d.slash(discordfake.Triage, dana, "reply", "ticket", 1, "text", ":hotspot")
	f.waitCall(m, "POST", "/channels/"+discordfake.DMChannel(alice)+"/messages", "please try #1 on your phone")
	d.slash(discordfake.Triage, dana, "note", "ticket", 1, "text", "gateway certificate expired")
	m = f.mark()
	d.slash(discordfake.DMChannel(alice), alice, "transcript", "ticket", 1)
	c, _ := f.waitCall(m, "POST", "/webhooks/"+discordfake.AppID+"/", "# Ticket #1")
	if body := string(c.Body); !strings.Contains(body, "please try #1 on your phone") || strings.Contains(body, "gateway certificate") {
		t.Errorf("the requester's transcript: %s", body)
	}
}

// The macro picker through Discord: the Reply modal has a string select
// of the macros in a Label; submitted with one picked and a line typed,
// the requester gets the macro filled in, then the line; with neither,
// the agent is told what to fix.
func TestMacroPickerModal(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{})
	f := d.fake
	reportInDM(t, d, alice)
	m := f.mark()
	d.slash(discordfake.Triage, dana, "macro", "action", "add", "name", "hotspot", "text", "Hi {requester}, please try {ticket} on your phone's hotspot.")
	f.waitCall(m, "POST", "/webhooks/"+discordfake.AppID+"/", "Macro hotspot added")

	m = f.mark()
	d.click(discordfake.Triage, dana, nil, "reply:1")
	c, m := f.waitCall(m, "POST", "/callback", `"type":9`)
	var resp struct {
		Data struct {
			Components []struct {
				Type      int `json:"type"`
				Component struct {
					Type      int    `json:"type"`
					CustomID  string `json:"custom_id"`
					Required  bool   `json:"required"`
					MinValues int    `json:"min_values"`
					MaxValues int    `json:"max_values"`
					Options   []struct {
						Label string `json:"label"`
						Value string `json:"value"`
					} `json:"options"`
				} `json:"component"`
			} `json:"components"`
		} `json:"data"`
	}
	if err := json.Unmarshal(c.Body, &resp); err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, l := range resp.Data.Components {
		s := l.Component
		if s.CustomID != "macro" {
			continue
		}
		found = true
		if l.Type != 18 || s.Type != 3 || s.Required || s.MinValues != 0 || s.MaxValues != 1 ||
			len(s.Options) != 1 || s.Options[0].Value != "hotspot" || !strings.HasPrefix(s.Options[0].Label, "hotspot — Hi {requester}") {
			t.Errorf("the macro picker: %+v in a component of type %d", s, l.Type)
		}
	}
	if !found {
		t.Fatalf("the reply modal has no macro picker: %s", c.Body)
	}

	submitPick := func(text, macro string) {
		var values []any
		if macro != "" {
			values = []any{macro}
		}
		d.interact("", discordfake.Triage, dana, nil, 5, map[string]any{"custom_id": "modal:reply:1", "components": []any{
			map[string]any{"type": 18, "id": 1, "component": map[string]any{"type": 4, "id": 2, "custom_id": "text", "value": text}},
			map[string]any{"type": 18, "id": 3, "component": map[string]any{"type": 3, "id": 4, "custom_id": "macro", "values": values}},
		}})
	}
	submitPick(" ", "")
	f.waitCall(m, "POST", "/callback", "Write the text here, or pick a macro.")

	m = f.mark()
	submitPick("Then tell me if it connects.", "hotspot")
	c, _ = f.waitCall(m, "POST", "/channels/"+discordfake.DMChannel(alice)+"/messages", "please try #1 on your phone")
	if body := string(c.Body); !strings.Contains(body, "Then tell me if it connects.") || !strings.Contains(body, "Hi User 601, please try") {
		t.Errorf("the requester got: %s", body)
	}
	f.waitCall(m, "POST", "/webhooks/"+discordfake.AppID+"/", "macro hotspot, used once")
}
