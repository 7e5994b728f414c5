package slack

import (
	"fmt"
	"sync"
	"testing"
)

// Requests of one lane are taken in the order read, each after the one
// before it; a lane held up holds up no other.
func TestLanesOrderWithinLaneOnly(t *testing.T) {
	l := newLanes()
	ctx := t.Context()
	held := make(chan struct{})
	var mu sync.Mutex
	var order []string
	note := func(s string) {
		mu.Lock()
		order = append(order, s)
		mu.Unlock()
	}
	l.run(ctx, "a", func() { <-held; note("a1") })
	for i := 2; i <= 5; i++ {
		l.run(ctx, "a", func() { note(fmt.Sprintf("a%d", i)) })
	}
	other := make(chan struct{})
	l.run(ctx, "b", func() { note("b1"); close(other) })
	<-other // lane b ran while a's first was held
	close(held)
	l.wait()
	want := []string{"b1", "a1", "a2", "a3", "a4", "a5"}
	if fmt.Sprint(order) != fmt.Sprint(want) {
		t.Errorf("order = %v, want %v", order, want)
	}
	if len(l.tail) != 0 {
		t.Errorf("%d lanes left behind", len(l.tail))
	}
}
