package storetest

import (
	"testing"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// HoldTx opens a write transaction of s that writes nothing and stays open
// until release, which fails t if the transaction did: for checking what
// another store on the same database (another process) can do meanwhile.
func HoldTx(t *testing.T, s tickets.Store) (release func()) {
	t.Helper()
	began, done := make(chan struct{}), make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		errc <- s.InTx(t.Context(), func(tickets.Tx) error {
			close(began)
			<-done
			return nil
		})
	}()
	<-began
	return func() {
		t.Helper()
		close(done)
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
}

// Opened returns a store that open opens for tb, closed when tb ends; an
// error opening it fails tb.
func Opened[S interface{ Close() error }, TB testing.TB](tb TB, open func(TB) (S, error)) S {
	tb.Helper()
	s, err := open(tb)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}
