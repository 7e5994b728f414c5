package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"
)

// defaultTokenEvery is how often /users/@me checks the bot token while
// all is well.
const defaultTokenEvery = time.Minute

// noteAPI records what a REST call's result says about Discord for
// Health (see chat.CallHealth): a refused token or a Discord server error
// is reported until a later call succeeds.
func (a *Adapter) noteAPI(err error) {
	a.calls.Note(err, "discord: cannot reach Discord", func(err error) (error, bool) {
		if re, ok := errors.AsType[*discordgo.RESTError](err); ok && re.Response != nil {
			switch {
			case re.Response.StatusCode == http.StatusUnauthorized:
				return errors.New("discord: the bot token was refused (401 Unauthorized); check DISCORD_BOT_TOKEN (helpdesk doctor says what to do)"), true
			case re.Response.StatusCode >= 500:
				return fmt.Errorf("discord: Discord answered %s", re.Response.Status), true
			}
			return nil, true
		}
		if _, ok := errors.AsType[*discordgo.RateLimitError](err); ok {
			return nil, true
		}
		return nil, false
	})
}

// watchToken asks Discord who the bot is (/users/@me) every tokenEvery,
// so Health says when the token stops working (reset, the bot deleted)
// even while the gateway session lasts and no message goes out.
func (a *Adapter) watchToken(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(a.tokenEvery):
		}
		_, err := a.api.RequestWithBucketID(http.MethodGet, discordgo.EndpointUser("@me"), nil, discordgo.EndpointUser(""), discordgo.WithContext(ctx))
		if ctx.Err() != nil {
			return
		}
		a.noteAPI(err)
	}
}
