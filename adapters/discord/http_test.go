package discord

import (
	"crypto/ed25519"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/adapters/discord/discordfake"
)

// signed builds a request to the interactions endpoint signed with key at
// time ts.
func signed(key ed25519.PrivateKey, ts time.Time, body string) *http.Request {
	stamp := strconv.FormatInt(ts.Unix(), 10)
	r := httptest.NewRequest("POST", "/discord/interactions", strings.NewReader(body))
	r.Header.Set("X-Signature-Timestamp", stamp)
	r.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, []byte(stamp+body))))
	return r
}

func TestHTTPInteractions(t *testing.T) {
	t.Parallel()
	d := newDesk(t, deskOptions{})
	pub, priv, _ := ed25519.GenerateKey(nil)
	_, forger, _ := ed25519.GenerateKey(nil)
	now := time.Now()
	a := New(Config{PublicKey: pub}, d.session, nil, d.core, d.workers, Options{Now: func() time.Time { return now }, BotUserID: discordfake.BotID})
	h := a.InteractionsHandler()
	serve := func(r *http.Request) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	ping := `{"id":"1","application_id":"800","type":1,"token":"t","version":1}`

	if w := serve(signed(forger, now, ping)); w.Code != http.StatusUnauthorized {
		t.Errorf("forged signature: %d, want 401", w.Code)
	}
	if w := serve(signed(priv, now.Add(-10*time.Minute), ping)); w.Code != http.StatusUnauthorized {
		t.Errorf("stale timestamp: %d, want 401", w.Code)
	}
	r := signed(priv, now, ping)
	r.Header.Del("X-Signature-Ed25519")
	if w := serve(r); w.Code != http.StatusUnauthorized {
		t.Errorf("unsigned: %d, want 401", w.Code)
	}
	tampered := signed(priv, now, ping)
	tampered.Body = http.NoBody
	if w := serve(tampered); w.Code != http.StatusUnauthorized {
		t.Errorf("body changed after signing: %d, want 401", w.Code)
	}
	if w := serve(signed(priv, now, ping)); w.Code != 200 || !strings.Contains(w.Body.String(), `"type":1`) {
		t.Errorf("ping: %d %s", w.Code, w.Body)
	}

	// A real command: deferred in the HTTP answer, the reply as a follow-up.
	m := d.fake.mark()
	cmd := `{"id":"` + d.fake.NewID() + `","application_id":"` + discordfake.AppID + `","type":2,"token":"httptok","version":1,"channel_id":"` + discordfake.Triage + `","guild_id":"` + discordfake.Guild + `",
	  "member":{"user":{"id":"` + bob + `","username":"bob"},"roles":[]},"data":{"id":"1","name":"helpdesk","type":1,"options":[{"name":"help","type":1}]}}`
	w := serve(signed(priv, now, cmd))
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"type":5`) || !strings.Contains(w.Body.String(), `"flags":64`) {
		t.Fatalf("command: %d %s", w.Code, w.Body)
	}
	d.fake.waitCall(m, "POST", "/webhooks/"+discordfake.AppID+"/httptok", "helpdesk")
	if n := d.fake.count(m, "POST", "/callback", ""); n != 0 {
		t.Errorf("HTTP interaction also answered over REST %d times", n)
	}
}
