package tickets

import (
	"context"
	"time"
)

// InboundEvent is an event a platform delivered (a message, a slash
// command, a button press), recorded before the platform is acknowledged so
// that a crash after the acknowledgement loses nothing and a redelivery is
// recognised by its Key. It is handled later, on a worker.
type InboundEvent struct {
	ID int64
	// Key is unique per platform event: its platform, kind and the
	// platform's ID for it ("slack:event:Ev123"). A redelivery has the same.
	Key string
	// Kind names the adapter's handler ("slack:message").
	Kind string
	// Lane orders events: of one lane, an event is handled only after the
	// ones recorded before it (one person in one conversation).
	Lane string
	// Payload is what the handler reads, as the adapter wrote it.
	Payload  []byte
	Received time.Time
	// Attempts counts the claims of the event; more than one means a
	// handler died (a crash) or ran past its claim.
	Attempts int
}

// Inbox is the durable record of inbound events, written before each is
// acknowledged and read by the workers that handle them.
type Inbox interface {
	// RecordInbound stores e and sets its ID; first is false when an event
	// with its Key was recorded before (a redelivery), and nothing changes.
	RecordInbound(ctx context.Context, e *InboundEvent) (first bool, err error)
	// ClaimInbound takes up to limit unhandled events that are first in
	// their lane and not claimed by another (or whose claim ran out by
	// now), oldest first, each until until; another claim sees them only
	// after until.
	ClaimInbound(ctx context.Context, now, until time.Time, limit int) ([]*InboundEvent, error)
	// ReleaseInbound gives up the claim on unhandled event id, so the next
	// claim may take it at once (a stopping process that never started
	// it).
	ReleaseInbound(ctx context.Context, id int64) error
	// FinishInbound records that event id was handled (its payload is
	// dropped; its key stays to recognise redeliveries until ForgetEvents).
	FinishInbound(ctx context.Context, id int64, at time.Time) error
}
