package loadtest

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/adapters/discord/discordfake"
	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

// Labels of the buttons the Discord people press.
const (
	stillBroken = "Still broken"
	claimButton = "Claim"
)

// discordEmployee is one simulated person on Discord: the bot's answers
// in their DM (messages and interaction follow-ups) arrive on posts.
type discordEmployee = listener[discordfake.Post]

// converse runs employee i's conversation in their DM to its ticket (in a
// storm, to the bot's first answer).
func (r *discordRun) converse(ctx context.Context, i int) {
	e := &discordEmployee{user: fmt.Sprintf("61%016d", i), posts: make(chan discordfake.Post, 64)}
	dm := discordfake.DMChannel(e.user)
	r.mu.Lock()
	r.employees[dm] = e
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		delete(r.employees, dm)
		r.mu.Unlock()
	}()
	text := reports[i%len(reports)]
	if r.o.Storm != "" {
		text = r.o.Storm
	}
	var press *discordfake.Post
	for range maxSteps {
		if r.pace != nil && r.pace.Wait(ctx) != nil {
			return
		}
		at := time.Now()
		var err error
		if press != nil {
			var id string
			id, _, err = r.fake.Press(e.user, *press, stillBroken)
			if err == nil {
				r.sent(id, at) // an interaction: its callback is its ack
			}
		} else {
			_, err = r.fake.DM(e.user, text) // a gateway message: no ack
		}
		if err != nil {
			r.stray(err.Error())
			return
		}
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
		text, press, done = nextDiscord(got)
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

// nextDiscord is the employee's next move after the bot's answer: a
// text, a post whose "Still broken" to press, or done once the ticket is
// open.
func nextDiscord(got []discordfake.Post) (text string, press *discordfake.Post, done bool) {
	for _, p := range got {
		if strings.Contains(p.Text, "Ticket #") && strings.Contains(p.Text, "is open") {
			return "", nil, true
		}
	}
	last := got[len(got)-1]
	if _, ok := last.Button(stillBroken); ok {
		return "", &last, false
	}
	for _, a := range answers {
		if strings.Contains(last.Text, a.question) {
			return a.answer, nil, false
		}
	}
	return "", nil, false
}

// agent claims each triage card it takes, by its button, and resolves
// its ticket with /desk resolve.
func (r *discordRun) agent(ctx context.Context, id string) {
	for {
		var card discordfake.Post
		select {
		case card = <-r.cards:
		case <-ctx.Done():
			return
		}
		m := ticketNumber.FindStringSubmatch(card.Text)
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[1])
		at := time.Now()
		inter, ok, err := r.fake.Press(id, card, claimButton)
		if err != nil || !ok {
			continue
		}
		r.sent(inter, at)
		r.claims.Add(1)
		// Give the claim its turn before the resolution follows it.
		if chat.Sleep(ctx, r.quiet) != nil {
			return
		}
		at = time.Now()
		inter, err = r.fake.Command(id, discordfake.Triage, chat.SlashDesk, chat.ActionResolve, "ticket", n, "text", "Cleared the cached credentials; fixed (load test)")
		if err != nil {
			continue
		}
		r.sent(inter, at)
		r.resolves.Add(1)
	}
}

// openIncident has one employee report the storm's problem to a ticket and
// an agent declare it a major incident, before the storm.
func (r *discordRun) openIncident(ctx context.Context, agent string) error {
	storm := r.o.Storm
	r.o.Storm = "" // the first report is a whole conversation
	before := r.tickets.Load()
	r.converse(ctx, 999999)
	r.o.Storm = storm
	if r.tickets.Load() == before {
		return fmt.Errorf("the storm's first report %q did not become a ticket; pick a report the intake can finish", storm)
	}
	r.tickets.Add(-1)
	if _, err := r.fake.Command(agent, discordfake.Triage, chat.SlashDesk, "major", "ticket", 1, "service", service(storm)); err != nil {
		return fmt.Errorf("declare the major incident: %w", err)
	}
	return chat.Sleep(ctx, time.Second+4*r.o.Latency)
}
