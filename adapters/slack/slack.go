// Package slack connects the help desk to a Slack workspace through
// github.com/slack-go/slack: Socket Mode (the default, no public URL) or the
// HTTP Events API, the /helpdesk slash command, Block Kit buttons and
// modals. It turns Slack events into chat.Message and chat.Action values for
// the core, renders the core's replies as Block Kit messages, and delivers
// outbox messages as a chat.Sender.
//
// Every Socket Mode envelope and HTTP request is acknowledged before any
// work starts; the work runs on the core's bounded worker pool.
package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Platform is the platform name of Slack messages, people and outbox entries.
const Platform = "slack"

// core is what the adapter needs from the bot.
type core interface {
	Handle(ctx context.Context, m chat.Message) []chat.Reply
	HandleAction(ctx context.Context, a chat.Action) []chat.Reply
	// FormFor tells a button that opens a form from one that acts at
	// once, and gives the form a submission is read against.
	FormFor(action string) (chat.Form, bool)
	// Form is the modal a button opens, prefilled with what the desk
	// knows (the escalation handoff note).
	Form(ctx context.Context, user tickets.Person, action, value string) (chat.Form, error)
	// CheckForm says what is wrong with a submission, per field.
	CheckForm(f chat.Form, values map[string]string) map[string]string
	// InConversation says whether a person has a report or an open ticket
	// in a thread the adapter does not otherwise follow.
	InConversation(ctx context.Context, place tickets.Place, user tickets.Person) bool
	// AwaitingKBAnswer says whether a KB button press answers the
	// person's open offer (only then are its buttons taken away).
	AwaitingKBAnswer(ctx context.Context, place tickets.Place, user tickets.Person) bool
}

// queue takes direct replies Slack rate-limited, for the outbox.
type queue interface {
	Enqueue(ctx context.Context, m *tickets.OutboxMessage) (added bool, err error)
}

// pool runs inbound work on the bot's bounded workers, each job under the
// per-message timeout. Submit blocks while every worker is busy.
type pool interface {
	Submit(ctx context.Context, fn func(ctx context.Context)) error
}

// api is the part of the Slack Web API the adapter uses; *webAPI (the real
// slack-go client) implements it, and tests may drive the adapter with
// their own.
type api interface {
	AuthTestContext(ctx context.Context) (*slack.AuthTestResponse, error)
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
	PostEphemeralContext(ctx context.Context, channelID, userID string, options ...slack.MsgOption) (string, error)
	UpdateMessageContext(ctx context.Context, channelID, timestamp string, options ...slack.MsgOption) (string, string, string, error)
	OpenConversationContext(ctx context.Context, params *slack.OpenConversationParameters) (*slack.Channel, bool, bool, error)
	GetUserInfoContext(ctx context.Context, user string, options ...slack.GetUserInfoOption) (*slack.User, error)
	GetUserGroupMembersContext(ctx context.Context, userGroup string, options ...slack.GetUserGroupMembersOption) ([]string, error)
	OpenViewContext(ctx context.Context, triggerID string, view slack.ModalViewRequest) (*slack.ViewResponse, error)
	// PostResponse answers a slash command or interaction through its
	// response_url.
	PostResponse(ctx context.Context, url string, msg *slack.WebhookMessage) error
}

// webAPI is the slack-go client with response_url posting added.
type webAPI struct {
	*slack.Client
	http *http.Client
}

// PostResponse posts msg to a response_url.
func (w webAPI) PostResponse(ctx context.Context, url string, msg *slack.WebhookMessage) error {
	return slack.PostWebhookCustomHTTPContext(ctx, url, w.http, msg)
}

