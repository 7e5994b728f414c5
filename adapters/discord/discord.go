// Package discord runs the help desk inside a Discord server: a gateway
// session on bwmarrin/discordgo for direct messages, mentions and help
// channels; the /helpdesk application command; buttons and modals as
// message components; triage cards as embeds; and an optional HTTP
// interactions endpoint verified with Ed25519.
//
// The package turns Discord events into chat.Message and chat.Action values
// for the core and renders the core's replies in Discord's idiom. Messages
// to anyone but the sender go through the outbox: the Adapter is the
// chat.Sender the dispatcher delivers them with.
package discord

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Platform is the platform name of Discord messages, people and outbox
// entries.
const Platform = "discord"

// Intents are the gateway intents the adapter asks for, and no more: guild
// messages (help channels, mentions, the bot's threads), direct messages,
// and the privileged message content, without which Discord delivers guild
// messages with empty text.
const Intents = discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages | discordgo.IntentMessageContent

// Permissions are the permission bits the bot uses in a server, as the
// invite URL asks for them: see every channel it is invited to, post,
// post embeds (triage cards), open threads for reports and card history,
// post in those threads, and read history (Discord requires it to start a
// thread on an existing message).
const Permissions int64 = discordgo.PermissionViewChannel |
	discordgo.PermissionSendMessages |
	discordgo.PermissionEmbedLinks |
	discordgo.PermissionReadMessageHistory |
	discordgo.PermissionCreatePublicThreads |
	discordgo.PermissionSendMessagesInThreads

// InviteURL is the OAuth2 URL that adds the bot with application
// commands and exactly Permissions to a server.
func InviteURL(applicationID string) string {
	return fmt.Sprintf("https://discord.com/oauth2/authorize?client_id=%s&scope=bot+applications.commands&permissions=%d", applicationID, Permissions)
}

// Config is the adapter's part of the help desk configuration.
type Config struct {
	// ApplicationID is the application's ID; "" takes it from the
	// gateway's READY event.
	ApplicationID string
	// Guilds are the servers the /helpdesk command is registered in (at
	// once); none registers it globally (Discord may take up to an hour).
	Guilds []string
	// HelpChannels are channel IDs where every message is a report: the
	// bot opens a thread on it and runs the intake there.
	HelpChannels []string
	// PublicKey verifies requests to the HTTP interactions endpoint.
	PublicKey ed25519.PublicKey
	// RegisterCommands overwrites the application commands at start-up;
	// only one shard of an installation needs to.
	RegisterCommands bool
}

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
	// Commands are the desk's commands, registered as /helpdesk and /desk.
	Commands() []chat.Command
	// AwaitingKBAnswer says whether a KB button press answers the
	// person's open offer (only then are its buttons taken away).
	AwaitingKBAnswer(ctx context.Context, place tickets.Place, user tickets.Person) bool
}

// inbox records inbound events before they are answered and runs their
// handlers later on the workers (chat.Inbox).
type inbox interface {
	Record(ctx context.Context, e *tickets.InboundEvent) (first bool, err error)
	Handle(kind string, fn func(ctx context.Context, payload []byte))
}

// queue takes direct replies Discord rate-limited, for the outbox.
type queue interface {
	Enqueue(ctx context.Context, m *tickets.OutboxMessage) (added bool, err error)
}

// pool runs inbound work on the bot's bounded workers.
type pool interface {
	Submit(ctx context.Context, fn func(ctx context.Context)) error
}

// api is the part of discordgo's REST client the adapter calls; a
// *discordgo.Session has it.
type api interface {
	ChannelMessageSendComplex(channelID string, data *discordgo.MessageSend, options ...discordgo.RequestOption) (*discordgo.Message, error)
	ChannelMessageEditComplex(m *discordgo.MessageEdit, options ...discordgo.RequestOption) (*discordgo.Message, error)
	MessageThreadStartComplex(channelID, messageID string, data *discordgo.ThreadStart, options ...discordgo.RequestOption) (*discordgo.Channel, error)
	Channel(channelID string, options ...discordgo.RequestOption) (*discordgo.Channel, error)
	UserChannelCreate(recipientID string, options ...discordgo.RequestOption) (*discordgo.Channel, error)
	InteractionRespond(i *discordgo.Interaction, resp *discordgo.InteractionResponse, options ...discordgo.RequestOption) error
	FollowupMessageCreate(i *discordgo.Interaction, wait bool, data *discordgo.WebhookParams, options ...discordgo.RequestOption) (*discordgo.Message, error)
	InteractionResponseDelete(i *discordgo.Interaction, options ...discordgo.RequestOption) error
	ApplicationCommandBulkOverwrite(appID, guildID string, cmds []*discordgo.ApplicationCommand, options ...discordgo.RequestOption) ([]*discordgo.ApplicationCommand, error)
	RequestWithBucketID(method, urlStr string, data any, bucketID string, options ...discordgo.RequestOption) ([]byte, error)
}

