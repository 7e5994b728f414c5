package loadtest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/helpdesk-bot/helpdesk/adapters/slack/slackfake"
)

// answerWait is how long an employee waits for the bot's answer before
// counting the message unanswered.
const answerWait = 2 * time.Minute

// runner is one run: the fake, the people and what they measured.
type runner struct {
	o       Options
	fake    *slackfake.Server
	pace    *rate.Limiter // nil: unpaced
	samples samples
	quiet   time.Duration // the gap after which an answer is complete

	mu        sync.Mutex
	employees map[string]*employee // by DM channel
	envelopes map[string]time.Time // envelope ID → when it was sent
	early     map[string]time.Time // envelope ID → ack that came before sent noted the send
	lastPost  atomic.Int64         // unix nanoseconds of the bot's last post
	lastSent  atomic.Int64         // … of the last employee message
	lastReply atomic.Int64         // … of the last answer an employee got
	strays    []string             // the bot's last words to the first conversations that went astray
	cards     chan slackfake.Post  // new triage cards, for the agents

	messages, unanswered, tickets, astray, claims, resolves, cardsSeen atomic.Int64
}

// Run starts the fake platform, has start run the bot against it, drives
// the employees and agents, and returns what it measured.
func Run(ctx context.Context, o Options, start Start) (*Report, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	r := &runner{o: o, employees: map[string]*employee{}, envelopes: map[string]time.Time{}, early: map[string]time.Time{},
		cards: make(chan slackfake.Post, o.Reports+16), quiet: 30*time.Millisecond + 2*o.Latency}
	if o.Rate > 0 {
		r.pace = rate.NewLimiter(rate.Limit(o.Rate), 1)
	}
	fake, err := slackfake.Start(slackfake.Options{Latency: o.Latency, Limits: o.Limits, OnPost: r.onPost, OnAck: r.onAck})
	if err != nil {
		return nil, err
	}
	defer fake.Close()
	r.fake = fake
	agents := make([]string, o.Agents)
	for i := range agents {
		agents[i] = fmt.Sprintf("UAGENT%02d", i+1)
	}
	botCtx, stopBot := context.WithCancel(ctx)
	wait, err := start(botCtx, Target{Platform: o.Platform, Triage: triageChannel, Agents: agents, Env: map[string]string{
		"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_APP_TOKEN": "xapp-bench", "SLACK_API_URL": fake.APIURL(),
	}})
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
	time.Sleep(200 * time.Millisecond) // auth.test and the start-up checks

	rep := &Report{Options: o}
	cpu0, _ := cpuTime()
	begin := time.Now()
	if o.Storm != "" {
		if err := r.openIncident(ctx, agents[0]); err != nil {
			return nil, err
		}
	}
	var agentsWG sync.WaitGroup
	agentCtx, stopAgents := context.WithCancel(ctx)
	// In a storm the incident stays open: resolving its card would end
	// the storm before it began.
	for _, a := range agents {
		if o.Storm == "" {
			agentsWG.Go(func() { r.agent(agentCtx, a) })
		}
	}
	employ(ctx, r.o, r.converse)
	r.settle(ctx)
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
	r.mu.Lock()
	rep.Strays = r.strays
	r.mu.Unlock()
	r.samples.mu.Lock()
	rep.Ack, rep.Reply, rep.ReplySent = r.samples.ack, r.samples.rep, r.samples.timed
	r.samples.mu.Unlock()
	rep.Fake = fake.Stats()
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

// employ runs o.Reports conversations (converse(i) for the ith), o.Employees
// at a time, on either platform.
func employ(ctx context.Context, o Options, converse func(ctx context.Context, i int)) {
	sem := make(chan struct{}, o.Employees)
	var wg sync.WaitGroup
	for i := range o.Reports {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return
		}
		wg.Go(func() {
			defer func() { <-sem }()
			converse(ctx, i)
		})
	}
	wg.Wait()
}

// settle waits until the bot has posted nothing for a while (the outbox
// drained, the agents' last actions answered), DrainWait at most.
func (r *runner) settle(ctx context.Context) {
	idle := max(2*time.Second, 10*r.o.Latency)
	ctx, cancel := context.WithTimeout(ctx, r.o.DrainWait)
	defer cancel()
	for ctx.Err() == nil {
		last := time.Unix(0, r.lastPost.Load())
		// In a storm no agent takes the cards.
		if time.Since(last) >= idle && (len(r.cards) == 0 || r.o.Storm != "") {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// onPost routes each of the bot's posts: a DM to its employee, a new
// triage card to the agents.
func (r *runner) onPost(p slackfake.Post) {
	r.lastPost.Store(p.At.UnixNano())
	r.mu.Lock()
	e := r.employees[p.Channel]
	r.mu.Unlock()
	if e != nil {
		// An edit (the offer's buttons taken away once pressed) is no
		// answer.
		if p.Method != "chat.update" {
			e.heard(p)
		}
		return
	}
	if p.Channel == triageChannel && p.Method == "chat.postMessage" && p.ThreadTS == "" {
		if _, _, ok := p.Button("claim"); ok {
			r.cardsSeen.Add(1)
			select {
			case r.cards <- p:
			default: // more cards than reports: not ours to work
			}
		}
	}
}

// onAck records event→ack for the envelopes the run sent.
func (r *runner) onAck(id string, at time.Time) {
	r.mu.Lock()
	sent, ok := r.envelopes[id]
	delete(r.envelopes, id)
	if !ok {
		r.early[id] = at
	}
	r.mu.Unlock()
	if ok {
		r.samples.addAck(at.Sub(sent))
	}
}

// sent notes when an envelope went out, for its ack.
func (r *runner) sent(id string, at time.Time) {
	r.mu.Lock()
	acked, ok := r.early[id]
	if ok {
		delete(r.early, id)
	} else {
		r.envelopes[id] = at
	}
	r.mu.Unlock()
	if ok {
		r.samples.addAck(acked.Sub(at))
	}
}

// stray counts a conversation that went astray and keeps the first few
// answers that lost it, for the report.
func (r *runner) stray(last string) {
	r.astray.Add(1)
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.strays) < 3 {
		r.strays = append(r.strays, last)
	}
}
