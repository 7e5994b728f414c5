package bot

import (
	"context"

	"github.com/helpdesk-bot/helpdesk/bot/extract"
)

// extract is extract.Extract(text) at the bot's clock.
func (b *Bot) extract(_ context.Context, text string) extract.Extraction {
	return extract.Extract(text, b.now())
}
