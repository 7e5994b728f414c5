// Package loadtest drives the real help desk the way a busy company would:
// simulated employees hold whole conversations with the bot (a report, the
// KB offer, "Still broken", the intake's questions, the ticket) and agents
// claim and resolve the tickets from the triage channel, all over the real
// platform client against a fake platform on loopback whose round-trip
// latency and rate limits are parameters. It measures what a person would
// notice: messages answered per second, how long an event waits for its
// acknowledgement and for its answer, how densely the bot posts to a
// channel, and what the process costs (CPU, peak RSS, database size).
//
// The bot itself is started by the caller (helpdesk bench runs the real
// program in-process), so what is measured is what ships.
package loadtest

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/helpdesk-bot/helpdesk/adapters/slack/slackfake"
)

// Options describe one load run.
type Options struct {
	// Platform is the chat driven: "slack" (Run) or "discord" (RunDiscord).
	Platform string
	// Employees is how many conversations run at once; Reports how many
	// conversations run in all (each by a new employee).
	Employees int
	Reports   int
	// Rate caps the employees' messages per second together; 0 lets each
	// answer as soon as the bot's answer is complete.
	Rate float64
	// Think is how long an employee takes to read an answer and write
	// the next message (people need seconds; Slack lets a bot post about
	// once a second per channel).
	Think time.Duration
	// Agents claim and resolve the tickets as their triage cards arrive.
	Agents int
	// DrainWait bounds the wait, after the last conversation, for the bot
	// to go quiet (the outbox to drain); what is left is reported.
	DrainWait time.Duration
	// Latency is the fake platform's API round trip.
	Latency time.Duration
	// Limits are the rate limits the fake enforces (none when zero).
	Limits slackfake.Limits
	// Storm, when set, opens a major incident first and then has every
	// employee send this one report (and nothing more): an outage.
	Storm string
	// Timeout bounds the whole run.
	Timeout time.Duration
	// DataDir is where the bot keeps its database, for its size.
	DataDir string
}

// Target is what the bot under test is told, to talk to the fake.
type Target struct {
	Platform string
	// Env holds the variables the bot reads (tokens, the fake's API URL).
	Env map[string]string
	// Triage is the triage channel's ID; Agents the agents' IDs on the
	// platform (tier 2, so they may declare a major incident).
	Triage string
	Agents []string
	// Settings are config lines the run needs, as "key: value" YAML.
	Settings string
}

// Start runs the bot against t until ctx ends and returns a function that
// waits for it to stop, with its error.
type Start func(ctx context.Context, t Target) (wait func() error, err error)

// triageChannel is where the bot posts ticket cards during a run.
const triageChannel = "CTRIAGE"

// check says what is wrong with o, as a sentence the user can act on.
func (o *Options) check() error {
	switch {
	case o.Platform != "slack" && o.Platform != "discord":
		return fmt.Errorf("platform %q cannot be driven yet; use -platform slack or -platform discord", o.Platform)
	case o.Employees < 1:
		return fmt.Errorf("employees is %d; at least one employee must talk to the bot", o.Employees)
	case o.Reports < 1:
		return fmt.Errorf("reports is %d; run at least one conversation", o.Reports)
	case o.Rate < 0:
		return errors.New("rate is negative; give messages per second, or 0 for as fast as the bot answers")
	case o.Agents < 1:
		return errors.New("agents must be at least 1: someone has to claim the tickets")
	case o.Latency < 0:
		return errors.New("latency is negative; give the API round trip, like 50ms")
	case o.Think < 0:
		return errors.New("think is negative; give how long an employee takes to answer, like 2s")
	}
	if o.DrainWait <= 0 {
		o.DrainWait = time.Minute
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Minute
	}
	return nil
}
