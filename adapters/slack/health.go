package slack

import (
	"context"
	"errors"
	"fmt"
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
// Health (see chat.CallHealth): a refused token or missing scope, or a
// Slack server error, is reported until a later call succeeds.
func (a *Adapter) noteAPI(op string, err error) {
	a.calls.Note(err, "slack: "+op+": cannot reach Slack", func(err error) (error, bool) {
		if se, ok := errors.AsType[slack.SlackErrorResponse](err); ok {
			if tokenErrors[se.Err] {
				return fmt.Errorf("slack: %s: the bot token was refused (%s); check SLACK_BOT_TOKEN and the app's scopes (helpdesk doctor says what to do)", op, se.Err), true
			}
			return nil, true
		}
		if _, ok := errors.AsType[*slack.RateLimitedError](err); ok {
			return nil, true
		}
		if sc, ok := errors.AsType[slack.StatusCodeError](err); ok {
			if sc.Code >= 500 {
				return fmt.Errorf("slack: %s: Slack answered %d", op, sc.Code), true
			}
			return nil, true
		}
		return nil, false
	})
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
