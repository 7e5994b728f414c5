// Package dashboard is the help desk's read-only web dashboard: the KPIs
// of a period with their trend, tickets opened and resolved per day, SLA
// compliance over time, the backlog by priority and age, the tickets at
// risk, the top categories and how the KB's articles fare. It is one
// server-rendered page (charts in inline SVG, the page and its style
// embedded in the binary) behind a token.
package dashboard

import (
	"crypto/subtle"
	_ "embed"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets/kpi"
)

// Path is where the dashboard is served.
const Path = "/dashboard"

// cookieName holds the token once given in the address, so it leaves the
// address bar (and the browser history) at once.
const cookieName = "helpdesk_dashboard"

//go:embed page.html
var pageHTML string

var page = template.Must(template.New("page").Parse(pageHTML))

// Deps are what the dashboard reads and how it presents it.
type Deps struct {
	Source Source
	// Options are the KPIs' business hours, SLA and agent names, read at
	// each request so a /reload shows.
	Options func() kpi.Options
	Now     func() time.Time
	// Title names a KB article by its ID.
	Title func(id string) string
	// Token is what a request must carry; it must not be empty.
	Token    string
	Location *time.Location
	Log      *slog.Logger
}

// New returns the dashboard's handler, for Path.
func New(d Deps) http.Handler {
	if d.Location == nil {
		d.Location = time.Local
	}
	return &handler{d}
}

type handler struct{ d Deps }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
	if t := r.URL.Query().Get("token"); t != "" {
		if !h.valid(t) {
			h.refuse(w, "That token is not the dashboard's.")
			return
		}
		http.SetCookie(w, &http.Cookie{Name: cookieName, Value: t, Path: Path, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
		q := r.URL.Query()
		q.Del("token")
		to := Path
		if len(q) > 0 {
			to += "?" + q.Encode()
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return
	}
	if !h.authorized(r) {
		h.refuse(w, "")
		return
	}
	days := 30
	if s := r.URL.Query().Get("days"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 365 {
			http.Error(w, "days must be a whole number of days from 1 to 365, like ?days=30", http.StatusBadRequest)
			return
		}
		days = n
	}
	v, err := build(r.Context(), h.d.Source, h.d.Options(), h.d.Now(), days, h.d.Location, agentOf(h.d.Options()), h.title)
	if err != nil {
		h.d.Log.Error("dashboard", "err", err)
		http.Error(w, "The dashboard could not read the database; the log says why.", http.StatusInternalServerError)
		return
	}
	v.PrevDays = days
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := page.Execute(w, v); err != nil {
		h.d.Log.Error("dashboard page", "err", err)
	}
}

func (h *handler) title(id string) string {
	if h.d.Title == nil {
		return id
	}
	if t := h.d.Title(id); t != "" {
		return t
	}
	return id
}

func agentOf(o kpi.Options) func(string) string {
	if o.Agent == nil {
		return func(k string) string { return k }
	}
	return o.Agent
}

// authorized reports whether r carries the token, in its cookie or as a
// bearer token.
func (h *handler) authorized(r *http.Request) bool {
	if c, err := r.Cookie(cookieName); err == nil && h.valid(c.Value) {
		return true
	}
	if b, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && h.valid(b) {
		return true
	}
	return false
}

func (h *handler) valid(t string) bool {
	return h.d.Token != "" && subtle.ConstantTimeCompare([]byte(t), []byte(h.d.Token)) == 1
}

func (h *handler) refuse(w http.ResponseWriter, why string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusUnauthorized)
	if why == "" {
		why = "This dashboard needs its token."
	}
	_ = refused.Execute(w, why)
}

var refused = template.Must(template.New("refused").Parse(`<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Help desk dashboard — token needed</title><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem">
<h1>Token needed</h1><p id="refused">{{.}} Open <code>/dashboard?token=…</code> with the value of <code>HELPDESK_DASHBOARD_TOKEN</code> the bot runs with; the browser keeps it for this site afterwards.</p></body></html>`))
