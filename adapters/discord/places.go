package discord

import (
	"context"
	"fmt"
	"sync"

	"github.com/bwmarrin/discordgo"
)

// channelInfo is what the adapter needs to know about a channel: whether it
// is a thread, under which channel, and who opened it.
type channelInfo struct {
	thread bool
	parent string
	owner  string
}

// places caches channel lookups. Without the GUILDS intent the gateway
// never says what a channel is, so the adapter asks once over REST and
// remembers; threads never change parent, so entries never go stale. The
// cache is bounded: when full it starts over.
type places struct {
	mu  sync.Mutex
	max int
	m   map[string]channelInfo
}

func newPlaces(max int) *places { return &places{max: max, m: map[string]channelInfo{}} }

// remember records what the adapter learned without asking (a thread it
// opened itself).
func (p *places) remember(id string, ci channelInfo) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.m) >= p.max {
		p.m = map[string]channelInfo{}
	}
	p.m[id] = ci
}

// lookup returns what channel id is, asking Discord when not cached.
func (p *places) lookup(ctx context.Context, rest api, id string) (channelInfo, error) {
	p.mu.Lock()
	ci, ok := p.m[id]
	p.mu.Unlock()
	if ok {
		return ci, nil
	}
	ch, err := rest.Channel(id, discordgo.WithContext(ctx))
	if err != nil {
		return channelInfo{}, fmt.Errorf("discord: channel %s: %w", id, err)
	}
	ci = channelInfo{thread: ch.IsThread(), parent: ch.ParentID, owner: ch.OwnerID}
	p.remember(id, ci)
	return ci, nil
}
