package sqlstore

import (
	"context"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// LinkPeople records that keys a and b are one person: b, and every key
// linked to b, join a's person.
func (t *Tx) LinkPeople(ctx context.Context, a, b string) error {
	if a == "" || b == "" || a == b {
		return tickets.Errorf(tickets.EINVALID, "linking needs two different keys")
	}
	pa, err := t.personOf(ctx, a)
	if err != nil {
		return err
	}
	pb, err := t.personOf(ctx, b)
	if err != nil {
		return err
	}
	for _, k := range []string{a, b} {
		if _, err := t.q.Exec(ctx, `INSERT INTO person_links (key, person) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, k, pa); err != nil {
			return t.d.wrap("link people", err)
		}
	}
	if _, err := t.q.Exec(ctx, `UPDATE person_links SET person = $1 WHERE person = $2`, pa, pb); err != nil {
		return t.d.wrap("link people", err)
	}
	return nil
}

// personOf is the person key belongs to: its own key when it has no links.
func (t *Tx) personOf(ctx context.Context, key string) (string, error) {
	ps, err := queryAll(ctx, t.q, t.d, "person links", func(row Row) (string, error) {
		var p string
		return p, row.Scan(&p)
	}, `SELECT person FROM person_links WHERE key = $1`, key)
	if err != nil {
		return "", err
	}
	if len(ps) == 0 {
		return key, nil
	}
	return ps[0], nil
}

// UnlinkPerson takes key out of its person's links.
func (t *Tx) UnlinkPerson(ctx context.Context, key string) error {
	n, err := t.q.Exec(ctx, `DELETE FROM person_links WHERE key = $1`, key)
	if err != nil {
		return t.d.wrap("unlink person", err)
	}
	if n == 0 {
		return tickets.Errorf(tickets.ENOTFOUND, "%s is not linked to anyone", key)
	}
	// The others may have been linked under key's name: they stay one
	// person under the name of one of them.
	rest, err := queryAll(ctx, t.q, t.d, "person links", func(row Row) (string, error) {
		var k string
		return k, row.Scan(&k)
	}, `SELECT key FROM person_links WHERE person = $1 ORDER BY key`, key)
	if err != nil || len(rest) == 0 {
		return err
	}
	if _, err := t.q.Exec(ctx, `UPDATE person_links SET person = $1 WHERE person = $2`, rest[0], key); err != nil {
		return t.d.wrap("unlink person", err)
	}
	return nil
}

// LinkedKeys returns the keys linked to key, key itself first.
func (t *Tx) LinkedKeys(ctx context.Context, key string) ([]string, error) {
	p, err := t.personOf(ctx, key)
	if err != nil {
		return nil, err
	}
	others, err := queryAll(ctx, t.q, t.d, "person links", func(row Row) (string, error) {
		var k string
		return k, row.Scan(&k)
	}, `SELECT key FROM person_links WHERE person = $1 AND key <> $2 ORDER BY key`, p, key)
	if err != nil {
		return nil, err
	}
	return append([]string{key}, others...), nil
}
