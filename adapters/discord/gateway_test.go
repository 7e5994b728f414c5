package discord

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

func TestIdentifyIntentsAndCommands(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{})
	d.fake.mu.Lock()
	var id struct {
		Intents int     `json:"intents"`
		Shard   *[2]int `json:"shard"`
		Token   string  `json:"token"`
	}
	_ = json.Unmarshal(d.fake.identify[0], &id)
	d.fake.mu.Unlock()
	if id.Intents != int(Intents) || id.Token != "Bot test-token" || id.Shard != nil {
		t.Errorf("identify = %+v, want intents %d only and no shard", id, Intents)
	}
	c, _ := d.fake.waitCall(0, "PUT", "/applications/"+fakeAppID+"/guilds/"+fakeGuild+"/commands", `"name":"helpdesk"`)
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
	f := newFakeDiscord(t)
	s, err := NewSession("tok", 1, 2, &http.Client{Transport: f.transport()})
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
	g := f.conn()
	var id struct {
		Shard *[2]int `json:"shard"`
	}
	f.mu.Lock()
	_ = json.Unmarshal(f.identify[0], &id)
	f.mu.Unlock()
	if id.Shard == nil || *id.Shard != [2]int{1, 2} {
		t.Errorf("identify shard = %v, want [1 2]", id.Shard)
	}
	waitFor(t, func() bool { return a.Health() == nil })

	// The connection drops and the gateway is down for a while:
	// unhealthy until discordgo has reconnected and resumed.
	f.mu.Lock()
	f.refuseGW = true
	f.mu.Unlock()
	g.c.Close()
	waitFor(t, func() bool { return a.Health() != nil })
	if !strings.Contains(a.Health().Error(), "disconnected") {
		t.Errorf("health = %v", a.Health())
	}
	f.mu.Lock()
	f.refuseGW = false
	f.mu.Unlock()
	f.conn()
	waitFor(t, func() bool { return a.Health() == nil })
	f.mu.Lock()
	resumes := f.resumes
	f.mu.Unlock()
	if resumes != 1 {
		t.Errorf("%d resumes, want the session resumed", resumes)
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
	if err := d.gw.dispatch("MESSAGE_CREATE", map[string]any{
		"id": snowflake(), "channel_id": helpChannel, "guild_id": fakeGuild, "type": 0, "content": "beep",
		"timestamp": time.Now().UTC().Format(time.RFC3339), "author": map[string]any{"id": "999", "username": "otherbot", "bot": true},
	}); err != nil {
		t.Fatal(err)
	}
	d.dm(bob, "hello") // read after the bot's message: once it is counted, the other was passed over
	d.fake.waitCall(m, "POST", "/channels/"+dmChannelOf(bob)+"/messages", "")
	wantAcks(5)
}
