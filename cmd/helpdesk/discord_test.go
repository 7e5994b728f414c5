package main

import (
	"strings"
	"testing"

	"github.com/helpdesk-bot/helpdesk/adapters/discord"
	"github.com/helpdesk-bot/helpdesk/cmd/helpdesk/config"
)

func TestDiscordInviteURL(t *testing.T) {
	var out, errOut strings.Builder
	code := run(t.Context(), []string{"discord", "invite-url", "-app", "123456789012345678"}, env{stdout: &out, stderr: &errOut})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	want := "https://discord.com/oauth2/authorize?client_id=123456789012345678&scope=bot+applications.commands&permissions="
	if got := strings.TrimSpace(out.String()); !strings.HasPrefix(got, want) || got != discord.InviteURL("123456789012345678") {
		t.Errorf("invite url = %q", got)
	}
	// 1024 view + 2048 send + 16384 embed links + 65536 history
	// + 2^35 create public threads + 2^38 send in threads.
	if discord.Permissions != 1024+2048+16384+65536+1<<35+1<<38 {
		t.Errorf("permissions = %d", discord.Permissions)
	}
	errOut.Reset()
	if code := run(t.Context(), []string{"discord", "invite-url"}, env{stdout: &out, stderr: &errOut}); code != 1 || !strings.Contains(errOut.String(), "application_id") {
		t.Errorf("without an ID: exit %d, %q", code, errOut.String())
	}
}

func TestStartDiscordNeedsToken(t *testing.T) {
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	p, err := startDiscord(cfg, env{getenv: func(string) string { return "" }}, deps{})
	if p != nil || err != nil {
		t.Errorf("no token: %v %v, want no platform", p, err)
	}
	cfg.Discord.HTTPInteractions = true
	cfg.Chats = []string{"discord"} // as config.LoadEnv says with DISCORD_BOT_TOKEN set
	p, err = startDiscord(cfg, env{getenv: func(k string) string {
		return map[string]string{discordTokenEnv: "tok"}[k]
	}}, deps{log: newLogger(&strings.Builder{}, "info")})
	if err != nil || p == nil || p.name != "discord" || p.sender == nil || p.routes["POST /discord/interactions"] == nil || p.health() == nil {
		t.Errorf("with a token: %+v %v; want the platform, its route, and unhealthy until connected", p, err)
	}
}
