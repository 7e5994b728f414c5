// Package bot is the desk: it turns chat messages and button presses
// (bot/chat) into intake conversations, tickets and agent work, and
// returns the replies for the adapter to render. Its files follow one
// message: commands.go (the command table) or intake*.go (reports, with
// the text read by bot/extract), ticket.go (ticket writes), notify.go (who
// hears of a change, through the outbox that bot/outbox delivers), then
// the agent's side (agent.go, escalate.go, merge.go, major.go, views.go),
// the desk's own clock (timers.go, jobs.go and one file per scheduled job)
// and KB authoring (kbdraft.go). State lives in the store (tickets), never
// in memory, so a restart or another replica continues any conversation.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/bot/extract"
	"github.com/helpdesk-bot/helpdesk/kb"
	"github.com/helpdesk-bot/helpdesk/prompts"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Searcher finds KB articles for a problem description.
type Searcher interface {
	// Offer searches for a report and weighs its best k results: what to
	// offer, how sure search is, whether the report is too vague.
	Offer(query string, k int) kb.Offer
	Article(id string) (*kb.Article, bool)
}

// Options are the collaborators a Bot needs besides its store and config.
type Options struct {
	Now    func() time.Time
	Logger *slog.Logger
	// Notify, when set, is called after a change enqueued outbox messages,
	// so a dispatcher can deliver them without waiting for its next poll.
	Notify func()
	// Reload, when set, reads the configuration again for an admin's
	// /reload; the new one applies to every message from then on.
	Reload func() (Config, error)
	// Articles, when set, keeps the articles drafted from tickets for
	// /kbdraft, /kbedit and /kbpublish, and counts article use. When the
	// Searcher is also a Publisher (kb.Live), published articles join
	// search at once.
	Articles ArticleStore
	// Reranker, Extractor and Drafter, when set, let a language model
	// re-rank KB offers, fill missed intake fields and draft articles;
	// nil means offline only. See llm.go.
	Reranker  Reranker
	Extractor Extractor
	Drafter   Drafter
	// LLMBudget bounds each model call a person waits for (default 2s);
	// RerankDepth is how many candidates the Reranker sees (default 10).
	LLMBudget   time.Duration
	RerankDepth int
}

// conf is the configuration in force. Take it once per use: /reload may
// swap it at any time.
func (b *Bot) conf() *Config { return b.cfg.Load() }

// Bot is the help desk core. It keeps no conversation state in memory:
// everything lives in the Store, so a restart or another replica continues.
type Bot struct {
	store  tickets.Store
	kb     Searcher
	cfg    atomic.Pointer[Config] // swapped whole by /reload
	reload func() (Config, error)
	// articles keeps drafted and published KB articles; nil when not set up.
	articles ArticleStore
	stats    Stats
	msgs     *prompts.Messages
	zoned    atomic.Pointer[zonedMessages] // msgs on the desk's clock
	now      func() time.Time
	log      *slog.Logger
	notify   func()
	llm      llm // optional model collaborators
	forms    map[string]chat.Form
	cmds     []command      // the command table
	mention  *regexp.Regexp // a command named in text, for localize
}

// New builds a Bot.
func New(store tickets.Store, searcher Searcher, cfg Config, opts Options) (*Bot, error) {
	cfg.setDefaults()
	msgs, err := prompts.Load()
	if err != nil {
		return nil, err
	}
	b := &Bot{store: store, kb: searcher, msgs: msgs, now: opts.Now, log: opts.Logger, notify: opts.Notify, reload: opts.Reload, articles: opts.Articles, llm: newLLM(opts), forms: forms(), cmds: commandTable()}
	b.mention = mentionOf(b.cmds)
	b.cfg.Store(&cfg)
	if b.now == nil {
		b.now = time.Now
	}
	if b.log == nil {
		b.log = slog.New(slog.DiscardHandler)
	}
	if b.notify == nil {
		b.notify = func() {}
	}
	return b, nil
}

