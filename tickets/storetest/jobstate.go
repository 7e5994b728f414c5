package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// testJobState checks that a job's state is saved, read back and replaced
// by name, and that a name never saved is ENOTFOUND.
func testJobState(t *testing.T, s tickets.Store) {
	ctx := t.Context()
	const name = "job:security-spike"
	_, err := s.JobState(ctx, name)
	wantCode(t, err, tickets.ENOTFOUND, "JobState before saving")

	ok(t, s.SetJobState(ctx, name, "1741942800", base), "SetJobState")
	ok(t, s.SetJobState(ctx, "job:other", "", base), "SetJobState of an empty value")
	for want, name := range map[string]string{"1741942800": name, "": "job:other"} {
		got, err := s.JobState(ctx, name)
		ok(t, err, "JobState")
		if got != want {
			t.Errorf("JobState(%q) = %q, want %q", name, got, want)
		}
	}

	ok(t, s.SetJobState(ctx, name, "1741946400", at(time.Hour)), "SetJobState again")
	got, err := s.JobState(ctx, name)
	ok(t, err, "JobState")
	if got != "1741946400" {
		t.Errorf("JobState after saving again = %q, want the new value", got)
	}
	wantCode(t, s.SetJobState(ctx, "", "x", base), tickets.EINVALID, "SetJobState without a name")
}

// testJobStateInTx checks that a transaction reads the state it saves and
// that a rolled back one keeps nothing, neither a new name nor a new value.
func testJobStateInTx(t *testing.T, s tickets.Store) {
	ctx := withTimeout(t)
	ok(t, s.SetJobState(ctx, "job:kept", "before", base), "SetJobState")
	errBoom := errors.New("boom")
	err := s.InTx(ctx, func(tx tickets.Tx) error {
		for _, name := range []string{"job:new", "job:kept"} {
			if err := tx.SetJobState(ctx, name, "after", at(time.Minute)); err != nil {
				return err
			}
			if got, err := tx.JobState(ctx, name); err != nil || got != "after" {
				t.Errorf("tx.JobState(%q) = %q, %v; want what tx saved", name, got, err)
			}
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("InTx returned %v, want fn's error", err)
	}
	_, err = s.JobState(ctx, "job:new")
	wantCode(t, err, tickets.ENOTFOUND, "JobState saved in a rolled back transaction")
	got, err := s.JobState(ctx, "job:kept")
	ok(t, err, "JobState")
	if got != "before" {
		t.Errorf("JobState changed in a rolled back transaction = %q, want %q", got, "before")
	}
}
