package outbox

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// A burst of notifications about one message — a major incident's card
// edited and its thread told "X reported the same problem" for each of
// hundreds of reports — would take hundreds of posts to one channel, where
// Slack allows about one a second. The dispatcher merges such a burst
// when it reaches the head of its lane: every waiting edit of the card but
// the last is superseded (the last shows the card as it is now), and the
// waiting thread posts under it go out as one post of their lines.

// maxMerge bounds the messages one merge looks at.
const maxMerge = 200

// maxMergedText bounds a merged post, below one Slack section (3,000) so
// it stays one message there; Discord's adapter splits at its own limit.
const maxMergedText = 2800

// mergeTarget is the key of the message m is about (the card it edits or
// threads under), or "" when m cannot be merged.
func mergeTarget(m *tickets.OutboxMessage) string {
	switch {
	case m.Edit != "":
		return m.Edit
	case m.Thread != "" && len(m.Buttons) == 0:
		return m.Thread
	}
	return ""
}

// shape is a key with its numbers blanked: notifications of the same
// thing ("ticket:1:linked-12:57:thread", "ticket:1:linked-13:58:thread")
// share it, different news about a ticket (a claim, a note) do not.
func shape(key string) string {
	var b strings.Builder
	digits := false
	for _, r := range key {
		if r >= '0' && r <= '9' {
			if !digits {
				b.WriteByte('N')
			}
			digits = true
			continue
		}
		digits = false
		b.WriteRune(r)
	}
	return b.String()
}

// burst is the head of a lane with the due messages right behind it that
// are the same notification about the same target: edits of it, and
// button-less posts in its thread, each kind under keys of one shape, to
// the same place, within maxMergedText.
func (d *Dispatcher) burst(ctx context.Context, head *tickets.OutboxMessage) ([]*tickets.OutboxMessage, error) {
	target := mergeTarget(head)
	run := []*tickets.OutboxMessage{head}
	if target == "" {
		return run, nil
	}
	shapes := map[bool]string{head.Edit != "": shape(head.Key)} // edit or post → its shape
	sameKind := func(m *tickets.OutboxMessage) bool {
		isEdit := m.Edit != ""
		s, ok := shapes[isEdit]
		if !ok {
			shapes[isEdit] = shape(m.Key)
			return true
		}
		return s == shape(m.Key)
	}
	rest, err := d.Store.LaneOutbox(ctx, head.Lane(), head.ID, maxMerge)
	if err != nil {
		return nil, fmt.Errorf("outbox: burst: %w", err)
	}
	now := d.Now()
	text := 0
	if head.Edit == "" {
		text = len(head.Text)
	}
	for _, m := range rest {
		if m.NextAttempt.After(now) || m.To != head.To || m.UserID != head.UserID || mergeTarget(m) != target || !sameKind(m) {
			break
		}
		if m.Edit == "" {
			if text+1+len(m.Text) > maxMergedText {
				break
			}
			text += 1 + len(m.Text)
		}
		run = append(run, m)
	}
	return run, nil
}

// deliverBurst claims the messages of run behind its head (claimed
// already) and sends them as at most two messages: the thread posts
// merged into one, and the last edit. It returns as deliver does, for the
// head. Every claim runs until until, the head's.
func (d *Dispatcher) deliverBurst(ctx context.Context, run []*tickets.OutboxMessage, until time.Time) (done bool, err error) {
	claimed := run[:1]
	for _, m := range run[1:] {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		ok, err := d.Store.ClaimOutbox(cctx, m.ID, d.Now(), until)
		cancel()
		if err != nil || !ok {
			break // another dispatcher has it: merge what we hold
		}
		claimed = append(claimed, m)
	}
	var posts, edits []*tickets.OutboxMessage
	for _, m := range claimed {
		if m.Edit != "" {
			edits = append(edits, m)
		} else {
			posts = append(posts, m)
		}
	}
	if len(claimed) > 1 {
		d.Log.Info("outbox burst merged", "lane", claimed[0].Lane(), "messages", len(claimed), "posts", len(posts), "edits", len(edits))
	}
	headDone, headErr := false, error(nil)
	isHead := func(m *tickets.OutboxMessage) bool { return m.ID == claimed[0].ID }
	if len(posts) > 0 {
		merged := *posts[0]
		if len(posts) > 1 {
			lines := make([]string, len(posts))
			for i, p := range posts {
				lines[i] = p.Text
			}
			merged.Text = strings.Join(lines, "\n")
		}
		ok, err := d.deliver(ctx, &merged, until)
		if isHead(posts[0]) {
			headDone, headErr = ok, err
		}
		d.settle(ctx, posts[1:], ok && err == nil, posts[0].Key)
	}
	if len(edits) > 0 {
		last := edits[len(edits)-1]
		ok, err := d.deliver(ctx, last, until)
		if isHead(last) {
			headDone, headErr = ok, err
		}
		// The earlier edits are superseded by the last, sent or not: the
		// card is only ever wanted as it is now.
		d.settle(ctx, edits[:len(edits)-1], true, "")
		for _, m := range edits[:len(edits)-1] {
			if isHead(m) {
				headDone, headErr = true, nil
			}
		}
	}
	return headDone, headErr
}

// settle records what became of messages merged into another: sent with
// the reference of the message they went out with (refKey's), or, when
// that failed, released to be tried again at once.
func (d *Dispatcher) settle(ctx context.Context, ms []*tickets.OutboxMessage, sent bool, refKey string) {
	if len(ms) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	ref := ""
	if sent && refKey != "" {
		if m, err := d.Store.OutboxMessage(ctx, refKey); err == nil {
			ref = m.Ref
		}
	}
	for _, m := range ms {
		var err error
		if sent {
			err = d.Store.MarkSent(ctx, m.ID, d.Now(), ref)
			d.Stats.Merged.Add(1)
		} else {
			err = d.Store.MarkFailed(ctx, m.ID, "merged with a post that failed", d.Now())
		}
		if err != nil {
			d.Log.Error("outbox: settle a merged message", "id", m.ID, "err", err)
		}
	}
}
