package openai

import (
	"container/list"
	"sync"
)

// lru is a bounded cache of answers by request key, least recently used
// out first. Safe for concurrent use; size 0 keeps nothing.
type lru struct {
	mu    sync.Mutex
	size  int
	order *list.List // of *lruEntry, most recent at the front
	byKey map[string]*list.Element
}

type lruEntry struct{ key, value string }

func newLRU(size int) *lru {
	return &lru{size: size, order: list.New(), byKey: make(map[string]*list.Element)}
}

func (c *lru) get(key string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		return "", false
	}
	c.order.MoveToFront(e)
	return e.Value.(*lruEntry).value, true
}

func (c *lru) put(key, value string) {
	if c.size <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		e.Value.(*lruEntry).value = value
		c.order.MoveToFront(e)
		return
	}
	c.byKey[key] = c.order.PushFront(&lruEntry{key: key, value: value})
	for c.order.Len() > c.size {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.byKey, old.Value.(*lruEntry).key)
	}
}
