package slack

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/helpdesk-bot/helpdesk/adapters/slack/slackfake"
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
		joined.WriteString(s.Text.Text)
	}
	if strings.Count(joined.String(), "&amp;") != 450 {
		t.Errorf("lost text: %d ampersands", strings.Count(joined.String(), "&amp;"))
	}

	// Far past one message: the one message of an edit is cut, and says so.
	huge := strings.Repeat("x", 200000)
	bs = blocks(huge, []tickets.Button{{Label: "OK", Action: "claim"}})
	if n := blockText(bs); n > maxBlockText {
		t.Errorf("%d characters of block text", n)
	}
	last := bs[len(bs)-2].(*slack.SectionBlock)
	if !strings.Contains(last.Text.Text, "message shortened") {
		t.Error("truncation not marked")
	}
}

// blockText is the text a message's blocks carry, as Slack counts it
// against msg_blocks_too_long.
func blockText(bs []slack.Block) int {
	n := 0
	for _, b := range bs {
		switch b := b.(type) {
		case *slack.SectionBlock:
			n += utf8.RuneCountInString(b.Text.Text)
		case *slack.ActionBlock:
			for _, e := range b.Elements.ElementSet {
				n += utf8.RuneCountInString(e.(*slack.ButtonBlockElement).Text.Text)
			}
		}
	}
	return n
}

// entity matches what may follow an & in escaped text.
var entity = regexp.MustCompile(`&(amp|lt|gt);`)

// TestPagesUnderSlackLimits: replies of every size, markup-heavy or not,
// become messages Slack takes (under its ~12,000 characters of block
// text, sections of 3,000, 50 blocks), the buttons on the last, no entity
// split, and nothing lost below maxPages.
func TestPagesUnderSlackLimits(t *testing.T) {
	var queue strings.Builder
	for n := 1; n <= 60; n++ {
		fmt.Fprintf(&queue, "#%d P3 incident — alice <alice@example.com>: VPN & Wi-Fi drop \"<none>\" since Monday's update (open, unassigned, SLA at risk)\n", n)
	}
	buttons := []tickets.Button{{Label: "Claim & go", Action: "claim", Value: "1"}, {Label: "Close <now>", Action: "close", Value: "1"}}
	cases := map[string]string{
		"short":            "Ticket #1 is open & waiting <soon>.",
		"queue of 60":      queue.String(),
		"only ampersands":  strings.Repeat("&", 20000),
		"markup, no break": strings.Repeat("<&>", 9000),
		"long show":        strings.Repeat("2026-11-30 09:00 alice: it says \"<error & more>\" again\n", 2600),
		"one huge word":    strings.Repeat("é", 40000),
	}
	for name, text := range cases {
		ps := pages(text, buttons, maxBlockText, maxPages)
		var got strings.Builder
		for n, p := range ps {
			if bt := blockText(p.blocks); bt > maxBlockText || len(p.blocks) > maxBlocks {
				t.Errorf("%s: page %d has %d characters in %d blocks", name, n, bt, len(p.blocks))
			}
			if utf8.RuneCountInString(p.text) > maxFallbackText || strings.Count(p.text, "&") != len(entity.FindAllString(p.text, -1)) {
				t.Errorf("%s: page %d fallback too long or with a split entity", name, n)
			}
			for _, b := range p.blocks {
				switch b := b.(type) {
				case *slack.SectionBlock:
					tx := b.Text.Text
					if utf8.RuneCountInString(tx) > maxSectionText || strings.Count(tx, "&") != len(entity.FindAllString(tx, -1)) {
						t.Errorf("%s: page %d section of %d chars or with a split entity", name, n, utf8.RuneCountInString(tx))
					}
					got.WriteString(plain(tx))
				case *slack.ActionBlock:
					if n != len(ps)-1 {
						t.Errorf("%s: buttons on page %d of %d", name, n, len(ps))
					}
				}
			}
		}
		if _, ok := ps[len(ps)-1].blocks[len(ps[len(ps)-1].blocks)-1].(*slack.ActionBlock); !ok {
			t.Errorf("%s: no buttons on the last page", name)
		}
		squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
		if len(ps) < maxPages && squash(got.String()) != squash(text) {
			t.Errorf("%s: %d pages lost text (%d of %d characters)", name, len(ps), len(squash(got.String())), len(squash(text)))
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
	for _, code := range []string{"channel_not_found", "not_in_channel", "invalid_blocks", "msg_too_long", "message_not_found", "msg_blocks_too_long"} {
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

// TestBlocksTooLongShortenedOnceThenPermanent: Slack's undocumented
// msg_blocks_too_long gets one retry with half the block text (more,
// shorter pages), and when that is refused too, the delivery is
// permanent rather than retried until given up.
func TestBlocksTooLongShortenedOnceThenPermanent(t *testing.T) {
	r := newRig(t, rigOptions{socket: true})
	text := strings.Repeat("A line of the ticket's history & its <details>.\n", 400) // ~24,000 escaped
	d := chat.Delivery{Msg: &tickets.OutboxMessage{Key: "k1", To: tickets.Place{Platform: Platform, ChannelID: triageChannel}, Text: text}}
	full := len(pages(text, nil, maxBlockText, maxPages))
	r.fake.Fail("chat.postMessage", 1, slackfake.Fault{Error: "msg_blocks_too_long"})
	before := r.fake.callCount("chat.postMessage", "")
	if _, err := r.ad.Send(context.Background(), d); err != nil {
		t.Fatalf("after one refusal: %v", err)
	}
	half := len(pages(text, nil, maxBlockText/2, maxPages))
	if got := r.fake.callCount("chat.postMessage", "") - before; got != 1+half || half <= full {
		t.Errorf("%d posts, want the refused one and %d half-size pages (full size: %d)", got, half, full)
	}
	r.fake.Fail("chat.postMessage", 2, slackfake.Fault{Error: "msg_blocks_too_long"})
	_, err := r.ad.Send(context.Background(), d)
	var perm *chat.PermanentError
	if !errors.As(err, &perm) {
		t.Errorf("refused twice: %v, want a permanent error", err)
	}
}