// Options configure an Adapter.
type Options struct {
	// BotToken is the bot user OAuth token (xoxb-…).
	BotToken string
	// AppToken is the app-level token (xapp-…) with connections:write,
	// needed for Socket Mode.
	AppToken string
	// SocketMode connects through Socket Mode; otherwise events arrive on
	// the HTTP routes, checked with SigningSecret.
	SocketMode    bool
	SigningSecret string
	// APIURL points the Web API elsewhere, with a trailing slash. It exists
	// for tests against a fake Slack; "" means Slack itself.
	APIURL string
	// HTTPClient makes Web API and response_url calls; nil means a client
	// with a 30 s timeout.
	HTTPClient *http.Client

	Core core
	Pool pool
	// Inbox records inbound events before they are acknowledged and runs
	// them on the pool later; nil submits them to the pool directly.
	Inbox inbox
	// Outbox takes direct replies Slack rate-limits, to deliver after
	// Retry-After; OutboxWake tells the dispatcher. nil waits on the
	// worker instead.
	Outbox     queue
	OutboxWake func()
	// IsAgent tells whether a person is a help desk agent, so a form
	// button pressed by anyone else is refused before its modal opens.
	// The core still checks every action; nil lets everyone see forms.
	IsAgent func(p tickets.Person) bool
	// HelpChannels are channel IDs where every new post is a report.
	HelpChannels []string
	// AgentGroups are the Slack user group IDs (S…) that make their
	// members agents; their membership is looked up and cached.
	AgentGroups []string
	// DirectoryTTL is how long user profiles and group memberships are
	// cached; 0 means 10 minutes.
	DirectoryTTL time.Duration
	// PingInterval is how long Socket Mode waits for Slack's ping before
	// reconnecting; 0 means slack-go's default (30 s).
	PingInterval time.Duration
	// HealthInterval is how often auth.test checks the bot token while
	// all is well, for Health; 0 means a minute.
	HealthInterval time.Duration
	// Rates pace the posting calls by class (DefaultRates when nil; an
	// empty map paces nothing). Sends is how many posting calls may be in
	// flight at once (64 when 0).
	Rates map[string]chat.Rate
	Sends int
	// SocketAcks times each Socket Mode acknowledgement, from reading the
	// envelope off slack-go's event channel to handing the ack to its
	// socket writer, for /metrics; nil times nothing. A backlog waiting in
	// the connection or in slack-go's queue is before the clock starts.
	// (HTTP acks are the routes' answers, timed by whoever serves them.)
	SocketAcks *chat.Latency

	Logger *slog.Logger
	Now    func() time.Time
}

// Adapter is the Slack side of the help desk. It is a chat.Sender.
type Adapter struct {
	api    api
	socket *socketmode.Client // nil in HTTP mode
	core   core
	pool   pool
	inbox  inbox
	queue  queue
	// wakeOutbox tells the dispatcher a reply was queued.
	wakeOutbox func()
	isAgent    func(tickets.Person) bool
	help       map[string]bool
	secret     string
	dir        *directory
	seen       *recent // inbound event IDs, so Slack's retries do no work twice
	threads    *recent // "channel:ts" threads a mention started outside help channels
	// offers are the "channel:ts" KB offers already answered by a button,
	// so a second press (a double click, a stale client) is not taken as
	// another answer to whatever the intake asks next.
	offers *recent
	log    *slog.Logger
	now    func() time.Time
	// socketAcks times Socket Mode acknowledgements; nil counts nothing.
	socketAcks *chat.Latency
	// taking records and acknowledges Socket Mode requests in the
	// background, in order per lane.
	taking *lanes
	// sleep waits d or until ctx ends; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error

	// authEvery is how often auth.test checks the token (whoAmI); 0 is
	// defaultAuthEvery.
	authEvery time.Duration

	// calls is what the last Web API calls said of the token and of
	// Slack (noteAPI).
	calls chat.CallHealth
	// replies posts the core's answers in the background (replies.go).
	replies *chat.SendQueue

	mu     sync.Mutex
	health error  // nil while connected (Socket Mode)
	self   string // the bot's own user ID, from auth.test
}

