package slack

import (
	"context"
	"errors"
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
// name and email the intake prefills; looked up in the background, see
// profile), the configured user groups they are
// in (usergroups.users.list, for agents named by group) and their DM
// channel with the bot (conversations.open). Everything is cached: profiles
// and memberships for ttl, DM channels for the process's life.
type directory struct {
	api    api
	groups []string
	ttl    time.Duration
	now    func() time.Time
	log    *slog.Logger

	mu      sync.Mutex
	users   map[string]cachedUser
	lookups map[string]*lookup // users.info on its way, by user ID
	slots   chan struct{}      // a token per users.info in flight
	// limitedUntil is when Slack's last 429 on users.info runs out.
	limitedUntil time.Time
	dms          map[string]string // user ID → DM channel ID

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
		users: map[string]cachedUser{}, lookups: map[string]*lookup{}, slots: make(chan struct{}, maxLookups),
		dms: map[string]string{}}
}

// person returns the Slack user id as a help desk person, with their name,
// email and agent groups. When Slack cannot be asked it still returns the
// ID, so the intake asks for what it lacks instead of failing.
func (d *directory) person(ctx context.Context, id string) tickets.Person {
	p := d.profile(ctx, id)
	p.Groups = d.groupsOf(ctx, id)
	return p
}

// profileWait bounds how long handling an event waits for a person's
// users.info look-up that is still on its way (prefetch started it when
// the event arrived). Past it the event is handled with the user ID, and
// the profile serves the person's next messages.
const profileWait = 100 * time.Millisecond

// lookupRetries is how often a users.info refused with 429 is tried again
// (after Slack's Retry-After) in the background.
const lookupRetries = 3

// maxLookups bounds the users.info calls in flight at once.
const maxLookups = 8

// lookup is one person's users.info on its way: done is closed when its
// first attempt has answered, with p and ok (false: Slack refused or
// failed; a refused one may still be retried in the background).
type lookup struct {
	// started is closed once the call is on its way to Slack (it had a
	// slot); until then it waits behind maxLookups others.
	started chan struct{}
	done    chan struct{}
	p       tickets.Person
	ok      bool
}

// profile returns id's profile: cached when fresh; otherwise what a
// look-up (started here or by prefetch) brings within profileWait; else
// the stale profile or the bare ID. The look-up itself never runs on the
// caller's context: a burst of new people (an outage storm) costs each
// event at most profileWait, and a look-up Slack refuses is retried in
// the background, not by each of the person's events.
func (d *directory) profile(ctx context.Context, id string) tickets.Person {
	c, ok := d.cached(id)
	if ok && d.now().Sub(c.at) < d.ttl {
		return c.p
	}
	l := d.lookUp(id)
	// A look-up queued behind maxLookups others (a burst of new people)
	// would not answer within profileWait: the worker goes on at once
	// instead of spending that on every such event. One on its way, or
	// about to be (a slot is free), is worth the short wait.
	queued := false
	select {
	case <-l.started:
	default:
		queued = len(d.slots) == cap(d.slots)
	}
	if !queued {
		t := time.NewTimer(profileWait)
		defer t.Stop()
		select {
		case <-l.done:
			if l.ok {
				return l.p
			}
		case <-t.C:
		case <-ctx.Done():
		}
	}
	if ok {
		return c.p // stale beats nothing
	}
	return tickets.Person{Platform: Platform, UserID: id}
}

// prefetch starts looking up id's profile when it is not cached, so the
// answer is there when the event is handled. It never waits.
func (d *directory) prefetch(id string) {
	if id == "" {
		return
	}
	if c, ok := d.cached(id); ok && d.now().Sub(c.at) < d.ttl {
		return
	}
	d.lookUp(id)
}

func (d *directory) cached(id string) (cachedUser, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	c, ok := d.users[id]
	return c, ok
}

// lookUp returns id's look-up on its way, starting one when there is none.
func (d *directory) lookUp(id string) *lookup {
	d.mu.Lock()
	defer d.mu.Unlock()
	if l, ok := d.lookups[id]; ok {
		return l
	}
	l := &lookup{started: make(chan struct{}), done: make(chan struct{})}
	d.lookups[id] = l
	go d.fetch(id, l)
	return l
}

// fetch runs id's users.info, caches what it says, and tries again after
// Retry-After when Slack refuses with 429 (lookupRetries times at most).
// Until it ends, events of id join it rather than ask Slack again.
func (d *directory) fetch(id string, l *lookup) {
	defer func() {
		d.mu.Lock()
		delete(d.lookups, id)
		d.mu.Unlock()
	}()
	for try := 0; ; try++ {
		var onSlot func()
		if try == 0 {
			onSlot = func() { close(l.started) }
		}
		p, err := d.fetchOnce(id, onSlot)
		if err == nil {
			d.store(id, p)
		}
		if try == 0 {
			l.p, l.ok = p, err == nil
			close(l.done)
		}
		rl, limited := errors.AsType[*slack.RateLimitedError](err)
		switch {
		case err == nil:
			return
		case limited && try < lookupRetries:
			time.Sleep(min(max(rl.RetryAfter, time.Second), time.Minute))
			continue
		case limited:
			d.log.Debug("slack: users.info refused (429); going on with the user ID", "user", id)
		default:
			d.log.Warn("slack: users.info failed; going on with the user ID", "user", id, "err", err)
		}
		return
	}
}

// fetchOnce asks Slack for id's profile, one of maxLookups at a time. It
// runs on a goroutine of its own, where a panic would end the process: one
// is returned as an error.
func (d *directory) fetchOnce(id string, onSlot func()) (p tickets.Person, err error) {
	d.slots <- struct{}{}
	defer func() { <-d.slots }()
	if onSlot != nil {
		onSlot()
	}
	// After a 429, users.info waits out Retry-After for everyone: Slack
	// limits the method, not the person, and a storm of new people
	// retrying each on their own would only be refused again.
	d.mu.Lock()
	wait := d.limitedUntil.Sub(d.now())
	d.mu.Unlock()
	if wait > 0 {
		return tickets.Person{}, &slack.RateLimitedError{RetryAfter: wait}
	}
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("slack: users.info panicked: %v", v)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), lookupTimeout)
	defer cancel()
	u, err := d.api.GetUserInfoContext(ctx, id)
	if rl, ok := errors.AsType[*slack.RateLimitedError](err); ok {
		d.mu.Lock()
		if until := d.now().Add(rl.RetryAfter); until.After(d.limitedUntil) {
			d.limitedUntil = until
		}
		d.mu.Unlock()
	}
	if err != nil {
		return tickets.Person{}, err
	}
	p = tickets.Person{Platform: Platform, UserID: id, Name: u.Profile.DisplayName, Contact: u.Profile.Email}
	if p.Name == "" {
		p.Name = u.RealName
	}
	if p.Name == "" {
		p.Name = u.Name
	}
	return p, nil
}

// lookupTimeout bounds one users.info call.
const lookupTimeout = 10 * time.Second

// store caches id's profile p.
func (d *directory) store(id string, p tickets.Person) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.users) >= maxCachedUsers {
		d.users = map[string]cachedUser{}
	}
	d.users[id] = cachedUser{p: p, at: d.now()}
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
