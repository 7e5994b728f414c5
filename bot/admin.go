package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// reloadConfig applies the configuration read again from its file. A bad
// file changes nothing and says what is wrong, as at start-up.
func (b *Bot) reloadConfig(ctx context.Context, r request) ([]chat.Reply, error) {
	a := r.a
	if b.reload == nil {
		return nil, tickets.Errorf(tickets.ECONFLICT, "This bot runs on built-in defaults with no config file to reload; start it with -config FILE.")
	}
	cfg, err := b.reload()
	if err != nil {
		b.log.WarnContext(ctx, "reload refused", "by", a.Person.Key(), "err", err)
		return nil, tickets.Errorf(tickets.EINVALID, "The config was not reloaded, nothing changed: %v", err)
	}
	cfg.setDefaults()
	b.cfg.Store(&cfg)
	b.log.InfoContext(ctx, "config reloaded", "by", a.Person.Key(), "agents", len(cfg.Agents))
	return []chat.Reply{{Text: fmt.Sprintf("Config reloaded: %d agents, %d teams, %d catalog entries.", len(cfg.Agents), len(cfg.Teams), len(cfg.Catalog)), Ephemeral: true}}, nil
}

// outbox lists the messages the dispatcher gave up on, newest first.
func (b *Bot) outbox(ctx context.Context, _ request) ([]chat.Reply, error) {
	ms, err := b.store.DeadOutbox(ctx, 20)
	if err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return []chat.Reply{{Text: "Every message has been delivered; none were given up.", Ephemeral: true}}, nil
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "Messages given up (newest first, up to 20):\n")
	for _, m := range ms {
		to := m.To.Platform + " #" + m.To.ChannelID
		if m.To.ChannelID == "" {
			to = m.To.Platform + " @" + m.UserID
		}
		fmt.Fprintf(&sb, "  %s  %s to %s after %d attempts: %s\n", m.DeadAt.Format("Mon 2 Jan 15:04"), m.Key, to, m.Attempts, m.LastError)
	}
	return []chat.Reply{{Text: strings.TrimRight(sb.String(), "\n"), Ephemeral: true}}, nil
}
