package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
)

// maxInteractionBody bounds a request to the interactions endpoint.
const maxInteractionBody = 1 << 20

// signatureWindow is how far a request's signed timestamp may be from now;
// older requests are refused as replays.
const signatureWindow = 5 * time.Minute

// InteractionsHandler serves Discord's HTTP interactions endpoint (POST
// /discord/interactions, set as the Interactions Endpoint URL in the
// developer portal). Every request must carry a valid Ed25519 signature of
// the application's public key over a recent timestamp and the body;
// anything else gets 401, as Discord's own checks expect. The initial
// response is the HTTP response; follow-ups go over REST as for gateway
// interactions.
func (a *Adapter) InteractionsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(a.cfg.PublicKey) == 0 {
			http.Error(w, "interactions endpoint has no public key configured", http.StatusServiceUnavailable)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxInteractionBody)
		if !a.fresh(r.Header.Get("X-Signature-Timestamp")) || !discordgo.VerifyInteraction(r, a.cfg.PublicKey) {
			http.Error(w, "invalid request signature", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(r.Body) // VerifyInteraction put the body back
		if err != nil {
			http.Error(w, "cannot read body", http.StatusBadRequest)
			return
		}
		// The work starts only after the response is on its way: a
		// follow-up before it would find no interaction to follow.
		ok := a.onRawInteraction(context.WithoutCancel(r.Context()), body, func(_ context.Context, _ *discordgo.Interaction, resp *discordgo.InteractionResponse) error {
			var buf bytes.Buffer
			if err := json.NewEncoder(&buf).Encode(resp); err != nil {
				return err
			}
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
			if _, err := w.Write(buf.Bytes()); err != nil {
				return err
			}
			if f, ok := w.(http.Flusher); ok {
				f.Flush()
			}
			return nil
		})
		if !ok {
			http.Error(w, "not an interaction: the body needs an interaction's id, token and type", http.StatusBadRequest)
		}
	})
}

// fresh reports whether a signature timestamp (Unix seconds) is within
// signatureWindow of now.
func (a *Adapter) fresh(ts string) bool {
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	d := a.now().Sub(time.Unix(sec, 0))
	return d < signatureWindow && d > -signatureWindow
}
