package discordfake

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// TestDiscordgoAgainstTheFake: the real client finds the gateway through
// REST, identifies (the fake keeps what it sent), receives a DM the fake dispatches, and waits out a
// 429 in the fake's shape and posts after it.
func TestDiscordgoAgainstTheFake(t *testing.T) {
	s, err := Start(Options{Limits: Limits{Messages: Window{1, time.Second}}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	dg, err := discordgo.New("Bot test-token")
	if err != nil {
		t.Fatal(err)
	}
	dg.Client = &http.Client{Transport: s.Transport(), Timeout: 10 * time.Second}
	dg.ShouldReconnectOnError = false
	dms := make(chan *discordgo.MessageCreate, 1)
	dg.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageCreate) { dms <- m })
	if err := dg.Open(); err != nil {
		t.Fatalf("open: %v", err)
	}
	defer dg.Close()
	if err := s.WaitConnected(t.Context()); err != nil {
		t.Fatal(err)
	}
	if ids := s.Stats().Identify; len(ids) != 1 || !strings.Contains(string(ids[0]), `"token":"Bot test-token"`) {
		t.Errorf("identifies = %s, want discordgo's one with its token", ids)
	}
	user := "610000000000000001"
	if _, err := s.DM(user, "my VPN is down"); err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-dms:
		if m.Content != "my VPN is down" || m.ChannelID != DMChannel(user) || m.Author.ID != user {
			t.Errorf("DM = %q in %s from %s", m.Content, m.ChannelID, m.Author.ID)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the DM never reached discordgo's handler")
	}

	// Fill the triage channel's bucket behind discordgo's back: its post
	// meets a 429 and must retry after retry_after.
	resp, err := http.Post(s.URL()+"/api/v9/channels/"+Triage+"/messages", "application/json", strings.NewReader(`{"content":"first"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if _, err := dg.ChannelMessageSend(Triage, "second"); err != nil {
		t.Fatalf("discordgo did not get past the 429: %v", err)
	}
	st := s.Stats()
	if route := "POST /channels/{id}/messages"; st.Limited[route] < 1 || st.Posts[Triage] != 2 {
		t.Errorf("stats = %+v; want the second post refused at least once, then made", st)
	}
}
