package config

import (
	"strings"
	"testing"
)

func TestDiscord(t *testing.T) {
	cfg, err := load(t, `
discord:
  application_id: "123456789012345678"
  public_key: "`+strings.Repeat("ab", 32)+`"
  guilds: ["111111111111111111"]
  help_channels: ["222222222222222222"]
  shard_id: 1
  shard_count: 2
  http_interactions: true
`)
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
		_, err := load(t, c.yaml)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to say %q", c.yaml, err, c.want)
		}
	}
}