// Handle answers one inbound message. It always returns something to say:
// internal failures are logged with detail and the person gets a plain
// sentence.
func (b *Bot) Handle(ctx context.Context, m chat.Message) []chat.Reply {
	b.stats.Messages.Add(1)
	start := time.Now() // the real clock: this times the work, not the desk's day
	rs := b.localizeReplies(m.Platform, b.handle(ctx, m))
	b.stats.Handling.Observe(time.Since(start))
	b.stats.Replies.Add(int64(len(rs)))
	return rs
}

func (b *Bot) handle(ctx context.Context, m chat.Message) []chat.Reply {
	text, problem := b.sanitize(m.Text)
	if problem != "" {
		return []chat.Reply{{Text: problem}}
	}
	masked, kinds := extract.MaskSecrets(text)
	m.Text = masked
	b.log.Debug("message", "platform", m.Platform, "user", m.User.Key(), "text", m.Text)

	var replies []chat.Reply
	var err error
	if in, ok := parseCommand(m.Text); ok {
		replies, err = b.command(ctx, m, in, nil)
	} else {
		replies, err = b.intake(ctx, m, len(kinds) > 0)
	}
	if err != nil {
		replies = b.fail(ctx, "handle message", err)
	}
	if len(kinds) > 0 && replies != nil {
		warn := chat.Reply{Text: b.secretWarning(m.User, kinds)}
		replies = append([]chat.Reply{warn}, replies...)
	}
	return replies
}

// secretWarning tells p that the secrets of kinds in their text were
// masked. Employees are told to change the password and that IT never
// asks for one; agents, who are IT, that it was kept out of the ticket
// and should be rotated if it was real.
func (b *Bot) secretWarning(p tickets.Person, kinds []string) string {
	name := "secret_warning"
	if b.IsAgent(p) {
		name = "secret_warning_agent"
	}
	return b.render(name, map[string]any{"Kinds": kinds})
}

// HandleAction answers a button press or form submission.
func (b *Bot) HandleAction(ctx context.Context, a chat.Action) []chat.Reply {
	b.stats.Actions.Add(1)
	start := time.Now()
	rs := b.localizeReplies(a.Platform, b.handleAction(ctx, a))
	b.stats.Handling.Observe(time.Since(start))
	b.stats.Replies.Add(int64(len(rs)))
	return rs
}

func (b *Bot) handleAction(ctx context.Context, a chat.Action) []chat.Reply {
	a, kinds, problem := b.cleanAction(a)
	if problem != "" {
		return []chat.Reply{{Text: problem, Ephemeral: true}}
	}
	replies := b.runAction(ctx, a)
	if len(kinds) > 0 && replies != nil {
		warn := chat.Reply{Text: b.secretWarning(a.User, kinds), Ephemeral: true}
		replies = append([]chat.Reply{warn}, replies...)
	}
	return replies
}

// cleanAction makes a button's value and a form's fields what a message's
// text is made before anything reads them: bounded, clean (see clean) and
// with secrets masked. They come from the platform as the person's client
// sent them, so they are text entering the desk like any message. kinds
// lists the secrets masked; problem says why the action cannot be used.
func (b *Bot) cleanAction(a chat.Action) (_ chat.Action, kinds []string, problem string) {
	limit := b.conf().MaxMessageBytes
	mask := func(s string) string {
		s, k := extract.MaskSecrets(clean(s))
		for _, kind := range k {
			if !slices.Contains(kinds, kind) {
				kinds = append(kinds, kind)
			}
		}
		return s
	}
	if len(a.Value) > limit {
		return a, nil, fmt.Sprintf("That button carried %d bytes; the limit is %d. Use the buttons on the desk's own messages, or type the command.", len(a.Value), limit)
	}
	a.Value = mask(a.Value)
	if a.Fields != nil {
		fields := make(map[string]string, len(a.Fields))
		for k, v := range a.Fields {
			if len(v) > limit {
				return a, nil, fmt.Sprintf("The %q field is too long for me (%d bytes; the limit is %d). Shorten it and submit the form again.", k, len(v), limit)
			}
			fields[k] = mask(v)
		}
		a.Fields = fields
	}
	return a, kinds, ""
}

