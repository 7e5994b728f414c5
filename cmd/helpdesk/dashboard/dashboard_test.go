package dashboard

import (
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/helpdesk-bot/helpdesk/tickets"
	"github.com/helpdesk-bot/helpdesk/tickets/kpi"
)

var update = flag.Bool("update", false, "write the screenshots under docs/ (the README shows them)")

const token = "s3cret-dashboard-token"

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	s := seed(t)
	titles := map[string]string{"vpn-cannot-connect": "VPN won't connect", "password-reset": "Reset your password", "outlook-wont-open": "Outlook won't open"}
	h := New(Deps{Source: s, Options: func() kpi.Options {
		return kpi.Options{SLA: tickets.DefaultSLA(), Agent: func(k string) string {
			return map[string]string{"test:dana": "Dana", "test:tom": "Tom", "test:sam": "Sam", "test:max": "Max"}[k]
		}}
	}, Now: func() time.Time { return seedNow }, Title: func(id string) string { return titles[id] }, Token: token, Location: time.UTC, Log: slog.New(slog.DiscardHandler)})
	mux := http.NewServeMux()
	mux.Handle("GET "+Path, h)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

var points = regexp.MustCompile(`data-points="(\d+)"`)

// checkPage fails t unless page is the dashboard with data in every
// chart, tile and the at-risk list.
func checkPage(t *testing.T, page string) {
	t.Helper()
	for _, want := range []string{"<title>Help desk dashboard</title>", "First contact resolution", "SLA resolution", "Backlog", "At risk", "overdue by", "VPN won", "Reset your password"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	ms := points.FindAllStringSubmatch(page, -1)
	if len(ms) != 5 {
		t.Errorf("the page has %d charts, want 5", len(ms))
	}
	for i, m := range ms {
		if n, _ := strconv.Atoi(m[1]); n == 0 {
			t.Errorf("chart %d holds no data", i+1)
		}
	}
	if strings.Contains(page, "ZgotmplZ") {
		t.Error("the template refused a value (ZgotmplZ)")
	}
}

// The token is required; given in the address it moves to a cookie; the
// page holds data in every chart.
func TestDashboard(t *testing.T) {
	srv := newServer(t)
	c := srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	get := func(path string, header ...string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	for _, tc := range []struct {
		path, header, want string
		code               int
	}{
		{Path, "", "This dashboard needs its token", 401},
		{Path + "?token=wrong", "", "That token is not the dashboard", 401},
		{Path, "Bearer wrong", "needs its token", 401},
		{Path, "Bearer " + token, "First contact resolution", 200},
		{Path + "?days=abc", "Bearer " + token, "days must be a whole number of days from 1 to 365", 400},
		{Path + "?days=0", "Bearer " + token, "days must be", 400},
	} {
		var h []string
		if tc.header != "" {
			h = []string{"Authorization", tc.header}
		}
		resp, body := get(tc.path, h...)
		if resp.StatusCode != tc.code || !strings.Contains(body, tc.want) {
			t.Errorf("GET %s (%s): %d, want %d and %q:\n%.300s", tc.path, tc.header, resp.StatusCode, tc.code, tc.want, body)
		}
	}
	resp, _ := get(Path + "?token=" + url.QueryEscape(token) + "&days=7")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != Path+"?days=7" {
		t.Fatalf("a token in the address: %d to %q, want 303 to %s?days=7", resp.StatusCode, resp.Header.Get("Location"), Path)
	}
	var cookie *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == cookieName {
			cookie = ck
		}
	}
	if cookie == nil || !cookie.HttpOnly {
		t.Fatalf("no HttpOnly cookie set: %v", resp.Cookies())
	}
	resp, body := get(Path+"?days=7", "Cookie", cookie.Name+"="+cookie.Value)
	if resp.StatusCode != 200 {
		t.Fatalf("with the cookie: %d", resp.StatusCode)
	}
	checkPage(t, body)
	if !strings.Contains(body, "last 7 days") {
		t.Error("?days=7 is not the period shown")
	}
}

// The dashboard in headless Chromium, as a manager's browser opens it:
// refused without its token, then the page with every chart drawn, on a
// laptop's and a phone's width. The screenshots are the README's.
func TestDashboardChromium(t *testing.T) {
	bin := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Skip("no chromium here: install Debian's chromium package (apt-get install chromium; .ci/run does) to test the dashboard in a browser")
	}
	srv := newServer(t)
	browse := func(args ...string) string {
		t.Helper()
		base := []string{"--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars", "--user-data-dir=" + t.TempDir()}
		out, err := exec.Command(bin, append(base, args...)...).Output()
		if err != nil {
			t.Fatalf("chromium %v: %v", args, err)
		}
		return string(out)
	}
	if page := browse("--dump-dom", srv.URL+Path); !strings.Contains(page, "needs its token") || strings.Contains(page, "data-points") {
		t.Errorf("without the token chromium got:\n%.500s", page)
	}
	// The token in the address becomes a cookie and the page loads
	// without it in the address.
	checkPage(t, browse("--dump-dom", srv.URL+Path+"?token="+token))

	dir := t.TempDir()
	if *update {
		dir = filepath.Join("..", "..", "..", "docs")
	}
	for _, shot := range []struct{ name, size string }{{"dashboard.png", "1280,1500"}, {"dashboard-phone.png", "400,3000"}} {
		file := filepath.Join(dir, shot.name)
		browse("--window-size="+shot.size, "--screenshot="+file, srv.URL+Path+"?token="+token)
		fi, err := os.Stat(file)
		if err != nil || fi.Size() < 20000 {
			t.Errorf("screenshot %s: %v (size %d); want a picture of the page", shot.name, err, fi.Size())
		}
	}
}