// gateway is the websocket side of a discordgo session.
type gateway interface {
	Open() error
	Close() error
	AddHandler(handler any) func()
}

// Adapter connects one Discord bot (one shard) to the help desk core.
type Adapter struct {
	cfg  Config
	api  api
	gw   gateway // nil when driven without a gateway (tests, HTTP only)
	core core
	pool pool
	// inbox, when set, takes every event's work: nil runs it on the
	// lanes directly.
	inbox inbox
	queue queue
	// wakeOutbox tells the dispatcher a reply was queued.
	wakeOutbox func()
	log        *slog.Logger
	now        func() time.Time
	// gatewayAcks times the gateway's acknowledgements; nil counts nothing.
	gatewayAcks *chat.Latency

	help   map[string]bool
	places *places
	lanes  *lanes
	offers *answered // KB offers already answered by a button
	global *globalLimit
	// answers are interactions being answered, whose recorded work waits
	// for the answer.
	answers answers
	// answering bounds the gateway interactions being answered at once
	// (a slot each), and answered waits for them at shutdown: an answer
	// is a REST round trip, which the gateway's reader must not wait on.
	answering chan struct{}
	answered  sync.WaitGroup
	// replies posts the answers to messages beside the workers.
	replies *chat.SendQueue

	// tokenEvery is how often watchToken checks the bot token.
	tokenEvery time.Duration
	// calls is what the last REST calls said of the token and of Discord
	// (noteAPI).
	calls chat.CallHealth

	mu        sync.Mutex
	self      string // the bot's user ID, from READY
	appID     string
	health    error // the gateway's; nil while connected
	commands  bool  // registered in this run
	dmByUser  map[string]string
	readyOnce chan struct{}
}

// Options are the adapter's collaborators besides the core and the pool.
type Options struct {
	Logger *slog.Logger
	Now    func() time.Time
	// HealthInterval is how often /users/@me checks the bot token, for
	// Health; 0 means a minute.
	HealthInterval time.Duration
	// BotUserID is the bot's own user ID when known before READY (tests
	// that drive the adapter without a gateway).
	BotUserID string
	// Timeout bounds each message's work when it waited behind another of
	// the same conversation (the pool times the first); default 30 s.
	Timeout time.Duration
	// Inbox records messages and interactions before the gateway reader
	// (or the HTTP endpoint) moves on, and runs them on the pool later,
	// in order per person and channel; nil submits them directly.
	Inbox inbox
	// Outbox takes direct replies Discord rate-limits, to deliver after
	// the wait; OutboxWake tells the dispatcher. nil lets discordgo wait
	// on the worker.
	Outbox     queue
	OutboxWake func()
	// GatewayAcks times what stands for an acknowledgement on the
	// gateway, for /metrics: an interaction from INTERACTION_CREATE read
	// to its callback sent (Discord wants it within 3 s), a message from
	// MESSAGE_CREATE read to recorded in the inbox (the reader waits on
	// it). nil times nothing; the HTTP endpoint is timed by its server.
	GatewayAcks *chat.Latency
}

