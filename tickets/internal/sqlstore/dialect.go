package sqlstore

import (
	"fmt"
	"time"
)

// Dialect is what a database does its own way: how it stores the values
// whose types differ, how its errors read, and the statements whose text
// cannot be shared.
type Dialect struct {
	// Name prefixes the store's errors: "sqlite", "postgres".
	Name string

	// Time is a time as the database stores it (UTC microseconds either
	// way). Scanning needs no hook: timeCol reads both representations.
	Time func(t time.Time) any
	// Day is the UTC day of t as kb_usage.day stores it.
	Day func(t time.Time) any
	// Flags is Ticket.Flags as the tickets.flags column stores them, and
	// ScanFlags the destination that reads them back into *dst.
	Flags     func(flags []string) any
	ScanFlags func(dst *[]string) any
	// IsForeignKey reports whether err is a foreign key violation.
	IsForeignKey func(err error) bool

	// CreateMigrations creates schema_migrations (version, name,
	// applied_at) if it does not exist.
	CreateMigrations string
	// InsertEvent adds an event ($1 ticket ID, $2 at, $3 actor, $4 kind,
	// $5 field, $6 before, $7 after, $8 text) RETURNING id; an event on a
	// missing ticket fails with a foreign key violation or returns no row.
	InsertEvent string
	// InsertOutbox adds a message ($1 key, $2-$4 to, $5 user ID, $6 ticket
	// ID, $7 text, $8 buttons, $9 created, $10 next attempt, $11 edit key,
	// $12 thread key, $13 lane, $14 mentions) unless its key is taken,
	// RETURNING id; a message about a missing ticket fails with a foreign
	// key violation or returns no row.
	InsertOutbox string
	// MajorOnly is the condition that selects major incidents, written so
	// that the database uses its index of them.
	MajorOnly string
	// FieldText is the expression of the text of Ticket.Fields[key] in
	// the tickets.fields column, '' when unset; key is a constant of ours.
	FieldText func(key string) string
	// ByteOrder follows a text column in ORDER BY so that it sorts by
	// bytes, as Go does, whatever the database's locale.
	ByteOrder string
}

// dbTime is t as stored, NULL for the zero time.
func (d *Dialect) dbTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return d.Time(t)
}

// wrap prefixes err with the database and what failed.
func (d *Dialect) wrap(op string, err error) error {
	return fmt.Errorf("%s: %s: %w", d.Name, op, err)
}

// Stored is t as it reads back from either database: UTC, truncated to the
// microsecond.
func Stored(t time.Time) time.Time { return time.UnixMicro(t.UnixMicro()).UTC() }

// timeCol scans a stored time into *t, in UTC; NULL is the zero time.
// SQLite stores microseconds since the Unix epoch as an integer; pgx hands
// over a timestamptz as a time.Time.
type timeCol struct{ t *time.Time }

// Scan implements sql.Scanner, which pgx calls too.
func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.t = time.Time{}
	case int64:
		*c.t = time.UnixMicro(v).UTC()
	case time.Time:
		*c.t = v.UTC()
	default:
		return fmt.Errorf("time column holds %T, not a time", src)
	}
	return nil
}

// idCol scans a nullable reference into *id, 0 for NULL.
type idCol struct{ id *int64 }

// Scan implements sql.Scanner.
func (c idCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.id = 0
	case int64:
		*c.id = v
	default:
		return fmt.Errorf("id column holds %T, not an integer", src)
	}
	return nil
}

// dbID stores 0 as NULL, a reference to no ticket, which passes the
// foreign key.
func dbID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// defaultLimit is the number of rows a list returns when the caller gives no
// limit, as tickets.TicketFilter documents.
const defaultLimit = 100

// limitOr is limit, or defaultLimit when it is 0 or less.
func limitOr(limit int) int64 {
	if limit <= 0 {
		return defaultLimit
	}
	return int64(limit)
}