// runAction runs a cleaned action.
func (b *Bot) runAction(ctx context.Context, a chat.Action) []chat.Reply {
	m := a.Message()
	var replies []chat.Reply
	var err error
	switch a.Name {
	case chat.ActionKBFixed, chat.ActionKBNotFixed:
		// The buttons answer an offer only while it is the question: a
		// second press, a stale client after a restart, or someone else
		// in a help-channel thread must not answer intake's next question.
		// Checked here to spare the work, and again in the write
		// transaction (kbButton), where two presses at once on two
		// replicas cannot both pass. A press handled again after a
		// crash skips it: its first attempt may have answered the offer,
		// and update answers it again with what that attempt said.
		if !chat.Again(ctx) && !b.awaitingKBAnswer(ctx, m) {
			return []chat.Reply{{Text: alreadyAnswered, Ephemeral: true}}
		}
		m.Text = "no"
		if a.Name == chat.ActionKBFixed {
			m.Text = "yes " + a.Value
		}
		replies, err = b.intakeTurn(ctx, &turn{msg: m, ex: extract.Extract(m.Text, b.deskNow()), kbButton: true})
	case chat.ActionStillFixed, chat.ActionNotFixed, chat.ActionRate:
		replies, err = b.followUp(ctx, m, a)
	case chat.ActionEscalate:
		if a.Fields == nil {
			return b.fail(ctx, "handle action", tickets.Errorf(tickets.EINVALID, "Escalating needs the handoff form; use the Escalate button again or type %s.", b.cmd(chat.ActionEscalate).usage()))
		}
		replies, err = b.command(ctx, m, invocation{Name: chat.ActionEscalate, Args: a.Value}, a.Fields)
	case chat.ActionClaim, chat.ActionReply, chat.ActionNote, chat.ActionPending, chat.ActionResolve, chat.ActionReopen, chat.ActionMajor:
		if strings.TrimSpace(a.Value) == "" {
			// The ticket comes from the button, never from typed text.
			return b.fail(ctx, "handle action", tickets.Errorf(tickets.EINVALID, "That button names no ticket. Use the buttons on a ticket's card, or type the command with its number, like /%s 12.", a.Name))
		}
		var args string
		if args, err = formArgs(a); err == nil {
			replies, err = b.command(ctx, m, invocation{Name: a.Name, Args: args}, nil)
		}
	default:
		return []chat.Reply{{Text: fmt.Sprintf("That button (%q) is not one I know. It may be from an older version of the bot; type /help to see what I can do.", a.Name), Ephemeral: true}}
	}
	if err != nil {
		return b.fail(ctx, "handle action", err)
	}
	return replies
}

// fail turns an error into a reply: domain errors say what is wrong, others
// are logged and get a generic apology.
func (b *Bot) fail(ctx context.Context, op string, err error) []chat.Reply {
	if tickets.ErrorCode(err) == tickets.EINTERNAL {
		b.stats.Failures.Add(1)
		b.log.ErrorContext(ctx, op, "err", err)
	} else {
		b.log.DebugContext(ctx, op, "err", err)
	}
	// What went wrong is the sender's business only: where the platform
	// can, the others in the channel do not see it.
	return []chat.Reply{{Text: tickets.ErrorMessage(err), Ephemeral: true}}
}

// sanitize makes inbound text safe to store and parse (see clean). It
// returns a problem sentence instead when the message cannot be used. The
// size is checked first, before anything else reads the text.
func (b *Bot) sanitize(s string) (string, string) {
	if len(s) > b.conf().MaxMessageBytes {
		if _, ok := parseCommand(strings.TrimSpace(s[:min(len(s), 64)])); ok {
			// An agent's long /reply or /note: the advice for a report
			// would be addressed to the wrong person.
			return "", fmt.Sprintf("That command is too long for me (%d bytes; the limit is %d). Shorten it, or split a long text into several commands; put long logs in a file and link it.", len(s), b.conf().MaxMessageBytes)
		}
		return "", fmt.Sprintf("That message is too long for me (%d bytes; the limit is %d). Please describe the problem in a few sentences — an agent can ask for logs or screenshots on the ticket.", len(s), b.conf().MaxMessageBytes)
	}
	s = clean(s)
	if s == "" || strings.Trim(s, "\uFFFD \n\t") == "" {
		return "", "I didn't get any text there. Describe your problem in a sentence or two, or type /help to see what I can do."
	}
	return s, ""
}

