package slack

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

// userAPI answers users.info from users; each answer waits for release
// when it is set, and the first refusals answers are 429.
type userAPI struct {
	api
	release  chan struct{}
	mu       sync.Mutex
	calls    int
	refusals int
}

func (u *userAPI) GetUserInfoContext(ctx context.Context, id string, _ ...slack.GetUserInfoOption) (*slack.User, error) {
	u.mu.Lock()
	u.calls++
	refuse := u.refusals > 0
	if refuse {
		u.refusals--
	}
	u.mu.Unlock()
	if u.release != nil {
		select {
		case <-u.release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if refuse {
		return nil, &slack.RateLimitedError{RetryAfter: time.Second}
	}
	return &slack.User{ID: id, Name: "dana", Profile: slack.UserProfile{DisplayName: "Dana", Email: "dana@example.com"}}, nil
}

func (u *userAPI) count() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.calls
}

// waitProfile asks for id's profile until it has a name (the background
// look-up has answered), or fails the test after a while.
func waitProfile(t *testing.T, d *directory, id string) {
	t.Helper()
	for range 200 {
		if p := d.profile(t.Context(), id); p.Name != "" {
			if p.Name != "Dana" || p.Contact != "dana@example.com" {
				t.Fatalf("profile = %+v", p)
			}
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the profile of %s never arrived", id)
}

// Handling an event does not wait on a users.info that Slack is slow to
// answer: it goes on with the user ID, the look-up is made once however
// many events ask, and its answer serves the next events.
func TestProfileNeverWaitsOnSlowLookup(t *testing.T) {
	u := &userAPI{release: make(chan struct{})}
	d := newDirectory(u, nil, time.Hour, time.Now, slog.New(slog.DiscardHandler))
	d.prefetch("U1")
	for range 3 {
		// users.info is held until release: these return with the ID.
		if p := d.profile(t.Context(), "U1"); p.UserID != "U1" || p.Name != "" || p.Contact != "" {
			t.Fatalf("profile while users.info is held = %+v, want the bare ID", p)
		}
	}
	close(u.release)
	waitProfile(t, d, "U1")
	if n := u.count(); n != 1 {
		t.Errorf("users.info called %d times for one person, want 1", n)
	}
}

// A users.info refused with 429 is tried again in the background after
// Retry-After, not by each event of the person.
func TestProfileRetriedAfterRateLimit(t *testing.T) {
	u := &userAPI{refusals: 1}
	d := newDirectory(u, nil, time.Hour, time.Now, slog.New(slog.DiscardHandler))
	if p := d.profile(t.Context(), "U2"); p.Name != "" {
		t.Fatalf("profile refused by Slack = %+v, want the bare ID", p)
	}
	if p := d.profile(t.Context(), "U2"); p.Name != "" {
		t.Fatalf("profile during Retry-After = %+v, want the bare ID", p)
	}
	if n := u.count(); n != 1 {
		t.Errorf("users.info called %d times during Retry-After, want 1", n)
	}
	waitProfile(t, d, "U2")
	if n := u.count(); n != 2 {
		t.Errorf("users.info called %d times, want 2 (the refusal and its retry)", n)
	}
}

// A 429 on users.info holds every look-up until Retry-After has passed:
// Slack limits the method, and in a storm of new people each asking on
// their own would only be refused again.
func TestProfileRateLimitHoldsEveryLookup(t *testing.T) {
	u := &userAPI{refusals: 1}
	d := newDirectory(u, nil, time.Hour, time.Now, slog.New(slog.DiscardHandler))
	d.profile(t.Context(), "U3") // refused: Retry-After 1 s
	for _, id := range []string{"U4", "U5", "U6"} {
		if p := d.profile(t.Context(), id); p.Name != "" {
			t.Fatalf("profile of %s during Retry-After = %+v, want the bare ID", id, p)
		}
	}
	if n := u.count(); n != 1 {
		t.Errorf("users.info called %d times during Retry-After, want 1 (the refused one)", n)
	}
	waitProfile(t, d, "U5")
}
