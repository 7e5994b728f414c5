package discord

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

func TestSplitKeepsEverythingWithinLimit(t *testing.T) {
	text := strings.Repeat("ünïcode words here\n", 300) // 5700 characters
	pieces := split(text, maxContent)
	if len(pieces) != 3 {
		t.Fatalf("%d pieces", len(pieces))
	}
	joined := 0
	for _, p := range pieces {
		if n := utf8.RuneCountInString(p); n > maxContent || n == 0 {
			t.Errorf("piece of %d characters", n)
		}
		if !strings.HasSuffix(p, "here") {
			t.Errorf("piece cut mid-line: %q", p[len(p)-20:])
		}
		joined += strings.Count(p, "ünïcode")
	}
	if joined != 300 {
		t.Errorf("%d of 300 lines kept", joined)
	}
	ms := messages(text, []tickets.Button{{Label: "Claim", Action: chat.ActionClaim, Value: "1"}})
	if len(ms[0].Components) != 0 || len(ms[2].Components) != 1 {
		t.Error("buttons must ride on the last piece only")
	}
	for _, m := range ms {
		if m.AllowedMentions == nil || m.AllowedMentions.Parse == nil || len(m.AllowedMentions.Parse) != 0 {
			t.Error("allowed mentions not none")
		}
	}
	if e := embed("Title\n" + strings.Repeat("x", 5000)); utf8.RuneCountInString(e.Description) != maxEmbedDesc {
		t.Errorf("embed description %d characters", utf8.RuneCountInString(e.Description))
	}
}

func TestClassify(t *testing.T) {
	rl := &discordgo.RateLimitError{RateLimit: &discordgo.RateLimit{TooManyRequests: &discordgo.TooManyRequests{RetryAfter: 1500 * time.Millisecond}}}
	var re *chat.RetryError
	if err := classify("post", rl); !errors.As(err, &re) || re.After != 1500*time.Millisecond {
		t.Errorf("rate limit → %v", err)
	}
	rest := func(code int) error {
		return &discordgo.RESTError{Response: &http.Response{StatusCode: code, Header: http.Header{"Retry-After": {"2"}}}}
	}
	var pe *chat.PermanentError
	for _, code := range []int{400, 403, 404} {
		if err := classify("post", rest(code)); !errors.As(err, &pe) {
			t.Errorf("%d → %v, want permanent", code, err)
		}
	}
	for _, code := range []int{500, 502, 503, 401} {
		if err := classify("post", rest(code)); errors.As(err, &pe) || errors.As(err, &re) {
			t.Errorf("%d → %v, want a plain (backoff) error", code, err)
		}
	}
	if err := classify("post", rest(429)); !errors.As(err, &re) || re.After != 2*time.Second {
		t.Errorf("429 → %v", err)
	}
}

func TestCommandText(t *testing.T) {
	d := newDesk(t, deskOptions{})
	defer d.stop()
	cmds := d.core.Commands()
	sub := func(name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) discordgo.ApplicationCommandInteractionData {
		c, _ := chat.Named(cmds, name)
		return discordgo.ApplicationCommandInteractionData{Name: c.Slash, Options: []*discordgo.ApplicationCommandInteractionDataOption{
			{Name: name, Type: discordgo.ApplicationCommandOptionSubCommand, Options: opts}}}
	}
	num := func(n string, v float64) *discordgo.ApplicationCommandInteractionDataOption {
		return &discordgo.ApplicationCommandInteractionDataOption{Name: n, Type: discordgo.ApplicationCommandOptionInteger, Value: v}
	}
	str := func(n, v string) *discordgo.ApplicationCommandInteractionDataOption {
		return &discordgo.ApplicationCommandInteractionDataOption{Name: n, Type: discordgo.ApplicationCommandOptionString, Value: v}
	}
	for _, c := range []struct {
		d    discordgo.ApplicationCommandInteractionData
		want string
	}{
		{sub("status", num("ticket", 12)), "/status 12"},
		{sub("reply", num("ticket", 3), str("text", "try again")), "/reply 3 try again"},
		{sub("merge", num("ticket", 4), num("into", 2)), "/merge 4 into 2"},
		{sub("kbpublish", str("id", "ticket-3-vpn")), "/kbpublish ticket-3-vpn"},
		{sub("outbox"), "/outbox"},
		{sub("pending", num("ticket", 5)), "/pending 5"},
		{sub("new", str("problem", "my VPN is down")), "/new my VPN is down"},
		{sub("reopen", num("ticket", 7)), "/reopen 7"},
		{discordgo.ApplicationCommandInteractionData{Name: chat.SlashHelpdesk}, "/help"},
		{discordgo.ApplicationCommandInteractionData{Name: chat.SlashDesk}, "/help"},
	} {
		if _, got := commandText(cmds, c.d); got != c.want {
			t.Errorf("commandText = %q, want %q", got, c.want)
		}
	}
}

// The registered commands keep within Discord's documented limits, with
// room for more subcommands under each, and put required options first.
func TestCommandsFitDiscordLimits(t *testing.T) {
	d := newDesk(t, deskOptions{})
	defer d.stop()
	acs := Commands(d.core.Commands())
	if len(acs) != len(chat.Slashes()) {
		t.Fatalf("%d application commands, want one per slash command", len(acs))
	}
	for _, ac := range acs {
		// /desk holds 23 of the 25: the next agent commands need
		// subcommand groups (kb draft|edit|publish would free two).
		if n := len(ac.Options); n == 0 || n > maxSubcommands-2 {
			t.Errorf("/%s has %d subcommands; Discord allows %d and the desk needs room to grow", ac.Name, n, maxSubcommands)
		}
		for _, sc := range ac.Options {
			if len(sc.Description) == 0 || len(sc.Description) > maxDescription || len(sc.Name) > 32 || strings.ToLower(sc.Name) != sc.Name {
				t.Errorf("/%s %s: name or description outside Discord's limits (%q)", ac.Name, sc.Name, sc.Description)
			}
			optional := false
			for _, o := range sc.Options {
				if o.Required && optional {
					t.Errorf("/%s %s: required option %s after an optional one", ac.Name, sc.Name, o.Name)
				}
				optional = optional || !o.Required
				if len(o.Description) == 0 || len(o.Description) > maxDescription {
					t.Errorf("/%s %s %s: description %q", ac.Name, sc.Name, o.Name, o.Description)
				}
			}
		}
	}
}

func TestModalFitsDiscordLimits(t *testing.T) {
	d := newDesk(t, deskOptions{})
	defer d.stop()
	for _, action := range []string{chat.ActionReply, chat.ActionNote, chat.ActionPending, chat.ActionResolve, chat.ActionEscalate} {
		f, ok := d.core.FormFor(action)
		if !ok {
			t.Fatalf("no form for %s", action)
		}
		r := modal(f, "12")
		if utf8.RuneCountInString(r.Data.Title) > maxModalTitle || r.Data.CustomID != "modal:"+action+":12" {
			t.Errorf("%s: title %q id %q", action, r.Data.Title, r.Data.CustomID)
		}
		for _, row := range r.Data.Components {
			l := row.(label)
			if utf8.RuneCountInString(l.Label) > maxInputLabel || utf8.RuneCountInString(l.Description) > maxDescription || utf8.RuneCountInString(l.Input.Placeholder) > maxPlaceholder {
				t.Errorf("%s: label %q description %q placeholder %q", action, l.Label, l.Description, l.Input.Placeholder)
			}
		}
	}
}
