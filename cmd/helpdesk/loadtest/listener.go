package loadtest

import (
	"context"
	"time"
)

// listener is one simulated person's side of the chat, on any platform:
// the bot's posts to them arrive on posts (P is the fake's post).
type listener[P any] struct {
	user  string
	posts chan P
}

// heard takes a post for the person; the fake's handler never waits.
func (e *listener[P]) heard(p P) {
	select {
	case e.posts <- p:
	default:
	}
}

// answer waits for the bot's answer: its first post, then the rest of it
// until quiet passes with nothing more.
func (e *listener[P]) answer(ctx context.Context, quiet time.Duration) ([]P, bool) {
	var got []P
	select {
	case p := <-e.posts:
		got = append(got, p)
	case <-time.After(answerWait):
		return nil, false
	case <-ctx.Done():
		return nil, false
	}
	for {
		select {
		case p := <-e.posts:
			got = append(got, p)
		case <-time.After(quiet):
			return got, true
		case <-ctx.Done():
			return got, true
		}
	}
}
