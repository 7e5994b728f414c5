package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/bwmarrin/discordgo"
)

// addHandlers subscribes the adapter to the gateway events it serves.
// With the session's SyncEvents they run on the gateway's reader, so they
// only acknowledge and hand work to the pool.
func (a *Adapter) addHandlers(gw gateway) {
	gw.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) { a.onReady(r) })
	gw.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) { a.setHealth(nil) })
	gw.AddHandler(func(_ *discordgo.Session, _ *discordgo.Connect) { a.setHealth(nil) })
	gw.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) {
		a.setHealth(fmt.Errorf("disconnected from the Discord gateway since %s; reconnecting", a.now().UTC().Format("15:04:05Z")))
	})
	// Messages and interactions are read from the raw event: the inbox
	// records them as Discord sent them, and discordgo's decoding of an
	// interaction fails on component types it does not know (a modal's
	// Label), handing a typed handler an interaction without data.
	// Each is timed into gatewayAcks from when it was read: an
	// interaction until its callback went out, a message until it was
	// taken (recorded), as the reader waits that long before the next.
	gw.AddHandler(func(_ *discordgo.Session, e *discordgo.Event) {
		start := a.now()
		switch e.Type {
		case "MESSAGE_CREATE":
			defer a.survive(e.Type)
			var m discordgo.Message
			if err := json.Unmarshal(e.RawData, &m); err != nil {
				a.log.Warn("discord message not understood", "err", err)
				return
			}
			if a.onMessage(context.Background(), &m, e.RawData) {
				a.gatewayAcks.Observe(a.now().Sub(start))
			}
		case "INTERACTION_CREATE":
			// The answer is a REST round trip: it goes out beside the
			// reader, which reads on (at 50 ms a round trip, answering in
			// line let through 20 interactions a second and missed the
			// 3 s deadline behind a queue). A slot each bounds them; with
			// all taken the reader waits, as back-pressure.
			a.answering <- struct{}{}
			a.answered.Add(1)
			go func() {
				defer a.answered.Done()
				defer func() { <-a.answering }()
				defer a.survive(e.Type)
				a.onRawInteraction(context.Background(), e.RawData, func(ctx context.Context, i *discordgo.Interaction, r *discordgo.InteractionResponse) error {
					err := a.respondREST(ctx, i, r)
					if err == nil {
						a.gatewayAcks.Observe(a.now().Sub(start))
					}
					return err
				})
			}()
		}
	})
}

// maxAnswering is how many gateway interactions may be answered at once:
// Discord's 50 requests a second, interaction callbacks aside, leaves
// these bounded only by the process.
const maxAnswering = 64

// survive keeps a panic in a gateway handler from killing the gateway's
// reader, and the process with it: the event is logged and dropped.
func (a *Adapter) survive(event string) {
	if v := recover(); v != nil {
		a.log.Error("discord event handler panicked; the bot goes on", "event", event, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
	}
}

// onReady learns who the bot is, and the application ID unless config
// named it.
func (a *Adapter) onReady(r *discordgo.Ready) {
	a.mu.Lock()
	if r.User != nil {
		a.self = r.User.ID
	}
	if a.appID == "" && r.Application != nil {
		a.appID = r.Application.ID
	}
	a.health = nil
	select {
	case <-a.readyOnce:
	default:
		close(a.readyOnce)
	}
	a.mu.Unlock()
	a.log.Info("discord gateway ready", "bot", a.botID(), "application", a.applicationID())
}

// registerCommands overwrites the /helpdesk command in the configured
// guilds, or globally when none are configured. Overwriting is idempotent,
// so every start makes Discord match this version of the bot.
func (a *Adapter) registerCommands(ctx context.Context) error {
	if !a.cfg.RegisterCommands {
		return nil
	}
	app := a.applicationID()
	if app == "" {
		return errors.New("discord: commands: application ID unknown; set discord.application_id")
	}
	guilds := a.cfg.Guilds
	if len(guilds) == 0 {
		guilds = []string{""}
	}
	for _, g := range guilds {
		if _, err := a.api.ApplicationCommandBulkOverwrite(app, g, Commands(a.core.Commands()), discordgo.WithContext(ctx)); err != nil {
			where := "globally"
			if g != "" {
				where = "in guild " + g
			}
			return fmt.Errorf("discord: register commands %s: %w", where, err)
		}
	}
	a.mu.Lock()
	a.commands = true
	a.mu.Unlock()
	a.log.Info("discord application commands registered", "guilds", len(a.cfg.Guilds))
	return nil
}
