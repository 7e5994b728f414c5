package storetest

import (
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// testInbox checks the inbox: a key is recorded once (a redelivery is
// told apart), claims take the head of each lane only, a claim hides the
// event until it runs out (a crashed worker's event comes back), a
// finished event is never claimed again and its lane moves on, and
// ForgetEvents drops handled events only.
func testInbox(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	rec := func(key, lane string) *tickets.InboundEvent {
		t.Helper()
		e := &tickets.InboundEvent{Key: key, Kind: "test:message", Lane: lane, Payload: []byte(`{"text":"` + key + `"}`), Received: base}
		first, err := s.RecordInbound(ctx, e)
		ok(t, err, "RecordInbound "+key)
		if !first || e.ID == 0 {
			t.Fatalf("RecordInbound(%s) = %v, id %d; want a new event", key, first, e.ID)
		}
		return e
	}
	a1, b1 := rec("a1", "lane-a"), rec("b1", "lane-b")
	a2 := rec("a2", "lane-a")
	again := &tickets.InboundEvent{Key: "a1", Kind: "test:message", Lane: "lane-a", Payload: []byte("other")}
	if first, err := s.RecordInbound(ctx, again); err != nil || first || again.ID != 0 {
		t.Errorf("a redelivery recorded again: first %v, id %d, err %v", first, again.ID, err)
	}
	wantCode(t, func() error { _, err := s.RecordInbound(ctx, &tickets.InboundEvent{Kind: "x"}); return err }(), tickets.EINVALID, "RecordInbound without a key")

	ids := func(es []*tickets.InboundEvent) []int64 {
		var out []int64
		for _, e := range es {
			out = append(out, e.ID)
		}
		return out
	}
	got, err := s.ClaimInbound(ctx, at(time.Second), at(time.Minute), 10)
	ok(t, err, "ClaimInbound")
	if len(got) != 2 || got[0].ID != a1.ID || got[1].ID != b1.ID {
		t.Fatalf("first claim = %v, want the heads of both lanes %v", ids(got), []int64{a1.ID, b1.ID})
	}
	if string(got[0].Payload) != `{"text":"a1"}` || got[0].Kind != "test:message" || got[0].Lane != "lane-a" || got[0].Attempts != 1 || !got[0].Received.Equal(time.UnixMicro(base.UnixMicro())) {
		t.Errorf("claimed event = %+v", got[0])
	}
	if got, _ := s.ClaimInbound(ctx, at(2*time.Second), at(time.Minute), 10); len(got) != 0 {
		t.Errorf("claimed again while claimed: %v", ids(got))
	}
	ok(t, s.FinishInbound(ctx, a1.ID, at(3*time.Second)), "FinishInbound")
	got, err = s.ClaimInbound(ctx, at(4*time.Second), at(time.Minute), 10)
	ok(t, err, "ClaimInbound after finishing")
	if len(got) != 1 || got[0].ID != a2.ID {
		t.Errorf("after a1 finished, claim = %v, want a2 (%d)", ids(got), a2.ID)
	}
	// A released claim is free at once.
	ok(t, s.ReleaseInbound(ctx, a2.ID), "ReleaseInbound")
	got, err = s.ClaimInbound(ctx, at(5*time.Second), at(time.Minute), 10)
	ok(t, err, "ClaimInbound after a release")
	if len(got) != 1 || got[0].ID != a2.ID || got[0].Attempts != 2 {
		t.Errorf("after releasing a2, claim = %+v, want a2 again", got)
	}
	// b1's claim runs out (its worker died): it comes back, a second attempt.
	got, err = s.ClaimInbound(ctx, at(2*time.Minute), at(3*time.Minute), 10)
	ok(t, err, "ClaimInbound after the claims ran out")
	if len(got) != 2 || got[0].ID != b1.ID || got[0].Attempts != 2 || got[1].ID != a2.ID {
		t.Errorf("after the claims ran out = %+v, want b1 on its second attempt and a2", got)
	}
	ok(t, s.FinishInbound(ctx, b1.ID, at(2*time.Minute)), "FinishInbound b1")
	ok(t, s.FinishInbound(ctx, a2.ID, at(2*time.Minute)), "FinishInbound a2")
	if got, _ := s.ClaimInbound(ctx, at(time.Hour), at(2*time.Hour), 10); len(got) != 0 {
		t.Errorf("handled events claimed: %v", ids(got))
	}
	wantCode(t, s.FinishInbound(ctx, 999999, at(time.Hour)), tickets.ENOTFOUND, "FinishInbound of no event")
	// A handled event is still recognised until forgotten.
	if first, _ := s.RecordInbound(ctx, &tickets.InboundEvent{Key: "a1", Kind: "test:message", Lane: "lane-a"}); first {
		t.Error("a redelivery after handling recorded as new")
	}
	waiting := rec("c1", "lane-c")
	n, err := s.ForgetEvents(ctx, at(time.Hour))
	ok(t, err, "ForgetEvents")
	if n != 3 {
		t.Errorf("ForgetEvents dropped %d, want the 3 handled events", n)
	}
	got, err = s.ClaimInbound(ctx, at(2*time.Hour), at(3*time.Hour), 10)
	ok(t, err, "ClaimInbound after ForgetEvents")
	if len(got) != 1 || got[0].ID != waiting.ID {
		t.Errorf("after ForgetEvents = %v, want the unhandled c1 kept", ids(got))
	}
}
