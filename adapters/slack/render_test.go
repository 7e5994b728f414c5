package slack

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

func TestEscape(t *testing.T) {
	got := escape("a & b <!channel> <@U1> > c")
	if got != "a &amp; b &lt;!channel&gt; &lt;@U1&gt; &gt; c" {
		t.Errorf("escape = %q", got)
	}
}

func TestPlain(t *testing.T) {
	for in, want := range map[string]string{
		"<@U123> hi":                      "@U123 hi",
		"see <#C1|general>":               "see #general",
		"<!here> printer":                 "@here printer",
		"<https://x.example/a|the page>":  "the page (https://x.example/a)",
		"<https://x.example/a>":           "https://x.example/a",
		"a &amp; b &lt;!channel&gt;":      "a & b <!channel>",
		"<!subteam^S1|@desk> help":        "@desk help",
		"plain text, nothing to see here": "plain text, nothing to see here",
	} {
		if got := plain(in); got != want {
			t.Errorf("plain(%q) = %q, want %q", in, got, want)
		}
	}
	if got := leadingMention.ReplaceAllString("<@UBOT>: my vpn", ""); got != "my vpn" {
		t.Errorf("mention strip = %q", got)
	}
}

func TestLongTextSplitIntoSections(t *testing.T) {
	para := strings.Repeat("word & more ", 150) // 1800 chars, 2400 escaped
	text := para + "\n\n" + para + "\n\n" + para
	bs := blocks(text, []tickets.Button{{Label: "Claim", Action: "claim", Value: "1"}})
	if len(bs) != 4 {
		t.Fatalf("%d blocks, want 3 sections and the buttons", len(bs))
	}
	var joined strings.Builder
	for _, b := range bs[:3] {
		s := b.(*slack.SectionBlock)
		if n := utf8.RuneCountInString(s.Text.Text); n > maxSectionText {
			t.Errorf("section of %d chars", n)
		}
		if strings.HasSuffix(s.Text.Text, "&") || strings.HasSuffix(s.Text.Text, "&am") {
			t.Errorf("entity cut: %q", s.Text.Text[len(s.Text.Text)-10:])
		}
		joined.WriteString(s.Text.Text)
	}
	if strings.Count(joined.String(), "&amp;") != 450 {
		t.Errorf("lost text: %d ampersands", strings.Count(joined.String(), "&amp;"))
	}

	// Far past Slack's 50 blocks: cut, and said so.
	huge := strings.Repeat("x", 200000)
	bs = blocks(huge, []tickets.Button{{Label: "OK", Action: "claim"}})
	if len(bs) != maxBlocks {
		t.Errorf("%d blocks", len(bs))
	}
	last := bs[len(bs)-2].(*slack.SectionBlock)
	if !strings.Contains(last.Text.Text, "message shortened") {
		t.Error("truncation not marked")
	}
	// Unbroken text is split hard, never inside an entity.
	for _, c := range chunks(strings.Repeat("&amp;", 1000), 3000) {
		if !strings.HasSuffix(c, ";") {
			t.Errorf("chunk ends %q", c[len(c)-5:])
		}
	}
}

func TestButtonsUniqueActionIDs(t *testing.T) {
	bs := blocks("pick", []tickets.Button{{Label: "This fixed it", Action: "kb_fixed", Value: "a"}, {Label: "This fixed it", Action: "kb_fixed", Value: "b"}})
	act := bs[len(bs)-1].(*slack.ActionBlock)
	ids := map[string]bool{}
	for _, e := range act.Elements.ElementSet {
		b := e.(*slack.ButtonBlockElement)
		if ids[b.ActionID] {
			t.Errorf("duplicate action_id %s", b.ActionID)
		}
		ids[b.ActionID] = true
		if actionName(b.ActionID) != "kb_fixed" {
			t.Errorf("action %s", b.ActionID)
		}
	}
}

func TestClassify(t *testing.T) {
	var retry *chat.RetryError
	if err := classify("x", &slack.RateLimitedError{RetryAfter: 7e9}); !errors.As(err, &retry) || retry.After != 7e9 {
		t.Errorf("429 → %v", err)
	}
	if err := classify("x", &slack.RateLimitedError{}); !errors.As(err, &retry) || retry.After != minRetryAfter {
		t.Errorf("429 without a wait → %v", err)
	}
	var perm *chat.PermanentError
	for _, code := range []string{"channel_not_found", "not_in_channel", "invalid_blocks", "msg_too_long", "message_not_found"} {
		if err := classify("x", slack.SlackErrorResponse{Err: code}); !errors.As(err, &perm) {
			t.Errorf("%s → %v, want permanent", code, err)
		}
	}
	for _, err := range []error{slack.StatusCodeError{Code: 500, Status: "500"}, slack.SlackErrorResponse{Err: "internal_error"},
		slack.SlackErrorResponse{Err: "invalid_auth"}, errors.New("connection refused")} {
		got := classify("x", err)
		if errors.As(got, &perm) || errors.As(got, &retry) {
			t.Errorf("%v → %v, want a plain retry", err, got)
		}
	}
}
