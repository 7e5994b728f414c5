package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// JobState returns the state a scheduled job saved under name, or an
// ENOTFOUND error.
func (t *Tx) JobState(ctx context.Context, name string) (string, error) {
	var value string
	err := t.q.QueryRow(ctx, `SELECT value FROM job_state WHERE name = $1`, name).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return "", tickets.Errorf(tickets.ENOTFOUND, "job state %q does not exist", name)
	} else if err != nil {
		return "", t.d.wrap("job state", err)
	}
	return value, nil
}

// SetJobState saves a scheduled job's state under name, replacing what it
// saved before.
func (t *Tx) SetJobState(ctx context.Context, name, value string, at time.Time) error {
	if name == "" {
		return tickets.Errorf(tickets.EINVALID, "job state has no name")
	}
	_, err := t.q.Exec(ctx, `INSERT INTO job_state (name, value, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		name, value, t.d.dbTime(at))
	if err != nil {
		return t.d.wrap("set job state", err)
	}
	return nil
}

// JobState returns the state a scheduled job saved under name, or an
// ENOTFOUND error.
func (s *Store) JobState(ctx context.Context, name string) (string, error) {
	return s.reader.JobState(ctx, name)
}

// SetJobState saves a scheduled job's state under name in its own
// transaction.
func (s *Store) SetJobState(ctx context.Context, name, value string, at time.Time) error {
	return s.inTx(ctx, func(tx tickets.Tx) error { return tx.SetJobState(ctx, name, value, at) })
}
