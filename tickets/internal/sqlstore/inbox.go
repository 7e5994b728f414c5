package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// RecordInbound stores e unless its key was recorded before; first is
// false then, and e is left as it was. A zero Received is the current time.
// One statement in its own transaction, so the event is on disk when it
// returns (before the platform is acknowledged).
func (s *Store) RecordInbound(ctx context.Context, e *tickets.InboundEvent) (bool, error) {
	switch {
	case e.Key == "":
		return false, tickets.Errorf(tickets.EINVALID, "inbound event has no key")
	case e.Kind == "":
		return false, tickets.Errorf(tickets.EINVALID, "inbound event %q has no kind", e.Key)
	}
	at := e.Received
	if at.IsZero() {
		at = time.Now()
	}
	payload := e.Payload
	if payload == nil {
		payload = []byte{}
	}
	id, err := s.write.Insert(ctx, `INSERT INTO inbox (key, kind, lane, payload, received_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING RETURNING id`,
		e.Key, e.Kind, e.Lane, payload, s.d.Time(at))
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, s.d.wrap("record inbound", err)
	}
	e.ID, e.Received = id, Stored(at)
	return true, nil
}

// ClaimInbound takes up to limit unhandled events, each first in its lane
// and not claimed (or its claim run out by now), oldest first, until until.
// Each is claimed by its own conditional UPDATE, so of two claimers (two
// replicas) one gets it: the other's UPDATE finds the new claim.
func (s *Store) ClaimInbound(ctx context.Context, now, until time.Time, limit int) ([]*tickets.InboundEvent, error) {
	heads, err := queryAll(ctx, s.read, s.d, "claim inbound", scanInbound, `SELECT id, key, kind, lane, payload, received_at, attempts
		FROM inbox WHERE id IN (SELECT MIN(id) FROM inbox WHERE handled_at IS NULL GROUP BY lane)
		AND (claimed_until IS NULL OR claimed_until <= $1)
		ORDER BY id LIMIT $2`, s.d.Time(now), limitOr(limit))
	if err != nil {
		return nil, err
	}
	var out []*tickets.InboundEvent
	for _, e := range heads {
		n, err := s.write.Exec(ctx, `UPDATE inbox SET claimed_until = $1, attempts = attempts + 1
			WHERE id = $2 AND handled_at IS NULL AND (claimed_until IS NULL OR claimed_until <= $3)`,
			s.d.Time(until), e.ID, s.d.Time(now))
		if err != nil {
			return out, s.d.wrap("claim inbound", err)
		}
		if n == 1 {
			e.Attempts++
			out = append(out, e)
		}
	}
	return out, nil
}

// FinishInbound records event id as handled and drops its payload.
func (s *Store) FinishInbound(ctx context.Context, id int64, at time.Time) error {
	if at.IsZero() {
		at = time.Now()
	}
	n, err := s.write.Exec(ctx, `UPDATE inbox SET handled_at = COALESCE(handled_at, $1), payload = NULL WHERE id = $2`, s.d.Time(at), id)
	if err != nil {
		return s.d.wrap("finish inbound", err)
	}
	if n == 0 {
		return tickets.Errorf(tickets.ENOTFOUND, "inbound event %d does not exist", id)
	}
	return nil
}

// ReleaseInbound gives up the claim on unhandled event id.
func (s *Store) ReleaseInbound(ctx context.Context, id int64) error {
	if _, err := s.write.Exec(ctx, `UPDATE inbox SET claimed_until = NULL WHERE id = $1 AND handled_at IS NULL`, id); err != nil {
		return s.d.wrap("release inbound", err)
	}
	return nil
}

// ForgetInbound drops inbox events handled before before, and returns how
// many. ForgetEvents runs it; a store whose inbox is elsewhere (SQLite's
// own file) runs it there.
func (s *Store) ForgetInbound(ctx context.Context, before time.Time) (int64, error) {
	n, err := s.write.Exec(ctx, `DELETE FROM inbox WHERE handled_at < $1`, s.d.Time(before))
	if err != nil {
		return 0, s.d.wrap("forget inbound", err)
	}
	return n, nil
}

// scanInbound reads one inbox row.
func scanInbound(row Row) (*tickets.InboundEvent, error) {
	var e tickets.InboundEvent
	var attempts int64
	if err := row.Scan(&e.ID, &e.Key, &e.Kind, &e.Lane, &e.Payload, timeCol{&e.Received}, &attempts); err != nil {
		return nil, err
	}
	e.Attempts = int(attempts)
	return &e, nil
}
