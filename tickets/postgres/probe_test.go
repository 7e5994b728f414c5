package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helpdesk-bot/helpdesk/tickets/postgres/pgtest"
)

// A role that may read the database but not write it is reported as such,
// with the schema still read.
func TestProbeReadOnlyRole(t *testing.T) {
	admin := pgtest.Database(t)
	s, err := Open(t.Context(), admin)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	b := make([]byte, 4)
	rand.Read(b)
	role := "helpdesk_ro_" + hex.EncodeToString(b)
	u, _ := url.Parse(admin)
	exec := func(stmts ...string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		for _, q := range stmts {
			if _, err := conn.Exec(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	exec(`CREATE ROLE `+role+` LOGIN`, `GRANT CONNECT ON DATABASE `+strings.TrimPrefix(u.Path, "/")+` TO `+role,
		`GRANT USAGE ON SCHEMA public TO `+role, `GRANT SELECT ON ALL TABLES IN SCHEMA public TO `+role)
	t.Cleanup(func() { exec(`DROP OWNED BY `+role, `DROP ROLE `+role) })

	ro := *u
	ro.User = url.User(role)
	got, err := Probe(t.Context(), ro.String())
	if err != nil {
		t.Fatal(err)
	}
	if got.Writes == nil || !strings.Contains(got.Writes.Error(), "permission denied") {
		t.Errorf("Writes = %v, want the refusal", got.Writes)
	}
	if got.Current != got.Latest || len(got.Pending) != 0 {
		t.Errorf("schema = %+v, want it read all the same", got)
	}
}
