package bot

import (
	"context"
	"fmt"
	"time"
)

// Job is one of the desk's scheduled jobs. bot/schedule runs it at the
// times the config's schedule section gives, or at Spec. Each job is a
// function of the clock and the store that queues what it sends with keys
// naming the scheduled time, so a run repeated, or made on two replicas,
// sends each message once.
type Job struct {
	Name string // its key under schedule: in the config
	Spec string // when it runs unless the config says otherwise (cron)
	run  func(b *Bot, ctx context.Context, at time.Time) error
}

// Jobs are the desk's scheduled jobs, with their default times.
func Jobs() []Job {
	return []Job{
		{Name: "timers", Spec: "@every 1m", run: func(b *Bot, ctx context.Context, _ time.Time) error { _, err := b.runTimers(ctx); return err }},
		{Name: "agent_digest", Spec: "0 8 * * 1-5", run: func(b *Bot, ctx context.Context, at time.Time) error { _, err := b.agentDigests(ctx, at); return err }},
		{Name: "manager_summary", Spec: "0 17 * * 1-5", run: func(b *Bot, ctx context.Context, at time.Time) error { _, err := b.managerSummary(ctx, at); return err }},
		{Name: "kb_audit", Spec: "0 9 * * 1", run: func(b *Bot, ctx context.Context, at time.Time) error { _, err := b.kbAudit(ctx, at); return err }},
		{Name: "security_check", Spec: "*/15 * * * *", run: func(b *Bot, ctx context.Context, at time.Time) error { _, err := b.lockoutCheck(ctx, at); return err }},
		{Name: "prune", Spec: "30 3 * * *", run: func(b *Bot, ctx context.Context, at time.Time) error { _, err := b.prune(ctx, at); return err }},
	}
}

// RunJob runs j for its scheduled time at.
func (b *Bot) RunJob(ctx context.Context, j Job, at time.Time) error {
	if j.run == nil {
		return fmt.Errorf("job %q is not one of the desk's jobs", j.Name)
	}
	return j.run(b, ctx, at)
}

// eventMemory is how long inbound event IDs are remembered to drop
// redeliveries. Slack retries within minutes and Discord resumes a session
// within hours; a week is ample.
const eventMemory = 7 * 24 * time.Hour

// prune forgets inbound event IDs older than eventMemory, so the record
// that stops redelivered events being handled twice does not grow forever,
// and deletes the outbox messages of closed tickets delivered more than
// KeepSent ago (about half of what a ticket stores).
func (b *Bot) prune(ctx context.Context, at time.Time) (int, error) {
	n, err := b.store.ForgetEvents(ctx, at.Add(-eventMemory))
	if err != nil {
		return 0, fmt.Errorf("prune: %w", err)
	}
	if n > 0 {
		b.log.InfoContext(ctx, "forgot old inbound event IDs", "count", n)
	}
	m, err := b.store.PruneOutbox(ctx, at.Add(-b.conf().KeepSent))
	if err != nil {
		return n, fmt.Errorf("prune: %w", err)
	}
	if m > 0 {
		b.log.InfoContext(ctx, "deleted delivered outbox messages of closed tickets", "count", m, "older_than", b.conf().KeepSent)
	}
	return n + m, nil
}
