package sqlite

import (
	"path/filepath"
	"testing"

	"github.com/helpdesk-bot/helpdesk/tickets/storetest"
)

func TestKBStore(t *testing.T) {
	storetest.RunKB(t,
		func(t *testing.T) string { return filepath.Join(t.TempDir(), "helpdesk.db") },
		func(t *testing.T, path string) storetest.KBStore { return open(t, path) })
}
