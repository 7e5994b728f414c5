package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

// The Reply, Pending and Resolve forms offer the macros in a select, most
// used first; a submission with one picked sends its text filled in for
// the ticket, then what the agent typed, and counts the use.
func TestMacroPicker(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t, func(c *Config, _ *Options) {
		c.Macros = map[string]string{"thanks": "Thanks {requester}, {agent} here: I'm closing ticket #{ticket}."}
	})
	d.openVPN("amy")
	d.delivered()
	field := func(f chat.Form, name string) chat.FormField {
		for _, fd := range f.Fields {
			if fd.Name == name {
				return fd
			}
		}
		t.Fatalf("form %s has no field %s: %+v", f.Action, name, f.Fields)
		return chat.FormField{}
	}

	// No macros: the picker is there but not shown, and the text is required.
	f, err := d.bot.Form(ctx, person("tom"), chat.ActionReply, "1")
	if err != nil {
		t.Fatal(err)
	}
	d.bot.conf().Macros = nil
	f, _ = d.bot.Form(ctx, person("tom"), chat.ActionReply, "1")
	if m := field(f, "macro"); m.Shown() || field(f, "text").Optional {
		t.Errorf("without macros: picker %+v, text optional %v", m, field(f, "text").Optional)
	}
	d.bot.conf().Macros = map[string]string{"thanks": "Thanks {requester}, {agent} here: I'm closing ticket #{ticket}."}

	d.run("dana", "/macro add vpn-reset Hi {requester}, please restart the VPN client.\nThen try again.")
	d.run("dana", "/macro add apology Sorry for the wait, {requester}.")
	d.run("tom", "/reply 1 :vpn-reset")
	d.delivered()
	for _, action := range []string{chat.ActionReply, chat.ActionPending, chat.ActionResolve} {
		f, err := d.bot.Form(ctx, person("tom"), action, "1")
		if err != nil {
			t.Fatalf("%s form: %v", action, err)
		}
		want := []chat.FormOption{
			{Value: "vpn-reset", Label: "vpn-reset — Hi {requester}, please restart the VPN client."},
			{Value: "apology", Label: "apology — Sorry for the wait, {requester}."},
			{Value: "thanks", Label: "thanks — Thanks {requester}, {agent} here: I'm closing ticket #{ticket}."},
		}
		if diff := cmp.Diff(want, field(f, "macro").Options); diff != "" {
			t.Errorf("%s form's macros, most used first (-want +got):\n%s", action, diff)
		}
		if !field(f, "text").Optional {
			t.Errorf("%s form: the text is required though a macro may stand in for it", action)
		}
	}
	if f, _ := d.bot.Form(ctx, person("tom"), chat.ActionNote, "1"); hasMacroField(f) {
		t.Errorf("the note form offers macros, which would never reach the requester")
	}

	// What the adapters check before acknowledging.
	reply, _ := d.bot.FormFor(chat.ActionReply)
	for _, tc := range []struct {
		name   string
		values map[string]string
		want   map[string]string
	}{
		{"macro only", map[string]string{"macro": "thanks"}, nil},
		{"text only", map[string]string{"text": "hello"}, nil},
		{"both", map[string]string{"macro": "thanks", "text": "hello"}, nil},
		{"neither", map[string]string{"text": "  "}, map[string]string{"text": "Write the text here, or pick a macro."}},
	} {
		if diff := cmp.Diff(tc.want, d.bot.CheckForm(reply, tc.values)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}

	submit := func(action string, fields map[string]string) string {
		var out []string
		for _, r := range d.bot.HandleAction(ctx, chat.Action{Platform: "test", ChannelID: "dm-tom", User: person("tom"), Name: action, Value: "1", Fields: fields}) {
			out = append(out, r.Text)
		}
		return strings.Join(out, "\n")
	}
	wantIn(t, "reply with macro and text", submit(chat.ActionReply, map[string]string{"macro": "vpn-reset", "text": "It's the new client."}),
		"Reply sent to amy on #1", "(macro vpn-reset, used 2 times)")
	wantIn(t, "amy", strings.Join(d.delivered()["@amy"], "\n"),
		"> Hi amy, please restart the VPN client.\n> Then try again.\n> It's the new client.")
	wantIn(t, "unknown macro", submit(chat.ActionReply, map[string]string{"macro": "gone"}), "There is no macro gone", "/macro list")
	wantIn(t, "forged name", submit(chat.ActionReply, map[string]string{"macro": "a b"}), `"a b" is not a macro name`)
	wantIn(t, "note", submit(chat.ActionNote, map[string]string{"macro": "thanks", "text": "x"}), "The note form has no macros")
	if n := len(d.delivered()["@amy"]); n != 0 {
		t.Errorf("refused submissions sent amy %d messages", n)
	}
	wantIn(t, "pending with macro", submit(chat.ActionPending, map[string]string{"macro": "apology", "text": "Which VPN client version do you run?"}), "(macro apology, used once)")
	wantIn(t, "amy pending", strings.Join(d.delivered()["@amy"], "\n"), "Sorry for the wait, amy.", "Which VPN client version do you run?")
	wantIn(t, "resolve with macro only", submit(chat.ActionResolve, map[string]string{"macro": "thanks"}), "#1 resolved", "(macro thanks, used once)")
	wantIn(t, "amy resolved", strings.Join(d.delivered()["@amy"], "\n"), "Thanks amy, Tom here: I'm closing ticket #1.")
	wantIn(t, "counted", d.run("dana", "/macro list"), ":vpn-reset", "used 2 times", ":apology", "used once")

	// At most 25, the most used kept.
	for i := range 30 {
		d.run("dana", fmt.Sprintf("/macro add m%02d text %d", i, i))
	}
	f, _ = d.bot.Form(ctx, person("tom"), chat.ActionReply, "1")
	if opts := field(f, "macro").Options; len(opts) != chat.MaxOptions || opts[0].Value != "vpn-reset" {
		t.Errorf("with 33 macros the picker offers %d, first %+v", len(opts), opts[0])
	}
}
