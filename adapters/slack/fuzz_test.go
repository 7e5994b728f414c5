package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// stubCore is a core whose one form is "reply", with a required text.
type stubCore struct{}

func (stubCore) Handle(context.Context, chat.Message) []chat.Reply      { return nil }
func (stubCore) HandleAction(context.Context, chat.Action) []chat.Reply { return nil }
func (stubCore) FormFor(action string) (chat.Form, bool) {
	return chat.Form{Action: action, Title: "Reply", Fields: []chat.FormField{{Name: "text", Label: "Reply"}}}, action == "reply"
}
func (stubCore) Form(context.Context, tickets.Person, string, string) (chat.Form, error) {
	return chat.Form{}, nil
}
func (stubCore) CheckForm(f chat.Form, values map[string]string) map[string]string {
	if strings.TrimSpace(values["text"]) == "" {
		return map[string]string{"text": "write something"}
	}
	return nil
}
func (stubCore) InConversation(context.Context, tickets.Place, tickets.Person) bool   { return true }
func (stubCore) AwaitingKBAnswer(context.Context, tickets.Place, tickets.Person) bool { return false }

// countPool counts work and runs none of it.
type countPool struct{ n int }

func (p *countPool) Submit(context.Context, func(context.Context)) error { p.n++; return nil }

// fuzzAdapter is an HTTP-mode adapter in front of stubCore, whose work
// goes nowhere: what is fuzzed is reading Slack's requests.
func fuzzAdapter() (*Adapter, *countPool) {
	p := &countPool{}
	a := newAdapter(nil, Options{SigningSecret: signingSecret, Core: stubCore{}, Pool: p, HelpChannels: []string{helpChannel}})
	return a, p
}

// serveSigned serves body on route, signed as Slack would sign it.
func serveSigned(a *Adapter, route, contentType string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, route, strings.NewReader(string(body)))
	req.Header.Set("Content-Type", contentType)
	sign(req, body, time.Now(), signingSecret)
	w := httptest.NewRecorder()
	a.Routes()["POST "+route].ServeHTTP(w, req)
	return w
}

// FuzzEvents sends whatever the fuzzer makes to the Events API endpoint,
// signed: Slack's event decoding and the adapter's routing. It must never
// panic, and the answer is 200, or 400 for what is not an event.
//
//	go test -run '^$' -fuzz FuzzEvents -fuzztime 10s ./adapters/slack/
func FuzzEvents(f *testing.F) {
	for _, ev := range []map[string]any{
		messageEvent("Ev1", "D1", "im", "U1", "my VPN <@UBOT> is down &amp; <https://x|x>", "1.1", ""),
		messageEvent("Ev2", helpChannel, "channel", "U1", "help", "1.2", "1.0"),
		callback("Ev3", map[string]any{"type": "app_mention", "channel": "C9", "user": "U1", "text": "<@UBOT> printer", "ts": "1.3"}),
		callback("Ev4", map[string]any{"type": "message", "subtype": "message_changed", "channel": "D1"}),
		{"type": "url_verification", "challenge": "abc"},
		callback("Ev5", map[string]any{"type": "message", "channel": nil, "user": 5, "text": []int{1}}),
	} {
		f.Add(string(mustJSONf(f, ev)))
	}
	f.Add(`{"type":"event_callback","event":null}`)
	f.Add(`{"type":"event_callback","event":{"type":"message","blocks":[{"type":"rich_text","elements":[{"type":"nope"}]}]}}`)
	f.Add(`[]`)
	a, _ := fuzzAdapter()
	f.Fuzz(func(t *testing.T, body string) {
		w := serveSigned(a, "/slack/events", "application/json", []byte(body))
		if w.Code != http.StatusOK && w.Code != http.StatusBadRequest {
			t.Errorf("answered %d %s", w.Code, w.Body)
		}
	})
}

// FuzzInteractivity sends whatever the fuzzer makes as the payload of a
// button press or modal submission, signed. It must never panic.
//
//	go test -run '^$' -fuzz FuzzInteractivity -fuzztime 10s ./adapters/slack/
func FuzzInteractivity(f *testing.F) {
	f.Add(`{"type":"block_actions","trigger_id":"T1","user":{"id":"U1"},"channel":{"id":"D1"},` +
		`"container":{"type":"message","channel_id":"D1","message_ts":"1.1"},"message":{"type":"message","ts":"1.1","text":"pick"},` +
		`"actions":[{"type":"button","action_id":"kb_fixed#0","value":"vpn","block_id":"actions","action_ts":"1"}]}`)
	meta := string(mustJSONf(f, formMeta{Action: "reply", Value: "1", Channel: "C1"}))
	f.Add(string(mustJSONf(f, viewSubmission("T2", "U1", "V1", map[string]any{"callback_id": formCallbackID, "private_metadata": meta}, map[string]string{"text": ""}))))
	f.Add(string(mustJSONf(f, viewSubmission("T3", "U1", "V2", map[string]any{"callback_id": formCallbackID, "private_metadata": "{"}, nil))))
	f.Add(`{"type":"block_actions","actions":[]}`)
	f.Add(`{"type":"view_submission","view":{"callback_id":"helpdesk_form","private_metadata":"{\"a\":\"reply\"}","state":{"values":{"text":{"text":{"type":"plain_text_input","value":null}}}}}}`)
	f.Add(`{"type":"shortcut"}`)
	a, _ := fuzzAdapter()
	f.Fuzz(func(t *testing.T, payload string) {
		body := url.Values{"payload": {payload}}.Encode()
		w := serveSigned(a, "/slack/interactivity", "application/x-www-form-urlencoded", []byte(body))
		if w.Code != http.StatusOK && w.Code != http.StatusBadRequest {
			t.Errorf("answered %d %s", w.Code, w.Body)
		}
	})
}

func mustJSONf(f *testing.F, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		f.Fatal(err)
	}
	return b
}
