package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/bwmarrin/discordgo"
)

// defaultTokenEvery is how often /users/@me checks the bot token while
// all is well.
const defaultTokenEvery = time.Minute

// noteAPI records what a REST call's result says about Discord for Health:
// a success, or an answer of Discord's own about the request (a rate
// limit, a missing channel or permission), clears it; a refused token, a
// server error or no answer at all is reported until a later call
// succeeds. Errors that are not Discord's (a cancelled call, a bad
// reference) change nothing.
func (a *Adapter) noteAPI(err error) {
	var apiErr error
	switch {
	case err == nil:
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return
	default:
		var re *discordgo.RESTError
		var rl *discordgo.RateLimitError
		var ue *url.Error
		switch {
		case errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized:
			apiErr = errors.New("discord: the bot token was refused (401 Unauthorized); check DISCORD_BOT_TOKEN (helpdesk doctor says what to do)")
		case errors.As(err, &re) && re.Response != nil && re.Response.StatusCode >= 500:
			apiErr = fmt.Errorf("discord: Discord answered %s", re.Response.Status)
		case errors.As(err, &re), errors.As(err, &rl):
		case errors.As(err, &ue):
			apiErr = fmt.Errorf("discord: cannot reach Discord: %w", ue)
		default:
			return
		}
	}
	a.mu.Lock()
	a.apiErr = apiErr
	a.mu.Unlock()
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