// New builds an Adapter from opts.
func New(opts Options) (*Adapter, error) {
	if !strings.HasPrefix(opts.BotToken, "xoxb-") {
		return nil, errors.New("slack: the bot token must start with xoxb-")
	}
	if opts.SocketMode && !strings.HasPrefix(opts.AppToken, "xapp-") {
		return nil, errors.New("slack: socket mode needs an app-level token starting with xapp-")
	}
	if !opts.SocketMode && opts.SigningSecret == "" {
		return nil, errors.New("slack: HTTP mode needs the signing secret")
	}
	hc := opts.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	sopts := []slack.Option{slack.OptionHTTPClient(hc)}
	if opts.APIURL != "" {
		sopts = append(sopts, slack.OptionAPIURL(opts.APIURL))
	}
	if opts.AppToken != "" {
		sopts = append(sopts, slack.OptionAppLevelToken(opts.AppToken))
	}
	client := slack.New(opts.BotToken, sopts...)
	a := newAdapter(webAPI{Client: client, http: hc}, opts)
	a.calls.Set(errNotChecked)
	a.authEvery = opts.HealthInterval
	if opts.SocketMode {
		var smOpts []socketmode.Option
		if opts.PingInterval > 0 {
			smOpts = append(smOpts, socketmode.OptionPingInterval(opts.PingInterval))
		}
		a.socket = socketmode.New(client, smOpts...)
		a.health = errors.New("slack: socket mode not connected yet")
	}
	return a, nil
}

// newAdapter builds an Adapter on any api, without a Socket Mode client.
func newAdapter(c api, opts Options) *Adapter {
	rates := opts.Rates
	if rates == nil {
		rates = DefaultRates()
	}
	if opts.Sends <= 0 {
		opts.Sends = defaultSends
	}
	a := &Adapter{
		api:     pacedAPI{api: c, pace: chat.NewPacer(rates, nil, nil), calls: make(chan struct{}, opts.Sends)},
		core:    opts.Core,
		replies: chat.NewSendQueue(replyTimeout), pool: opts.Pool, isAgent: opts.IsAgent,
		inbox: opts.Inbox, queue: opts.Outbox, wakeOutbox: opts.OutboxWake,
		help: map[string]bool{}, secret: opts.SigningSecret,
		seen: newRecent(4096), threads: newRecent(4096), offers: newRecent(4096), taking: newLanes(),
		log: opts.Logger, now: opts.Now, sleep: sleepCtx, socketAcks: opts.SocketAcks,
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.now == nil {
		a.now = time.Now
	}
	for _, ch := range opts.HelpChannels {
		a.help[ch] = true
	}
	ttl := opts.DirectoryTTL
	if ttl <= 0 {
		ttl = 10 * time.Minute
	}
	a.dir = newDirectory(c, opts.AgentGroups, ttl, a.now, a.log)
	if a.inbox != nil {
		a.handleInbox(a.inbox)
	}
	return a
}

// Health is nil while the adapter can reach Slack with its tokens, else
// what is wrong: the Socket Mode connection, or the last Web API result
// (auth.test every HealthInterval, and every delivery).
func (a *Adapter) Health() error {
	a.mu.Lock()
	health := a.health
	a.mu.Unlock()
	if health != nil {
		return health
	}
	return a.calls.Err()
}

func (a *Adapter) setHealth(err error) {
	a.mu.Lock()
	a.health = err
	a.mu.Unlock()
}

func (a *Adapter) selfID() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.self
}

// submit runs fn on the worker pool; the event was acknowledged already.
func (a *Adapter) submit(ctx context.Context, what string, fn func(ctx context.Context)) {
	if err := a.pool.Submit(ctx, fn); err != nil {
		a.log.Warn("slack: work dropped", "what", what, "err", err)
	}
}

// firstTime reports whether the inbound event id was not seen recently, so
// Slack's redeliveries cost no work; the core's store dedupes across
// restarts.
func (a *Adapter) firstTime(id string) bool {
	if id == "" {
		return true
	}
	if !a.seen.add(id) {
		a.log.Info("slack: duplicate delivery ignored", "event", id)
		return false
	}
	return true
}

// sleepCtx waits d or until ctx ends (chat.Sleep, with the adapter's
// prefix on the error).
func sleepCtx(ctx context.Context, d time.Duration) error {
	if err := chat.Sleep(ctx, d); err != nil {
		return fmt.Errorf("slack: wait: %w", err)
	}
	return nil
}
