// Package pgtest gives tests an empty PostgreSQL database of their own on
// the server the test machine runs, so tests never see each other's data
// and can run again and again.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL names the variable that overrides DefaultURL: the URL of a
// database on the server to use, whose user may create databases.
const EnvURL = "HELPDESK_TEST_POSTGRES"

// DefaultURL is the local server tests use by default: user postgres,
// trust authentication.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// Database creates an empty database for t, drops it when t ends, and
// returns its URL. It skips t when no server answers within a few seconds:
// a machine without PostgreSQL runs the rest of the tests.
func Database(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(EnvURL)
	if admin == "" {
		admin = DefaultURL
	}
	u, err := url.Parse(admin)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("pgtest: %s is not a postgres:// URL", EnvURL)
	}
	conn := connect(t, admin)
	b := make([]byte, 6)
	rand.Read(b)
	name := "helpdesk_test_" + hex.EncodeToString(b)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = conn.Exec(ctx, `CREATE DATABASE `+name)
	conn.Close(ctx)
	if err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn := connect(t, admin)
		defer conn.Close(ctx)
		// FORCE ends connections a failed test left open.
		if _, err := conn.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}

// connect connects to the admin database, skipping t when no server
// answers.
func connect(t testing.TB, admin string) *pgx.Conn {
	t.Helper()
	cfg, err := pgx.ParseConfig(admin)
	if err != nil {
		t.Fatalf("pgtest: %s does not parse", EnvURL)
	}
	cfg.ConnectTimeout = 3 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Skipf("pgtest: no PostgreSQL server reachable (set %s to use one): %v", EnvURL, err)
	}
	return conn
}