// New builds an adapter on a discordgo session (or anything with its
// REST and gateway methods). gw may be nil to serve interactions and
// deliveries only.
func New(cfg Config, rest api, gw gateway, c core, p pool, opts Options) *Adapter {
	a := &Adapter{
		cfg: cfg, api: rest, gw: gw, core: c, pool: p, log: opts.Logger, now: opts.Now,
		help: map[string]bool{}, self: opts.BotUserID, appID: cfg.ApplicationID,
		dmByUser: map[string]string{}, readyOnce: make(chan struct{}), tokenEvery: opts.HealthInterval,
		gatewayAcks: opts.GatewayAcks,
	}
	if a.tokenEvery <= 0 {
		a.tokenEvery = defaultTokenEvery
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.now == nil {
		a.now = time.Now
	}
	for _, id := range cfg.HelpChannels {
		a.help[id] = true
	}
	a.global = &globalLimit{now: a.now}
	if s, ok := rest.(*discordgo.Session); ok && s.Client != nil {
		// NewSession's transport reads global rate limits off the
		// answers; the adapter shares what it saw (and never writes to
		// the session, which may already be serving another adapter).
		if w, ok := s.Client.Transport.(watchGlobal); ok {
			a.global = w.g
		}
	}
	a.places = newPlaces(4096)
	a.offers = newAnswered(4096)
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	a.lanes = newLanes(p, timeout)
	a.answering = make(chan struct{}, maxAnswering)
	a.replies = chat.NewSendQueue(chat.ReplyTimeout)
	a.queue, a.wakeOutbox = opts.Outbox, opts.OutboxWake
	if opts.Inbox != nil {
		a.inbox = opts.Inbox
		a.handleInbox(opts.Inbox)
	}
	if gw == nil {
		a.health = nil
	} else {
		a.health = errors.New("not connected to the Discord gateway yet")
		a.addHandlers(gw)
	}
	return a
}

// NewSession builds the discordgo session the adapter runs on: the bot
// token ("Bot " is added), the adapter's intents and the shard. client,
// when not nil, carries the REST calls and the gateway lookup (tests point
// it at a fake Discord).
func NewSession(token string, shardID, shardCount int, client *http.Client) (*discordgo.Session, error) {
	s, err := discordgo.New("Bot " + token)
	if err != nil {
		return nil, fmt.Errorf("discord: session: %w", err)
	}
	if client != nil {
		s.Client = client
	}
	// Requests are paced under Discord's global rate limit, and a global
	// 429 is read off every answer, for the adapter to hold every route
	// (see globalLimit).
	c := *s.Client
	next := c.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	c.Transport = watchGlobal{next: next, g: &globalLimit{now: time.Now}, pace: newGlobalPace()}
	s.Client = &c
	s.Identify.Intents = Intents
	if shardCount > 1 {
		s.ShardID, s.ShardCount = shardID, shardCount
	}
	// Handlers run in the order events arrive, on the gateway's reader:
	// two messages of one person reach their lane in order, connect and
	// disconnect reach Health in order, and a full worker pool slows the
	// reader (back-pressure) instead of piling up goroutines.
	s.SyncEvents = true
	// The adapter keeps no gateway cache: places are looked up over REST
	// and cached by the adapter itself.
	s.StateEnabled = false
	return s, nil
}

// Health is nil while the gateway is connected and Discord takes the bot
// token, else what is wrong: the gateway, or the last REST result
// (/users/@me every HealthInterval, and every delivery).
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

func (a *Adapter) botID() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.self
}

func (a *Adapter) applicationID() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.appID
}

// Run connects to the gateway, registers the application commands and
// serves until ctx ends. While the gateway cannot be reached it keeps
// trying, with Health saying why; once connected, discordgo reconnects
// and resumes after drops by itself.
func (a *Adapter) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	defer wg.Wait() // nothing of the adapter outlives Run
	wg.Go(func() { a.watchToken(ctx) })
	if a.gw == nil {
		<-ctx.Done()
		return nil
	}
	wait := time.Second
	for {
		err := a.gw.Open()
		if err == nil {
			break
		}
		a.setHealth(fmt.Errorf("cannot connect to the Discord gateway: %w", err))
		a.log.Warn("discord gateway connect failed", "err", err, "retry_in", wait)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = min(wait*2, 2*time.Minute)
	}
	select {
	case <-a.readyOnce:
		if err := a.registerCommands(ctx); err != nil {
			a.log.Error("discord application commands not registered", "err", err)
		}
	case <-ctx.Done():
	}
	<-ctx.Done()
	if err := a.gw.Close(); err != nil {
		a.log.Warn("discord gateway close", "err", err)
	}
	a.answered.Wait()
	a.replies.Wait()
	return nil
}
