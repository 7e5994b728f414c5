package discord

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/helpdesk-bot/helpdesk/adapters/discord/discordfake"
	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

func TestIdentifyIntentsAndCommands(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{})
	var id struct {
		Intents int     `json:"intents"`
		Shard   *[2]int `json:"shard"`
		Token   string  `json:"token"`
	}
	_ = json.Unmarshal(d.fake.Stats().Identify[0], &id)
	if id.Intents != int(Intents) || id.Token != "Bot test-token" || id.Shard != nil {
		t.Errorf("identify = %+v, want intents %d only and no shard", id, Intents)
	}
	c, _ := d.fake.waitCall(0, "PUT", "/applications/"+discordfake.AppID+"/guilds/"+discordfake.Guild+"/commands", `"name":"helpdesk"`)
	var cmds []*discordgo.ApplicationCommand
	if err := json.Unmarshal(c.Body, &cmds); err != nil || len(cmds) != 2 {
		t.Fatalf("registered %s (%v)", c.Body, err)
	}
	subs := 0
	for i, sl := range chat.Slashes() {
		if cmds[i].Name != sl.Name {
			t.Errorf("command %d is /%s, want /%s", i, cmds[i].Name, sl.Name)
		}
		subs += len(cmds[i].Options)
	}
	if want := len(d.core.Commands()) - 1; subs != want { // all but "start over", a plain word
		t.Errorf("registered %d subcommands, want %d", subs, want)
	}
}

func TestShardAndReconnect(t *testing.T) {
	t.Parallel()
	f := newFake(t, discordfake.Options{})
	s, err := NewSession("tok", 1, 2, &http.Client{Transport: f.Transport()})
	if err != nil {
		t.Fatal(err)
	}
	a := New(Config{}, s, s, nil, nil, Options{})
	if a.Health() == nil {
		t.Error("healthy before connecting")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = a.Run(ctx) }()
	defer func() { cancel(); <-done }()
	waitFor(t, func() bool { return a.Health() == nil })
	var id struct {
		Shard *[2]int `json:"shard"`
	}
	if ids := f.Stats().Identify; len(ids) != 1 || json.Unmarshal(ids[0], &id) != nil || id.Shard == nil || *id.Shard != [2]int{1, 2} {
		t.Errorf("identify shard = %v of %d identifies, want [1 2] in one", id.Shard, len(ids))
	}

	// The connection drops and the gateway is down for a while:
	// unhealthy until discordgo has reconnected and resumed.
	f.SetGatewayDown(true)
	waitFor(t, func() bool { return a.Health() != nil })
	if !strings.Contains(a.Health().Error(), "disconnected") {
		t.Errorf("health = %v", a.Health())
	}
	f.SetGatewayDown(false)
	waitFor(t, func() bool { return a.Health() == nil })
	if st := f.Stats(); st.Resumes != 1 || len(st.Identify) != 1 {
		t.Errorf("%d resumes and %d identifies, want the session resumed", st.Resumes, len(st.Identify))
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 10s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestGatewayAcksTimed: what stands for an acknowledgement on the gateway
// is counted once each in GatewayAcks, which /metrics exposes: a
// person's message once recorded, a button press once its callback went
// out; a message the bot ignores (another bot's) is not.
func TestGatewayAcksTimed(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{})
	wantAcks := func(n uint64) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			// The count follows the callback the fake already answered.
			_, got, _ := d.acks.Snapshot()
			if got == n {
				return
			}
			if got > n || time.Now().After(deadline) {
				t.Fatalf("%d gateway acks timed, want %d", got, n)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	reportInDM(t, d, alice) // three messages and a "Still broken" press
	wantAcks(4)

	m := d.fake.mark()
	if err := d.fake.Dispatch("MESSAGE_CREATE", map[string]any{
		"id": d.fake.NewID(), "channel_id": discordfake.Help, "guild_id": discordfake.Guild, "type": 0, "content": "beep",
		"timestamp": time.Now().UTC().Format(time.RFC3339), "author": map[string]any{"id": "999", "username": "otherbot", "bot": true},
	}); err != nil {
		t.Fatal(err)
	}
	d.dm(bob, "hello") // read after the bot's message: once it is counted, the other was passed over
	d.fake.waitCall(m, "POST", "/channels/"+discordfake.DMChannel(bob)+"/messages", "")
	wantAcks(5)
}
