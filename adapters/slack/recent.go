package slack

import "sync"

// recent is a bounded set of strings that forgets the oldest first. The
// adapter keeps the event IDs it handled lately in one, so a Slack retry
// arriving while the first delivery is still being worked on is dropped
// before it reaches the core (which dedupes durably in its store).
type recent struct {
	mu    sync.Mutex
	max   int
	set   map[string]struct{}
	order []string // ring of keys in insertion order
	next  int
}

func newRecent(max int) *recent {
	return &recent{max: max, set: make(map[string]struct{}, max), order: make([]string, 0, max)}
}

// add records key and reports whether it was new.
func (r *recent) add(key string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.set[key]; ok {
		return false
	}
	if len(r.order) < r.max {
		r.order = append(r.order, key)
	} else {
		delete(r.set, r.order[r.next])
		r.order[r.next] = key
		r.next = (r.next + 1) % r.max
	}
	r.set[key] = struct{}{}
	return true
}

// has reports whether key is in the set.
func (r *recent) has(key string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.set[key]
	return ok
}
