package sqlite

import "context"

// takeWaiting is a group commit's intake: it waits for one item of ch,
// then takes every other already waiting, up to max, in the order they
// came, into batch's storage. ok is false once ctx ends first.
func takeWaiting[T any](ctx context.Context, ch <-chan T, batch []T, max int) (_ []T, ok bool) {
	select {
	case <-ctx.Done():
		return batch[:0], false
	case v := <-ch:
		batch = append(batch[:0], v)
	}
	for len(batch) < max {
		select {
		case v := <-ch:
			batch = append(batch, v)
		default:
			return batch, true
		}
	}
	return batch, true
}
