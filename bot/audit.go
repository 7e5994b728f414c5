package bot

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/kb"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// usageCounter is the part of the article store that reports how articles
// were used; the SQLite store has it.
type usageCounter interface {
	Usage(ctx context.Context, since time.Time) ([]kb.ArticleUsage, error)
}

// KBAudit tells managers, once a week, which articles are offered often but
// rarely fix the problem (offered 5 times or more, "fixed it" under one in
// five), and which kinds of incident no article covered (no article scored
// well enough to be offered), with examples.
func (b *Bot) KBAudit(ctx context.Context, at time.Time) (bool, error) {
	since := at.Add(-7 * 24 * time.Hour)
	var sb strings.Builder
	fmt.Fprintf(&sb, "Knowledge-base audit, week to %s.", at.Format("Mon 2 Jan"))
	if uc, ok := b.articles.(usageCounter); ok {
		usage, err := uc.Usage(ctx, since)
		if err != nil {
			return false, fmt.Errorf("kb audit: %w", err)
		}
		var weak []kb.ArticleUsage
		for _, u := range usage {
			if u.Offered >= 5 && u.Fixed*5 < u.Offered {
				weak = append(weak, u)
			}
		}
		sort.Slice(weak, func(i, j int) bool { return weak[i].Offered > weak[j].Offered })
		if len(weak) == 0 {
			sb.WriteString("\nNo article was offered often without helping.")
		} else {
			sb.WriteString("\nOffered often, rarely fixed it (rewrite or retag these):")
			for _, u := range weak {
				title := u.ArticleID
				if a, ok := b.kb.Article(u.ArticleID); ok {
					title = a.Title
				}
				fmt.Fprintf(&sb, "\n  %s (%s): offered %d, opened %d, fixed %d", title, u.ArticleID, u.Offered, u.Opened, u.Fixed)
			}
		}
	}
	ts, err := b.store.FindTickets(ctx, tickets.TicketFilter{CreatedAfter: since, Limit: 100000})
	if err != nil {
		return false, fmt.Errorf("kb audit: %w", err)
	}
	uncovered := map[tickets.Category][]string{}
	for _, t := range ts {
		if t.Kind == tickets.KindIncident && t.LinkedTo == 0 && t.Fields[tickets.FieldArticles] == "" && !t.CreatedAt.After(at) {
			uncovered[t.Category] = append(uncovered[t.Category], t.Summary)
		}
	}
	if len(uncovered) == 0 {
		sb.WriteString("\nEvery incident this week had an article to offer.")
	} else {
		cats := make([]tickets.Category, 0, len(uncovered))
		for c := range uncovered {
			cats = append(cats, c)
		}
		sort.Slice(cats, func(i, j int) bool {
			if len(uncovered[cats[i]]) != len(uncovered[cats[j]]) {
				return len(uncovered[cats[i]]) > len(uncovered[cats[j]])
			}
			return cats[i] < cats[j]
		})
		sb.WriteString("\nIncidents no article covered (candidates for new articles; /kbdraft N once resolved):")
		for _, c := range cats {
			ex := uncovered[c]
			fmt.Fprintf(&sb, "\n  %s: %d, e.g. %q", c.Label(), len(ex), ex[0])
			if len(ex) > 1 {
				fmt.Fprintf(&sb, ", %q", ex[1])
			}
		}
	}
	added, err := b.store.Enqueue(ctx, &tickets.OutboxMessage{Key: fmt.Sprintf("kbaudit:%d", at.Unix()), To: b.conf().ManagerChannel,
		Text: sb.String(), Created: b.now(), NextAttempt: b.now()})
	if err != nil {
		return false, fmt.Errorf("kb audit: %w", err)
	}
	b.notify()
	return added, nil
}

// lockoutReport recognises reports of account lockouts and password resets.
var lockoutReport = regexp.MustCompile(`(?i)\b(lock(?:ed)? ?out|lockout|account (?:is )?(?:locked|disabled)|(?:reset|forgot|forgotten|expired|change) (?:my |the |his |her )?password|password (?:reset|expired|not working|doesn'?t work)|can'?t (?:log|sign) ?in)\b`)

// SecurityCheck alerts the security channel when reports of lockouts and
// password resets in the last Spike.Window reach Spike.MinReports and
// Spike.Factor times their usual rate (the average per window over the
// previous seven days). A spike is alerted once: while the next window is
// still a spike, it says nothing more.
func (b *Bot) SecurityCheck(ctx context.Context, at time.Time) (bool, error) {
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
	// kept as a small state record, read and written in the transaction
	// that queues the alert, so two replicas alert once between them.
	slot := at.Truncate(rule.Window)
	text := fmt.Sprintf("Security alert: %d reports of account lockouts or password resets in the last %s (usual: %.1f). This can mean a password-spraying attack or a phishing campaign; check the sign-in logs.",
		now, shortDur(rule.Window), usual)
	alerted := false
	err = b.store.InTx(ctx, func(tx tickets.Tx) error {
		last := time.Time{}
		c, err := tx.Conversation(ctx, spikeStateKey)
		if err == nil {
			last, _ = time.Parse(time.RFC3339, string(c.State))
		} else if tickets.ErrorCode(err) != tickets.ENOTFOUND {
			return err
		}
		ongoing := !last.IsZero() && !slot.Before(last) && slot.Sub(last) <= rule.Window
		if err := tx.SaveConversation(ctx, &tickets.Conversation{Key: spikeStateKey, State: []byte(slot.UTC().Format(time.RFC3339)), UpdatedAt: b.now()}); err != nil {
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

// spikeStateKey names the record of the last window that was a spike.
const spikeStateKey = "job:security-spike"

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
