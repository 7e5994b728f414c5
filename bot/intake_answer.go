package bot

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Where a message goes when it may not start a report: an answer to an
// agent's reply or to a ticket waiting on the person, an update just after
// a ticket opened, or the next message of a run already added to a ticket.
// describe asks these in turn: pending, awaiting an answer, thanks, the run
// followed, a follow-up naming nothing, just opened.

// linked is a ticket a conversation's message was added to: since when
// its messages have gone there, and whether as answers to the desk.
type linked struct {
	id        int64
	since     time.Time
	answering bool
}

// followed is the ticket the conversation's last message was added to
// (t.prev), while that run of messages is within the update window of its
// first and the ticket is still active. The window does not slide: a chat
// that goes on and on about other things starts reports again.
func (b *Bot) followed(ctx context.Context, tx tickets.Tx, t *turn) (*tickets.Ticket, bool, error) {
	p := t.prev
	if p == nil || b.now().Sub(p.since) > b.conf().UpdateWindow {
		return nil, false, nil
	}
	tk, err := tx.Ticket(ctx, p.id)
	if isNotFound(err) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	return tk, slices.Contains(activeStatuses, tk.Status), nil
}

// runSince is when the run of messages the conversation's last one belongs
// to began (zero for none): a reply older than that is not what the person
// is answering now.
func (b *Bot) runSince(t *turn) time.Time {
	if p := t.prev; p != nil && b.now().Sub(p.since) <= b.conf().UpdateWindow {
		return p.since
	}
	return time.Time{}
}

// followLinked adds the message of t to the ticket followed (see
// followed) unless it is plainly another problem (by the lenient test
// when the run answers the desk): "ok, trying now" then "on my phone it
// connects" both answer the agent. ok is false when the message is a
// report of its own.
func (b *Bot) followLinked(ctx context.Context, tx tickets.Tx, t *turn, s *intakeState) (replies []chat.Reply, ok bool, err error) {
	tk, ok, err := b.followed(ctx, tx, t)
	if err != nil || !ok || b.otherProblem(t, tk, t.prev.answering) {
		return nil, false, err
	}
	b.report(s, t) // read as a report all the same, for "new"
	s.DupDone = true
	if _, _, err = b.linkDuplicate(ctx, tx, t.msg, s, tk, t.prev.answering); err != nil {
		return nil, false, err
	}
	s.LinkedAt = t.prev.since
	// The person was told where their last message went: a short line
	// says this one went there too.
	return []chat.Reply{{Text: b.render("followed", map[string]any{"Ticket": tk})}}, true, nil
}

// otherProblem reports whether the message of t is plainly a report of
// another problem than ticket open's, so it starts a report of its own
// even within the update window: a service request, or a message about
// another category, device or app ("and the printer on floor 2 is
// jammed" just after a VPN ticket). An answer to the desk (answering)
// names other devices, apps and places often enough ("at home, on my own
// Wi-Fi" about an Outlook ticket) that only a request, or a problem stated
// in another category, counts.
func (b *Bot) otherProblem(t *turn, open *tickets.Ticket, answering bool) bool {
	if rt, _, ok := b.matchRequest(t.msg.Text); ok {
		// A request after a request is another one unless it is for the
		// same catalog item: a new starter's account after an access
		// request is not an update to it.
		return open.Kind != tickets.KindRequest || rt.Name != open.RequestType
	}
	differs := func(said, known string) bool {
		return said != "" && known != "" && !strings.EqualFold(said, known)
	}
	if answering {
		return t.ex.Symptom != "" && differs(string(t.ex.Category), string(open.Category))
	}
	return differs(string(t.ex.Category), string(open.Category)) ||
		differs(t.ex.Device, open.Fields[tickets.FieldDevice]) ||
		differs(t.ex.App, open.Fields[tickets.FieldApp])
}

// activeHere returns the sender's active tickets reported from m's place,
// among their five newest.
func activeHere(ctx context.Context, tx tickets.Tx, m chat.Message) ([]*tickets.Ticket, error) {
	ts, err := tx.FindTickets(ctx, tickets.TicketFilter{Requester: m.User.Key(), Statuses: activeStatuses, Limit: 5})
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(ts, func(t *tickets.Ticket) bool { return t.Origin != m.Place() }), nil
}

