package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// RecordSelfService stores a report solved without a ticket and sets its ID.
func (t *tx) RecordSelfService(ctx context.Context, s *tickets.SelfService) error {
	var offered any
	if len(s.Offered) > 0 {
		b, err := json.Marshal(s.Offered)
		if err != nil {
			return fmt.Errorf("postgres: record self-service: %w", err)
		}
		offered = string(b)
	}
	var id int64
	err := t.q.QueryRow(ctx, `INSERT INTO self_service (requester_platform, requester_user_id,
		requester_name, requester_contact, category, summary, article_id, offered, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		s.Requester.Platform, s.Requester.UserID, s.Requester.Name, s.Requester.Contact,
		string(s.Category), s.Summary, s.ArticleID, offered, dbTime(s.At)).Scan(&id)
	if err != nil {
		return fmt.Errorf("postgres: record self-service: %w", err)
	}
	s.ID = id
	return nil
}

// SeenEvent records an inbound platform event ID and reports whether it was
// new, so a redelivered event is handled once. Of two transactions
// recording the same ID at once, the second waits for the first to end and
// is new only if the first rolled back.
func (t *tx) SeenEvent(ctx context.Context, id string, at time.Time) (bool, error) {
	if id == "" {
		return false, tickets.Errorf(tickets.EINVALID, "platform event has no ID")
	}
	tag, err := t.q.Exec(ctx, `INSERT INTO seen_events (id, at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`,
		id, dbTime(at))
	if err != nil {
		return false, fmt.Errorf("postgres: seen event: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// ForgetEvents drops the seen-event records older than before.
func (s *Store) ForgetEvents(ctx context.Context, before time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM seen_events WHERE at < $1`, stored(before))
	if err != nil {
		return 0, fmt.Errorf("postgres: forget events: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

// RecordSelfService stores a report solved without a ticket in its own
// transaction.
func (s *Store) RecordSelfService(ctx context.Context, ss *tickets.SelfService) error {
	return s.InTx(ctx, func(tx tickets.Tx) error { return tx.RecordSelfService(ctx, ss) })
}

// SeenEvent records an inbound platform event ID in its own transaction and
// reports whether it was new.
func (s *Store) SeenEvent(ctx context.Context, id string, at time.Time) (first bool, err error) {
	err = s.InTx(ctx, func(tx tickets.Tx) error {
		first, err = tx.SeenEvent(ctx, id, at)
		return err
	})
	return first, err
}

// SelfServices returns reports solved by an article at or after since,
// oldest first.
func (s *Store) SelfServices(ctx context.Context, since time.Time) ([]*tickets.SelfService, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, requester_platform, requester_user_id, requester_name,
		requester_contact, category, summary, article_id, offered, at
		FROM self_service WHERE at >= $1 ORDER BY at, id`, stored(since))
	if err != nil {
		return nil, fmt.Errorf("postgres: self services: %w", err)
	}
	defer rows.Close()
	var out []*tickets.SelfService
	for rows.Next() {
		var r tickets.SelfService
		var offered []byte
		var category string
		if err := rows.Scan(&r.ID, &r.Requester.Platform, &r.Requester.UserID, &r.Requester.Name,
			&r.Requester.Contact, &category, &r.Summary, &r.ArticleID, &offered, timeCol{&r.At}); err != nil {
			return nil, fmt.Errorf("postgres: self services: %w", err)
		}
		r.Category = tickets.Category(category)
		if offered != nil {
			if err := json.Unmarshal(offered, &r.Offered); err != nil {
				return nil, fmt.Errorf("postgres: self services: record %d offered: %w", r.ID, err)
			}
		}
		out = append(out, &r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: self services: %w", err)
	}
	return out, nil
}
