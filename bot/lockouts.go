package bot

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// lockoutReport recognises reports of account lockouts and password resets.
var lockoutReport = regexp.MustCompile(`(?i)\b(lock(?:ed)? ?out|lockout|account (?:is )?(?:locked|disabled)|(?:reset|forgot|forgotten|expired|change) (?:my |the |his |her )?password|password (?:reset|expired|not working|doesn'?t work)|can'?t (?:log|sign) ?in)\b`)

// lockoutCheck alerts the security channel when reports of lockouts and
// password resets in the last Spike.Window reach Spike.MinReports and
// Spike.Factor times their usual rate (the average per window over the
// previous seven days). A spike is alerted once: while the next window is
// still a spike, it says nothing more.
func (b *Bot) lockoutCheck(ctx context.Context, at time.Time) (bool, error) {
	rule := b.conf().Spike
	if rule.Window <= 0 {
		return false, nil
	}
	week := 7 * 24 * time.Hour
	times, err := b.lockoutReports(ctx, at.Add(-week-rule.Window))
	if err != nil {
		return false, fmt.Errorf("security check: %w", err)
	}
	windowStart := at.Add(-rule.Window)
	var now, before int
	for _, t := range times {
		switch {
		case t.After(at):
		case t.After(windowStart):
			now++
		default:
			before++
		}
	}
	usual := float64(before) / (float64(week) / float64(rule.Window))
	threshold := max(float64(rule.MinReports), rule.Factor*usual)
	if float64(now) < threshold {
		return false, nil
	}
	// One alert per spike: the window's slot names it, and a spike seen in
	// the previous slot is the same spike going on. The last spike slot is
	// kept as the job's state record, read and written in the transaction
	// that queues the alert, so two replicas alert once between them.
	slot := at.Truncate(rule.Window)
	text := fmt.Sprintf("Security alert: %d reports of account lockouts or password resets in the last %s (usual: %.1f). This can mean a password-spraying attack or a phishing campaign; check the sign-in logs.",
		now, shortDur(rule.Window), usual)
	alerted := false
	err = b.store.InTx(ctx, func(tx tickets.Tx) error {
		last := time.Time{}
		state, err := tx.JobState(ctx, spikeStateKey)
		switch {
		case err == nil:
			if last, err = time.Parse(time.RFC3339, state); err != nil {
				// A record this code did not write: alert rather than stay
				// silent through a spike, and overwrite it below.
				b.log.WarnContext(ctx, "security check: unreadable state, taken as no earlier spike", "state", state, "err", err)
				last = time.Time{}
			}
		case tickets.ErrorCode(err) != tickets.ENOTFOUND:
			return err
		}
		ongoing := !last.IsZero() && !slot.Before(last) && slot.Sub(last) <= rule.Window
		if err := tx.SetJobState(ctx, spikeStateKey, slot.UTC().Format(time.RFC3339), b.now()); err != nil {
			return err
		}
		if ongoing {
			return nil
		}
		alerted, err = tx.Enqueue(ctx, &tickets.OutboxMessage{Key: fmt.Sprintf("security:spike:%d", slot.Unix()), To: b.conf().SecurityChannel,
			Text: text, Created: b.now(), NextAttempt: b.now()})
		return err
	})
	if err != nil {
		return false, fmt.Errorf("security check: %w", err)
	}
	b.notify()
	return alerted, nil
}

// spikeStateKey names the job state record of the last window that was a
// spike.
const spikeStateKey = "security_check:last_spike"

// lockoutReports returns when each lockout or password-reset report since
// since was made: tickets and self-served reports alike.
func (b *Bot) lockoutReports(ctx context.Context, since time.Time) ([]time.Time, error) {
	ts, err := b.store.FindTickets(ctx, tickets.TicketFilter{CreatedAfter: since,
		Categories: []tickets.Category{tickets.CategoryAccount, tickets.CategoryMFA}, Limit: 100000})
	if err != nil {
		return nil, err
	}
	var out []time.Time
	for _, t := range ts {
		if lockoutReport.MatchString(t.Summary + "\n" + t.Fields["description"]) {
			out = append(out, t.CreatedAt)
		}
	}
	self, err := b.store.SelfServices(ctx, since)
	if err != nil {
		return nil, err
	}
	for _, s := range self {
		if lockoutReport.MatchString(s.Summary) {
			out = append(out, s.At)
		}
	}
	return out, nil
}