// awaitingAnswer finds the ticket of ts on which an agent's reply to the
// requester is the last word: no message of theirs came after it (added
// to it, or added and moved away with "new"), and they have not opened
// another ticket here since, nor begun a run of messages to another ticket
// since (runSince), which would mean they moved on. Of several, the one
// replied to last.
func awaitingAnswer(ctx context.Context, tx tickets.Tx, ts []*tickets.Ticket, runSince time.Time) (*tickets.Ticket, bool, error) {
	newest := runSince
	said := make(map[int64]time.Time, len(ts)) // the requester's last message on each ticket
	for _, t := range ts {
		if t.CreatedAt.After(newest) {
			newest = t.CreatedAt
		}
		c, ok, err := latestEvent(ctx, tx, t.ID, tickets.EventComment)
		if err != nil {
			return nil, false, err
		} else if ok {
			said[t.ID] = c.At
		}
	}
	var best *tickets.Ticket
	var bestReply int64
	for _, t := range ts {
		reply, ok, err := latestEvent(ctx, tx, t.ID, tickets.EventReply)
		if err != nil {
			return nil, false, err
		} else if !ok {
			continue
		}
		if reply.At.Before(newest) || saidElsewhereSince(said, t.ID, reply.At) {
			continue
		}
		answered, err := answeredSince(ctx, tx, t, reply.ID)
		if err != nil {
			return nil, false, err
		}
		if !answered && reply.ID > bestReply {
			best, bestReply = t, reply.ID
		}
	}
	return best, best != nil, nil
}

// saidElsewhereSince reports whether the requester wrote on a ticket other
// than id after at: they moved on from a reply sent then.
func saidElsewhereSince(said map[int64]time.Time, id int64, at time.Time) bool {
	for other, when := range said {
		if other != id && when.After(at) {
			return true
		}
	}
	return false
}

// lastAnswered is the ticket of ts on which the requester last answered an
// agent (their message came after the agent's latest reply), within a day.
func (b *Bot) lastAnswered(ctx context.Context, tx tickets.Tx, ts []*tickets.Ticket) (*tickets.Ticket, bool, error) {
	var best *tickets.Ticket
	var bestAt time.Time
	for _, t := range ts {
		reply, replied, err := latestEvent(ctx, tx, t.ID, tickets.EventReply)
		if err != nil {
			return nil, false, err
		}
		c, said, err := latestEvent(ctx, tx, t.ID, tickets.EventComment)
		if err != nil {
			return nil, false, err
		}
		if replied && said && c.ID > reply.ID && b.now().Sub(c.At) < 24*time.Hour && c.At.After(bestAt) {
			best, bestAt = t, c.At
		}
	}
	return best, best != nil, nil
}

// answeredSince reports whether the requester of ticket id wrote after
// event after: a comment (only the requester's side writes those), or a
// message of theirs moved away with "new" (a link of another report, a
// merge or a storm is no answer).
func answeredSince(ctx context.Context, tx tickets.Tx, t *tickets.Ticket, after int64) (bool, error) {
	id := t.ID
	said, ok, err := latestEvent(ctx, tx, id, tickets.EventComment)
	if err != nil || ok && said.ID > after {
		return ok, err
	}
	linked, ok, err := latestEvent(ctx, tx, id, tickets.EventLinked)
	if err != nil || !ok || linked.ID <= after {
		return false, err
	}
	if linked.Field == movedField {
		return true, nil
	}
	// Another link came last; a moved message may lie before it. Rare
	// enough to read the events, but for a major incident, whose links are
	// thousands in a storm: there, it counts as not answered.
	if t.Major {
		return false, nil
	}
	evs, err := tx.Events(ctx, id)
	if err != nil {
		return false, err
	}
	for _, e := range evs {
		if e.ID > after && e.Kind == tickets.EventLinked && e.Field == movedField {
			return true, nil
		}
	}
	return false, nil
}

// justOpened finds the ticket of ts opened within the update window, the
// newest.
func (b *Bot) justOpened(ts []*tickets.Ticket) (*tickets.Ticket, bool) {
	since := b.now().Add(-b.conf().UpdateWindow)
	var best *tickets.Ticket
	for _, t := range ts {
		if !t.CreatedAt.Before(since) && (best == nil || t.CreatedAt.After(best.CreatedAt)) {
			best = t
		}
	}
	return best, best != nil
}

// latestEvent is the event of kind last added to ticket id; ok is false
// when it has none.
func latestEvent(ctx context.Context, tx tickets.Tx, id int64, kind tickets.EventKind) (e *tickets.Event, ok bool, err error) {
	e, err = tx.LatestEvent(ctx, id, kind)
	if isNotFound(err) {
		return nil, false, nil
	}
	return e, err == nil, err
}
