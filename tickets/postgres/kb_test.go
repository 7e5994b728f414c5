package postgres

import (
	"testing"

	"github.com/helpdesk-bot/helpdesk/tickets/postgres/pgtest"
	"github.com/helpdesk-bot/helpdesk/tickets/storetest"
)

// The knowledge-base part of the conformance suite, each test on a fresh
// database.
func TestKBStore(t *testing.T) {
	storetest.RunKB(t, func(t *testing.T) string { return pgtest.Database(t) },
		func(t *testing.T, url string) storetest.KBStore { return open(t, url) })
}
