package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/adapters/discord/discordfake"
	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

// Nothing Discord sends may take the bot down: these payloads go over the
// real gateway (where a panic on discordgo's reader kills the process,
// and the test binary with it) and the HTTP endpoint.

// withBase makes an interaction of a payload's type and data: an id, a
// token and a member in the triage channel, as Discord adds them.
func withBase(t *testing.T, id string, payload map[string]any) json.RawMessage {
	t.Helper()
	ev := map[string]any{"id": id, "application_id": discordfake.AppID, "token": "tok-" + id, "version": 1,
		"channel_id": discordfake.Triage, "guild_id": discordfake.Guild, "member": map[string]any{"user": map[string]any{"id": dana, "username": "user" + dana}, "roles": []string{}}}
	for k, v := range payload {
		ev[k] = v
	}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// docsPayloads are the modal submissions of Discord's documentation
// (testdata/docs), keyed by file name.
func docsPayloads(t testing.TB) map[string]map[string]any {
	t.Helper()
	files, err := filepath.Glob("testdata/docs/*.json")
	if err != nil || len(files) < 10 {
		t.Fatalf("docs examples: %v (%d files)", err, len(files))
	}
	out := map[string]map[string]any{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var p map[string]any
		if err := json.Unmarshal(b, &p); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[filepath.Base(f)] = p
	}
	return out
}

// hostile are payloads that are not what the adapter expects, with the
// words the answer must hold ("" when there is nothing to answer).
var hostile = []struct {
	name, payload, answer string
}{
	{"command without data", `{"type":2}`, "couldn't read that"},
	{"component with data a string", `{"type":3,"data":"press"}`, "couldn't read that"},
	{"modal with null data", `{"type":5,"data":null}`, "older version of the bot"},
	{"label without its component", `{"type":5,"data":{"custom_id":"modal:note:1","components":[{"type":18,"id":1}]}}`, "was not sent"},
	{"component of a future type", `{"type":5,"data":{"custom_id":"modal:note:1","components":[{"type":99,"custom_id":"x"}]}}`, "was not sent"},
	{"component type not a number", `{"type":5,"data":{"custom_id":"modal:note:1","components":[{"type":"18"}]}}`, "was not sent"},
	{"button on a message with unknown components", `{"type":3,"data":{"custom_id":"nothing-of-ours","component_type":2},"message":{"id":"9","channel_id":"300","components":[{"type":42},{"type":17,"components":[{"type":18,"component":{"type":4,"custom_id":"a"}}]}]}}`, ""},
	{"interaction type from the future", `{"type":42,"data":{}}`, "can't handle that kind of interaction"},
	{"autocomplete", `{"type":4,"data":{"id":"1","name":"helpdesk","type":1}}`, "can't handle that kind"},
	{"type a string", `{"type":"2"}`, "couldn't read that"},
}

func TestDocsAndHostileInteractionsOverGateway(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{})
	defer d.stop()
	f := d.fake
	for name, p := range docsPayloads(t) {
		m := f.mark()
		id := d.fake.NewID()
		if err := d.fake.Dispatch("INTERACTION_CREATE", withBase(t, id, p)); err != nil {
			t.Fatal(err)
		}
		// Not one of our forms: said so, in words.
		if c, _ := f.waitCall(m, "POST", "/interactions/"+id+"/tok-"+id+"/callback", ""); !strings.Contains(string(c.Body), "older version of the bot") {
			t.Errorf("%s: answered %s", name, c.Body)
		}
	}
	for _, h := range hostile {
		m := f.mark()
		id := d.fake.NewID()
		var p map[string]any
		if err := json.Unmarshal([]byte(h.payload), &p); err != nil {
			t.Fatal(err)
		}
		if err := d.fake.Dispatch("INTERACTION_CREATE", withBase(t, id, p)); err != nil {
			t.Fatal(err)
		}
		if h.answer == "" {
			continue
		}
		if c, _ := f.waitCall(m, "POST", "/interactions/"+id+"/tok-"+id+"/callback", ""); !strings.Contains(string(c.Body), h.answer) || !strings.Contains(string(c.Body), `"flags":64`) {
			t.Errorf("%s: answered %s, want an ephemeral %q", h.name, c.Body, h.answer)
		}
	}
	// Not an interaction at all: nothing to answer, nothing dies.
	for _, raw := range []string{`null`, `[]`, `"x"`, `{"type":5,"data":{"components":[[[[]]]]}}`} {
		if err := d.fake.Dispatch("INTERACTION_CREATE", json.RawMessage(raw)); err != nil {
			t.Fatal(err)
		}
	}
	// The gateway reader is alive and serves the next command.
	m := f.mark()
	d.slash(discordfake.Triage, bob, "help")
	f.waitCall(m, "POST", "/webhooks/"+discordfake.AppID+"/", "/helpdesk")
}

