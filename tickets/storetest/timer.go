package storetest

import (
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// testTimers checks that timers are replaced per ticket, come due in time
// order, and are taken once.
func testTimers(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	a := create(t, s, fullTicket("alice", base))
	b := create(t, s, fullTicket("bob", base))
	ok(t, s.SetTimers(ctx, a.ID, []tickets.Timer{
		{Kind: tickets.TimerResolveWarn, Due: at(2 * time.Hour)},
		{Kind: tickets.TimerResponseBreach, Due: at(time.Hour)},
	}), "SetTimers a")
	ok(t, s.SetTimers(ctx, b.ID, []tickets.Timer{{Kind: tickets.TimerStatusUpdate, Due: at(90 * time.Minute)}}), "SetTimers b")

	kinds := func(now time.Time) []string {
		t.Helper()
		ts, err := s.DueTimers(ctx, now, 100)
		ok(t, err, "DueTimers")
		out := []string{}
		for _, tm := range ts {
			out = append(out, string(tm.Kind))
		}
		return out
	}
	diff(t, "due before any", []string{}, kinds(at(59*time.Minute)))
	diff(t, "due at 1h", []string{"response_breach"}, kinds(at(time.Hour)))
	diff(t, "due at 3h", []string{"response_breach", "status_update", "resolve_warn"}, kinds(at(3*time.Hour)))

	// Setting again replaces the ticket's timers, not the other ticket's.
	ok(t, s.SetTimers(ctx, a.ID, []tickets.Timer{{Kind: tickets.TimerFollowUp, Due: at(24 * time.Hour)}}), "SetTimers again")
	diff(t, "due after replacing", []string{"status_update"}, kinds(at(3*time.Hour)))
	got, err := s.Timers(ctx, a.ID)
	ok(t, err, "Timers")
	if len(got) != 1 || got[0].Kind != tickets.TimerFollowUp || !got[0].Due.Equal(stored(at(24*time.Hour))) || got[0].TicketID != a.ID {
		t.Errorf("timers of a = %+v, want the follow-up only", got)
	}

	// A timer is taken once.
	due, err := s.DueTimers(ctx, at(3*time.Hour), 10)
	ok(t, err, "DueTimers")
	taken, err := s.TakeTimer(ctx, due[0].ID)
	ok(t, err, "TakeTimer")
	again, err := s.TakeTimer(ctx, due[0].ID)
	ok(t, err, "TakeTimer again")
	if !taken || again {
		t.Errorf("TakeTimer = %v then %v, want true then false", taken, again)
	}
	diff(t, "due after taking", []string{}, kinds(at(3*time.Hour)))

	ok(t, s.SetTimers(ctx, a.ID, nil), "SetTimers none")
	got, err = s.Timers(ctx, a.ID)
	ok(t, err, "Timers")
	if len(got) != 0 {
		t.Errorf("timers after clearing = %+v", got)
	}
	wantCode(t, s.SetTimers(ctx, 424242, []tickets.Timer{{Kind: tickets.TimerFollowUp, Due: base}}), tickets.ENOTFOUND, "SetTimers on a missing ticket")
	wantCode(t, s.SetTimers(ctx, a.ID, []tickets.Timer{{Kind: tickets.TimerFollowUp}}), tickets.EINVALID, "SetTimers without a due time")
}
