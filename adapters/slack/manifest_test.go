package slack

import (
	"os"
	"slices"
	"testing"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"gopkg.in/yaml.v3"
)

// The shipped manifest turns on Socket Mode and interactivity, declares
// the desk's slash commands (/helpdesk and /desk), and asks for exactly the
// scopes and events the adapter uses.
func TestManifest(t *testing.T) {
	data, err := os.ReadFile("manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Features struct {
			BotUser struct {
				DisplayName string `yaml:"display_name"`
			} `yaml:"bot_user"`
			SlashCommands []struct {
				Command     string
				Description string
			} `yaml:"slash_commands"`
		}
		OAuth struct {
			Scopes struct{ Bot []string }
		} `yaml:"oauth_config"`
		Settings struct {
			Events struct {
				BotEvents []string `yaml:"bot_events"`
			} `yaml:"event_subscriptions"`
			Interactivity struct {
				Enabled bool `yaml:"is_enabled"`
			}
			SocketMode bool `yaml:"socket_mode_enabled"`
		}
	}
	if err := yaml.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if !m.Settings.SocketMode || !m.Settings.Interactivity.Enabled || m.Features.BotUser.DisplayName == "" {
		t.Errorf("settings = %+v, bot user %q", m.Settings, m.Features.BotUser.DisplayName)
	}
	var slashes []string
	for _, sc := range m.Features.SlashCommands {
		slashes = append(slashes, sc.Command)
		if sc.Description == "" {
			t.Errorf("%s has no description", sc.Command)
		}
	}
	var want []string
	for _, sl := range chat.Slashes() {
		want = append(want, "/"+sl.Name)
	}
	if !slices.Equal(slashes, want) {
		t.Errorf("slash commands = %v, want %v", slashes, want)
	}
	scopes := []string{"app_mentions:read", "channels:history", "chat:write", "commands", "groups:history",
		"im:history", "im:write", "usergroups:read", "users:read", "users:read.email"}
	if got := slices.Sorted(slices.Values(m.OAuth.Scopes.Bot)); !slices.Equal(got, scopes) {
		t.Errorf("scopes = %v, want %v", got, scopes)
	}
	events := []string{"app_mention", "message.channels", "message.groups", "message.im"}
	if got := slices.Sorted(slices.Values(m.Settings.Events.BotEvents)); !slices.Equal(got, events) {
		t.Errorf("events = %v, want %v", got, events)
	}
}
