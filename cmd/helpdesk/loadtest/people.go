package loadtest

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/adapters/slack/slackfake"
	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

// reports are what the employees write first, in turn: each has a KB
// offer, so every conversation goes report → offer → Still broken →
// questions → ticket.
var reports = []string{
	"my outlook keeps asking for my password",
	"Outlook keeps asking for my password since the update",
	"my outlook won't stop asking for my password",
}

// answers are the employees' answers to the intake's questions, by a
// phrase of the question.
var answers = []struct{ question, answer string }{
	{"error message", "Outlook says: Need password"},
	{"When did this start", "this morning"},
	{"What have you tried", "I restarted Outlook, no change"},
	{"Who is affected", "just me"},
	{"How much is this stopping you", "I can't work at all"},
	{"Which device", "my laptop"},
	{"What exactly", "Outlook on my laptop keeps asking for my password"},
}

// maxSteps bounds one conversation: a script longer than this went astray.
const maxSteps = 16

// employee is one simulated person on Slack: the bot's posts to their DM
// arrive on posts.
type employee = listener[slackfake.Post]

// converse runs employee i's conversation to its ticket (in a storm, to
// the bot's first answer).
func (r *runner) converse(ctx context.Context, i int) {
	e := &employee{user: fmt.Sprintf("UE%06d", i), posts: make(chan slackfake.Post, 64)}
	r.mu.Lock()
	r.employees["D"+e.user] = e
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		delete(r.employees, "D"+e.user)
		r.mu.Unlock()
	}()
	text := reports[i%len(reports)]
	if r.o.Storm != "" {
		text = r.o.Storm
	}
	var press *slackfake.Post
	for range maxSteps {
		if r.pace != nil && r.pace.Wait(ctx) != nil {
			return
		}
		at := time.Now()
		var id string
		var err error
		if press != nil {
			id, _, err = r.fake.Press(e.user, *press, "kb_not_fixed")
		} else {
			id, err = r.fake.DM(e.user, text)
		}
		if err != nil {
			r.stray(err.Error())
			return
		}
		r.sent(id, at)
		r.lastSent.Store(at.UnixNano())
		got, ok := e.answer(ctx, r.quiet)
		if !ok {
			r.unanswered.Add(1)
			return
		}
		r.messages.Add(1)
		r.samples.addReply(at, got[0].At.Sub(at))
		r.lastReply.Store(got[0].At.UnixNano())
		if r.o.Storm != "" {
			r.tickets.Add(1)
			return
		}
		if chat.Sleep(ctx, r.o.Think) != nil {
			return
		}
		var done bool
		text, press, done = next(got)
		if done {
			r.tickets.Add(1)
			return
		}
		if text == "" && press == nil {
			r.stray(got[len(got)-1].Text)
			return
		}
	}
	r.stray("(the conversation ran past its steps)")
}

// next is the employee's next move after the bot's answer: a text, a
// button to press, or done once the ticket is open.
func next(got []slackfake.Post) (text string, press *slackfake.Post, done bool) {
	for _, p := range got {
		if strings.Contains(p.Text, "Ticket #") && strings.Contains(p.Text, "is open") {
			return "", nil, true
		}
	}
	last := got[len(got)-1]
	if _, _, ok := last.Button("kb_not_fixed"); ok {
		return "", &last, false
	}
	for _, a := range answers {
		if strings.Contains(last.Text, a.question) {
			return a.answer, nil, false
		}
	}
	return "", nil, false
}

// ticketNumber reads "#12" from a triage card.
var ticketNumber = regexp.MustCompile(`#(\d+)`)

// agent claims each triage card it takes and resolves its ticket.
func (r *runner) agent(ctx context.Context, id string) {
	for {
		var card slackfake.Post
		select {
		case card = <-r.cards:
		case <-ctx.Done():
			return
		}
		m := ticketNumber.FindStringSubmatch(card.Text)
		if m == nil {
			continue
		}
		at := time.Now()
		env, ok, err := r.fake.Press(id, card, "claim")
		if err != nil || !ok {
			continue
		}
		r.sent(env, at)
		r.claims.Add(1)
		// Give the claim its turn before the resolution follows it.
		if chat.Sleep(ctx, r.quiet) != nil {
			return
		}
		at = time.Now()
		env, err = r.fake.Command(id, triageChannel, "/desk", "resolve "+m[1]+" Cleared the cached credentials; fixed (load test)")
		if err != nil {
			continue
		}
		r.sent(env, at)
		r.resolves.Add(1)
	}
}

// openIncident has one employee report the storm's problem to a ticket and
// an agent declare it a major incident, before the storm.
func (r *runner) openIncident(ctx context.Context, agent string) error {
	storm := r.o.Storm
	r.o.Storm = "" // the first report is a whole conversation
	before := r.tickets.Load()
	r.converse(ctx, 999999)
	r.o.Storm = storm
	if r.tickets.Load() == before {
		return fmt.Errorf("the storm's first report %q did not become a ticket; pick a report the intake can finish", storm)
	}
	r.tickets.Add(-1)
	if _, err := r.fake.Command(agent, triageChannel, "/desk", "major 1 "+service(storm)); err != nil {
		return fmt.Errorf("declare the major incident: %w", err)
	}
	return chat.Sleep(ctx, time.Second+4*r.o.Latency)
}

// service is the word of a storm's report that names the service ("VPN").
func service(report string) string {
	for _, w := range strings.Fields(report) {
		if len(w) > 1 && strings.ToUpper(w) == w {
			return w
		}
	}
	return strings.Fields(report)[0]
}
