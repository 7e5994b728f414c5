package main

import (
	"strings"
	"testing"

	"github.com/helpdesk-bot/helpdesk/adapters/discord"
)

func TestDiscordConfig(t *testing.T) {
	path := writeFile(t, "d.yaml", `
discord:
  application_id: "123456789012345678"
  public_key: "`+strings.Repeat("ab", 32)+`"
  guilds: ["111111111111111111"]
  help_channels: ["222222222222222222"]
  shard_id: 1
  shard_count: 2
  http_interactions: true
`)
	cfg, err := loadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	d := cfg.Discord
	if d.ShardID != 1 || d.ShardCount != 2 || len(d.PublicKey) != 32 || !d.HTTPInteractions || d.Guilds[0] != "111111111111111111" {
		t.Errorf("discord = %+v", d)
	}
	for _, c := range []struct{ yaml, want string }{
		{"discord: {shard_id: 2, shard_count: 2}", "discord.shard_id: 2 is out of range"},
		{"discord: {shard_count: -1}", "discord.shard_count"},
		{"discord: {http_interactions: true}", "discord.http_interactions: needs discord.public_key"},
		{"discord: {public_key: xyz}", "discord.public_key"},
		{"discord: {guilds: [general]}", `discord.guilds[0]: "general" is not a Discord ID`},
		{"discord: {help_channels: ['#help']}", "discord.help_channels[0]"},
		{"discord: {application_id: my-bot}", "discord.application_id"},
	} {
		_, err := loadConfig(writeFile(t, "bad.yaml", c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to say %q", c.yaml, err, c.want)
		}
	}
}

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
	cfg, err := loadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	p, err := startDiscord(cfg, env{getenv: func(string) string { return "" }}, deps{})
	if p != nil || err != nil {
		t.Errorf("no token: %v %v, want no platform", p, err)
	}
	cfg.Discord.HTTPInteractions = true
	p, err = startDiscord(cfg, env{getenv: func(k string) string {
		return map[string]string{discordTokenEnv: "tok"}[k]
	}}, deps{log: newLogger(&strings.Builder{}, "info")})
	if err != nil || p == nil || p.name != "discord" || p.sender == nil || p.routes["POST /discord/interactions"] == nil || p.health() == nil {
		t.Errorf("with a token: %+v %v; want the platform, its route, and unhealthy until connected", p, err)
	}
}
