package slack

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/slack-go/slack"
)

// defaultAuthEvery is how often auth.test checks the bot token while all
// is well.
const defaultAuthEvery = time.Minute

// errNotChecked is the health of the Web API before its first answer.
var errNotChecked = errors.New("slack: the bot token has not been checked with Slack yet (auth.test)")

// tokenErrors are Slack's answers that the bot token cannot do its work:
// wrong, revoked or expired, the app uninstalled, or a scope missing.
var tokenErrors = map[string]bool{
	"invalid_auth": true, "not_authed": true, "token_revoked": true, "token_expired": true,
	"account_inactive": true, "missing_scope": true, "not_allowed_token_type": true,
	"no_permission": true, "ekm_access_denied": true, "team_access_not_granted": true,
}

// noteAPI records what a Web API call's result says about Slack for
// Health: a success, or an answer of Slack's own about the request (a
// rate limit, a channel not found), clears it; a refused token, a missing
// scope, a server error or no answer at all is reported until a later
// call succeeds. Errors that are not Slack's (a cancelled call, a bad
// reference) change nothing.
func (a *Adapter) noteAPI(op string, err error) {
	var apiErr error
	switch {
	case err == nil:
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return
	default:
		var se slack.SlackErrorResponse
		var sc slack.StatusCodeError
		var rl *slack.RateLimitedError
		var ue *url.Error
		switch {
		case errors.As(err, &se) && tokenErrors[se.Err]:
			apiErr = fmt.Errorf("slack: %s: the bot token was refused (%s); check SLACK_BOT_TOKEN and the app's scopes (helpdesk doctor says what to do)", op, se.Err)
		case errors.As(err, &se), errors.As(err, &rl):
		case errors.As(err, &sc) && sc.Code >= 500:
			apiErr = fmt.Errorf("slack: %s: Slack answered %d", op, sc.Code)
		case errors.As(err, &sc):
		case errors.As(err, &ue):
			apiErr = fmt.Errorf("slack: %s: cannot reach Slack: %w", op, ue)
		default:
			return
		}
	}
	a.mu.Lock()
	a.apiErr = apiErr
	a.mu.Unlock()
}

// whoAmI asks Slack who the bot is (auth.test) until it answers, so the
// bot's own messages are recognised even without a bot_id, and then again
// every authEvery, so Health says when the token stops working (revoked,
// the app uninstalled) even while no message goes out.
func (a *Adapter) whoAmI(ctx context.Context) {
	every := a.authEvery
	if every <= 0 {
		every = defaultAuthEvery
	}
	fails := 0
	for {
		r, err := a.api.AuthTestContext(ctx)
		if ctx.Err() != nil {
			return
		}
		a.noteAPI("auth.test", err)
		wait := every
		if err == nil {
			fails = 0
			a.mu.Lock()
			first := a.self == ""
			a.self = r.UserID
			a.mu.Unlock()
			if first {
				a.log.Info("slack: authenticated", "team", r.Team, "bot_user", r.UserID)
			}
		} else {
			// Back off from a second, but never wait longer than a check
			// would while all is well.
			wait = min(time.Second<<min(fails, 10), maxReconnectWait, every)
			fails++
			a.log.Warn("slack: auth.test failed", "err", err, "retry_in", wait)
		}
		if sleepCtx(ctx, wait) != nil {
			return
		}
	}
}
