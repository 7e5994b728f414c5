package sqlstore

import "time"

// Dialect is what a database does its own way: how it stores the values
// whose types differ and the statements whose text cannot be shared.
type Dialect struct {
	// Time is a time as the database stores it (UTC microseconds either
	// way).
	Time func(t time.Time) any

	// CreateMigrations creates schema_migrations (version, name,
	// applied_at) if it does not exist.
	CreateMigrations string
}

// Stored is t as it reads back from either database: UTC, truncated to the
// microsecond.
func Stored(t time.Time) time.Time { return time.UnixMicro(t.UnixMicro()).UTC() }
