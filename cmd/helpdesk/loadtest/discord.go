package loadtest

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/helpdesk-bot/helpdesk/adapters/discord/discordfake"
	"github.com/helpdesk-bot/helpdesk/adapters/slack/slackfake"
)

// discordRun is one run over Discord: the shared runner's counters and
// samples, the fake Discord, and its people. Gateway messages have no
// acknowledgement on Discord, so event→ack is measured on interactions
// (button presses, slash commands): the dispatch to its callback.
type discordRun struct {
	*runner
	fake  *discordfake.Server
	cards chan discordfake.Post // new triage cards, for the agents

	mu        sync.Mutex
	employees map[string]*discordEmployee // by DM channel
}

// RunDiscord is Run over Discord: it starts the fake Discord with limits,
// has start run the bot against it, drives the employees (direct messages
// and the KB offer's buttons) and agents (Claim on the triage card, then
// /desk resolve), and returns what it measured.
func RunDiscord(ctx context.Context, o Options, limits discordfake.Limits, start Start) (*Report, error) {
	o.Platform = "discord"
	if err := o.check(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	r := &discordRun{runner: &runner{o: o, envelopes: map[string]time.Time{}, early: map[string]time.Time{},
		quiet: 30*time.Millisecond + 2*o.Latency}, cards: make(chan discordfake.Post, o.Reports+16),
		employees: map[string]*discordEmployee{}}
	if o.Rate > 0 {
		r.pace = rate.NewLimiter(rate.Limit(o.Rate), 1)
	}
	fake, err := discordfake.Start(discordfake.Options{Latency: o.Latency, Limits: limits, OnPost: r.onPost})
	if err != nil {
		return nil, err
	}
	defer fake.Close()
	r.fake = fake
	agents := make([]string, o.Agents)
	for i := range agents {
		agents[i] = fmt.Sprintf("6%017d", i+1)
	}
	botCtx, stopBot := context.WithCancel(ctx)
	wait, err := start(botCtx, Target{Platform: o.Platform, Triage: discordfake.Triage, Agents: agents,
		Env:      map[string]string{"DISCORD_BOT_TOKEN": "bench-token", "DISCORD_API_URL": fake.URL()},
		Settings: fmt.Sprintf("discord: {application_id: %q, guilds: [%q], help_channels: [%q]}\n", discordfake.AppID, discordfake.Guild, discordfake.Help)})
	if err != nil {
		stopBot()
		return nil, fmt.Errorf("start the bot: %w", err)
	}
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		stopBot()
		return wait()
	}
	defer func() { _ = stop() }()
	if err := fake.WaitConnected(ctx); err != nil {
		return nil, err
	}
	time.Sleep(200*time.Millisecond + 4*o.Latency) // the start-up checks and command registration

	rep := &Report{Options: o, Limits: limits.String()}
	cpu0, _ := cpuTime()
	begin := time.Now()
	if o.Storm != "" {
		if err := r.openIncident(ctx, agents[0]); err != nil {
			return nil, err
		}
	}
	var agentsWG sync.WaitGroup
	agentCtx, stopAgents := context.WithCancel(ctx)
	for _, a := range agents {
		if o.Storm == "" { // in a storm the incident stays open
			agentsWG.Go(func() { r.agent(agentCtx, a) })
		}
	}
	employ(ctx, r.o, r.converse)
	r.settleDiscord(ctx)
	stopAgents()
	agentsWG.Wait()
	rep.Elapsed = time.Since(begin)
	if last := r.lastReply.Load(); last > 0 {
		rep.Active = time.Unix(0, last).Sub(begin)
	}
	cpu1, rss := cpuTime()
	if last, post := r.lastSent.Load(), r.lastPost.Load(); last > 0 && post > last {
		rep.Drain = time.Duration(post - last)
	}
	rep.CPU, rep.PeakRSS, rep.Load = cpu1-cpu0, rss, loadAverage()
	rep.Messages, rep.Unanswered = int(r.messages.Load()), int(r.unanswered.Load())
	rep.Tickets, rep.Astray = int(r.tickets.Load()), int(r.astray.Load())
	rep.Claims, rep.Resolves = int(r.claims.Load()), int(r.resolves.Load())
	r.runner.mu.Lock()
	rep.Strays = r.strays
	r.runner.mu.Unlock()
	r.samples.mu.Lock()
	rep.Ack, rep.Reply, rep.ReplySent = r.samples.ack, r.samples.rep, r.samples.timed
	r.samples.mu.Unlock()
	st := fake.Stats()
	rep.Fake = discordStats(st)
	if limits.On() {
		refused := 0
		for _, n := range st.Limited {
			refused += n
		}
		rep.Limits += fmt.Sprintf(" (this run: %d refused by the global limit, %d by route buckets)", st.Global, refused-st.Global)
	}
	if err := stop(); err != nil {
		return rep, fmt.Errorf("the bot stopped with: %w", err)
	}
	rep.DBBytes = dbSize(o.DataDir)
	rep.Cards = int(r.cardsSeen.Load())
	if err := ctx.Err(); err != nil {
		return rep, fmt.Errorf("the run did not finish within %s; raise -timeout or lower the load", o.Timeout)
	}
	return rep, nil
}

// discordStats is the fake Discord's counts in the report's shape: routes
// for methods, and the triage channel under the name the report reads it
// by.
func discordStats(s discordfake.Stats) slackfake.Stats {
	rename := func(m map[string]int) map[string]int {
		if n, ok := m[discordfake.Triage]; ok {
			delete(m, discordfake.Triage)
			m[triageChannel] = n
		}
		return m
	}
	return slackfake.Stats{Calls: s.Calls, Limited: s.Limited, Posts: rename(s.Posts), PeakPerSecond: rename(s.PeakPerSecond)}
}

// onPost routes each of the bot's posts: an interaction's callback to
// event→ack, an answer in a DM to its employee, a new triage card to the
// agents.
func (r *discordRun) onPost(p discordfake.Post) {
	r.lastPost.Store(p.At.UnixNano())
	if p.Callback > 0 {
		r.onAck(p.Interaction, p.At)
	}
	r.mu.Lock()
	e := r.employees[p.Channel]
	r.mu.Unlock()
	if e != nil {
		if p.Answers() {
			e.heard(p)
		}
		return
	}
	if p.Channel == discordfake.Triage && p.Method == "POST" && p.Interaction == "" {
		if _, ok := p.Button("Claim"); ok {
			r.cardsSeen.Add(1)
			select {
			case r.cards <- p:
			default: // more cards than reports: not ours to work
			}
		}
	}
}

// settleDiscord waits until every ticket's triage card has come and been
// taken by an agent (outside a storm) and the bot has then posted nothing
// for a while, DrainWait at most. Under Discord's 5 messages per 5 s a
// channel's queue has gaps longer than the quiet alone would wait out.
func (r *discordRun) settleDiscord(ctx context.Context) {
	idle := max(2*time.Second, 10*r.o.Latency)
	ctx, cancel := context.WithTimeout(ctx, r.o.DrainWait)
	defer cancel()
	for ctx.Err() == nil {
		last := time.Unix(0, r.lastPost.Load())
		worked := r.o.Storm != "" || (r.cardsSeen.Load() >= r.tickets.Load() && len(r.cards) == 0)
		if worked && time.Since(last) >= idle {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}
