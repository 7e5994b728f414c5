package main

import (
	"context"

	"github.com/helpdesk-bot/helpdesk/adapters/discord/discordfake"
	"github.com/helpdesk-bot/helpdesk/cmd/helpdesk/loadtest"
)

// discordBench is the load run over Discord for helpdesk bench
// -platform discord: with limits, Discord's documented limits (the Slack
// flags -channel-rate and -global-rate do not apply).
func discordBench(limits bool) func(context.Context, loadtest.Options, loadtest.Start) (*loadtest.Report, error) {
	var l discordfake.Limits
	if limits {
		l = discordfake.DiscordLimits()
	}
	return func(ctx context.Context, o loadtest.Options, start loadtest.Start) (*loadtest.Report, error) {
		return loadtest.RunDiscord(ctx, o, l, start)
	}
}