// clean makes text safe to store and show (see unseen), trimmed.
func clean(s string) string { return strings.TrimSpace(unseen(s)) }

// unseen drops what a reader does not see but a program would: invalid
// UTF-8, terminal escapes, control characters but newlines and tabs, and
// invisible format characters (zero-width spaces and joiners, soft
// hyphens, direction overrides that make a card read backwards; see
// extract.StripInvisible).
func unseen(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = ansiEscape.ReplaceAllString(s, "")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	return extract.StripInvisible(s)
}

// ansiEscape matches terminal colour and cursor sequences pasted from a
// console, which would otherwise leave fragments like "[31m" behind.
var ansiEscape = regexp.MustCompile(`\x1b\[[0-9;?]*[ -/]*[@-~]`)

// render executes a message template; a broken template is a programming
// error, so it is logged and the name is shown rather than nothing.
func (b *Bot) render(name string, data any) string {
	s, err := b.messages().Render(name, data)
	if err != nil {
		b.log.Error("render message", "template", name, "err", err)
		return "(message " + name + " could not be shown; please tell the IT team)"
	}
	return s
}

// zonedMessages are the message templates showing times in loc.
type zonedMessages struct {
	loc  *time.Location
	msgs *prompts.Messages
}

// messages are the templates showing times on the desk's clock, made
// again when a reload changes the time zone.
func (b *Bot) messages() *prompts.Messages {
	loc := b.loc()
	if z := b.zoned.Load(); z != nil && z.loc == loc {
		return z.msgs
	}
	m, err := b.msgs.In(loc)
	if err != nil {
		b.log.Error("message templates in the desk's time zone", "err", err)
		return b.msgs
	}
	b.zoned.Store(&zonedMessages{loc: loc, msgs: m})
	return m
}

// errDuplicate marks an inbound event that was already handled.
var errDuplicate = errors.New("duplicate event")

// update runs fn in one transaction together with the record of the inbound
// event, so a redelivered event is handled exactly once: if the change
// fails, the event is not marked seen and a redelivery can try again.
// fn's replies are kept with the record (keepReplies): an event handled
// again because the last attempt never finished (chat.Again: a crash
// after the commit, before the answer was posted) gets the same answer,
// where any other duplicate gets none.
func (b *Bot) update(ctx context.Context, m chat.Message, fn func(tx tickets.Tx) ([]chat.Reply, error)) ([]chat.Reply, error) {
	var replies []chat.Reply
	id := m.Platform + ":" + m.EventID
	err := b.store.InTx(ctx, func(tx tickets.Tx) error {
		if m.EventID != "" {
			first, err := tx.SeenEvent(ctx, id, b.now())
			if err != nil {
				return err
			} else if !first {
				if chat.Again(ctx) {
					if replies, err = keptReplies(ctx, tx, id); err != nil {
						return err
					}
				}
				return errDuplicate
			}
		}
		var err error
		if replies, err = fn(tx); err != nil {
			return err
		}
		if m.EventID != "" {
			return keepReplies(ctx, tx, id, replies)
		}
		return nil
	})
	if errors.Is(err, errDuplicate) {
		b.log.Info("duplicate event ignored", "platform", m.Platform, "event", m.EventID, "answered_again", len(replies))
		return replies, nil
	}
	if err == nil {
		// Wake the dispatcher only now: before the commit it would find
		// nothing of what fn queued.
		b.notify()
	}
	return replies, err
}

// isNotFound reports whether err is the domain's not-found error.
func isNotFound(err error) bool {
	var e *tickets.Error
	return errors.As(err, &e) && e.Code == tickets.ENOTFOUND
}