// TestLabelFormSubmitted is the documented layout end to end: the modal
// the bot opens has its field in a Label, and the submission, its text
// input in a Label, is acted on (an empty required note is refused by
// name, a real one recorded).
func TestLabelFormSubmitted(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{})
	defer d.stop()
	f := d.fake
	card := reportInDM(t, d, alice)
	m := f.mark()
	d.click(discordfake.Triage, dana, nil, card.button(t, "Note"))
	c, m := f.waitCall(m, "POST", "/callback", `"type":9`)
	if !strings.Contains(string(c.Body), `{"type":18,"label":`) || !strings.Contains(string(c.Body), `"component":{"type":4,"custom_id":"text"`) {
		t.Errorf("note modal is not in Labels: %s", c.Body)
	}
	d.submit(discordfake.Triage, dana, nil, "modal:note:1", map[string]string{"text": " "})
	f.waitCall(m, "POST", "/callback", "was not sent")
	d.submit(discordfake.Triage, dana, nil, "modal:note:1", map[string]string{"text": "Suspect the new VPN profile rollout."})
	d.submitRows(discordfake.Triage, dana, nil, "modal:note:1", map[string]string{"text": "And the older layout still works."})
	deadline := time.Now().Add(10 * time.Second)
	for {
		evs, err := d.store.Events(context.Background(), 1)
		if err != nil {
			t.Fatal(err)
		}
		notes := 0
		for _, e := range evs {
			if strings.Contains(e.Text, "Suspect the new VPN profile rollout.") || strings.Contains(e.Text, "older layout still works") {
				notes++
			}
		}
		if notes == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of 2 notes recorded: %+v", notes, evs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// panicky is a core whose form lookup panics.
type panicky struct{ core }

func (panicky) FormFor(string) (chat.Form, bool) { panic("boom") }

func TestPanicWhileAnsweringIsAnswered(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{wrap: func(c core) core { return panicky{c} }})
	defer d.stop()
	m := d.fake.mark()
	id := d.click(discordfake.Triage, dana, nil, "claim:1")
	if c, _ := d.fake.waitCall(m, "POST", "/interactions/"+id+"/tok-"+id+"/callback", ""); !strings.Contains(string(c.Body), "something went wrong on my side") {
		t.Errorf("answered %s", c.Body)
	}
	m = d.fake.mark()
	d.slash(discordfake.Triage, bob, "help")
	d.fake.waitCall(m, "POST", "/webhooks/"+discordfake.AppID+"/", "/helpdesk")
}

func TestDocsAndHostileInteractionsOverHTTP(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{})
	defer d.stop()
	pub, priv, _ := ed25519.GenerateKey(nil)
	now := time.Now()
	a := New(Config{PublicKey: pub}, d.session, nil, d.core, d.workers, Options{Now: func() time.Time { return now }, BotUserID: discordfake.BotID})
	h := a.InteractionsHandler()
	serve := func(body string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, signed(priv, now, body))
		return w
	}
	for name, p := range docsPayloads(t) {
		if w := serve(string(withBase(t, d.fake.NewID(), p))); w.Code != 200 || !strings.Contains(w.Body.String(), "older version of the bot") {
			t.Errorf("%s: %d %s", name, w.Code, w.Body)
		}
	}
	for _, hp := range hostile {
		var p map[string]any
		if err := json.Unmarshal([]byte(hp.payload), &p); err != nil {
			t.Fatal(err)
		}
		w := serve(string(withBase(t, d.fake.NewID(), p)))
		if w.Code != 200 || !strings.Contains(w.Body.String(), hp.answer) {
			t.Errorf("%s: %d %s, want 200 with %q", hp.name, w.Code, w.Body, hp.answer)
		}
	}
	for _, raw := range []string{`null`, `[]`, `{"type":2}`, `{`} {
		if w := serve(raw); w.Code != 400 || !strings.Contains(w.Body.String(), "id, token and type") {
			t.Errorf("%s: %d %s, want 400 naming what is missing", raw, w.Code, w.Body)
		}
	}
}
