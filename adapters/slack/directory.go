package slack

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// maxCachedUsers bounds the profile cache; past it, the cache starts over.
const maxCachedUsers = 20000

// directory knows who people are: their Slack profile (users.info, for the
// name and email the intake prefills), the configured user groups they are
// in (usergroups.users.list, for agents named by group) and their DM
// channel with the bot (conversations.open). Everything is cached: profiles
// and memberships for ttl, DM channels for the process's life.
type directory struct {
	api    api
	groups []string
	ttl    time.Duration
	now    func() time.Time
	log    *slog.Logger

	mu    sync.Mutex
	users map[string]cachedUser
	dms   map[string]string // user ID → DM channel ID

	// refresh serialises group reloads so a burst of events loads once.
	refresh   sync.Mutex
	members   map[string]map[string]bool // group ID → member user IDs
	groupsAt  time.Time                  // when members was loaded; zero before
	groupsTry time.Time                  // last attempt, to space out retries
}

type cachedUser struct {
	p  tickets.Person
	at time.Time
}

func newDirectory(c api, groups []string, ttl time.Duration, now func() time.Time, log *slog.Logger) *directory {
	return &directory{api: c, groups: groups, ttl: ttl, now: now, log: log,
		users: map[string]cachedUser{}, dms: map[string]string{}}
}

// person returns the Slack user id as a help desk person, with their name,
// email and agent groups. When Slack cannot be asked it still returns the
// ID, so the intake asks for what it lacks instead of failing.
func (d *directory) person(ctx context.Context, id string) tickets.Person {
	p := d.profile(ctx, id)
	p.Groups = d.groupsOf(ctx, id)
	return p
}

func (d *directory) profile(ctx context.Context, id string) tickets.Person {
	now := d.now()
	d.mu.Lock()
	c, ok := d.users[id]
	d.mu.Unlock()
	if ok && now.Sub(c.at) < d.ttl {
		return c.p
	}
	p := tickets.Person{Platform: Platform, UserID: id}
	u, err := d.api.GetUserInfoContext(ctx, id)
	if err != nil {
		d.log.Warn("slack: users.info failed; going on with the user ID", "user", id, "err", err)
		if ok {
			return c.p // stale beats nothing
		}
		return p
	}
	p.Name = u.Profile.DisplayName
	if p.Name == "" {
		p.Name = u.RealName
	}
	if p.Name == "" {
		p.Name = u.Name
	}
	p.Contact = u.Profile.Email
	d.mu.Lock()
	if len(d.users) >= maxCachedUsers {
		d.users = map[string]cachedUser{}
	}
	d.users[id] = cachedUser{p: p, at: now}
	d.mu.Unlock()
	return p
}

// groupsOf returns the configured groups user id is a member of.
func (d *directory) groupsOf(ctx context.Context, id string) []string {
	if len(d.groups) == 0 {
		return nil
	}
	d.loadGroups(ctx)
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []string
	for g, ms := range d.members {
		if ms[id] {
			out = append(out, g)
		}
	}
	sort.Strings(out)
	return out
}

// loadGroups reloads group memberships when they are older than ttl. A
// failed reload keeps the old memberships and is retried after a minute at
// most.
func (d *directory) loadGroups(ctx context.Context) {
	now := d.now()
	d.mu.Lock()
	fresh := !d.groupsAt.IsZero() && now.Sub(d.groupsAt) < d.ttl
	d.mu.Unlock()
	if fresh {
		return
	}
	d.refresh.Lock()
	defer d.refresh.Unlock()
	d.mu.Lock()
	fresh = !d.groupsAt.IsZero() && now.Sub(d.groupsAt) < d.ttl
	recentTry := !d.groupsTry.IsZero() && now.Sub(d.groupsTry) < min(d.ttl, time.Minute)
	d.mu.Unlock()
	if fresh || recentTry {
		return
	}
	members := map[string]map[string]bool{}
	var failed error
	for _, g := range d.groups {
		ids, err := d.api.GetUserGroupMembersContext(ctx, g)
		if err != nil {
			failed = fmt.Errorf("slack: usergroups.users.list %s: %w", g, err)
			break
		}
		set := make(map[string]bool, len(ids))
		for _, u := range ids {
			set[u] = true
		}
		members[g] = set
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.groupsTry = now
	if failed != nil {
		d.log.Warn("slack: agent group membership not refreshed; using what was known", "err", failed)
		return
	}
	d.members, d.groupsAt = members, now
}

// dm returns the DM channel between the bot and user id.
func (d *directory) dm(ctx context.Context, id string) (string, error) {
	d.mu.Lock()
	ch, ok := d.dms[id]
	d.mu.Unlock()
	if ok {
		return ch, nil
	}
	c, _, _, err := d.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{id}, ReturnIM: true})
	if err != nil {
		return "", fmt.Errorf("slack: conversations.open: %w", err)
	}
	d.mu.Lock()
	if len(d.dms) >= maxCachedUsers {
		d.dms = map[string]string{}
	}
	d.dms[id] = c.ID
	d.mu.Unlock()
	return c.ID, nil
}
