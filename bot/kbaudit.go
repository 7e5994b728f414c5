package bot

import (
	"context"
	"fmt"
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

// kbAudit tells managers, once a week, which articles are offered often but
// rarely fix the problem (offered 5 times or more, "fixed it" under one in
// five), and which kinds of incident no article covered (no article scored
// well enough to be offered), with examples.
func (b *Bot) kbAudit(ctx context.Context, at time.Time) (bool, error) {
	since := at.Add(-7 * 24 * time.Hour)
	var sb strings.Builder
	fmt.Fprintf(&sb, "Knowledge-base audit, week to %s.", at.Format("Mon 2 Jan"))
	var weak []kb.ArticleUsage
	if uc, ok := b.articles.(usageCounter); ok {
		usage, err := uc.Usage(ctx, since)
		if err != nil {
			return false, fmt.Errorf("kb audit: %w", err)
		}
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
	if len(weak) == 0 && len(uncovered) == 0 {
		// Nothing to rewrite and nothing missing: an audit with no
		// findings is noise in the managers' channel.
		return false, nil
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
