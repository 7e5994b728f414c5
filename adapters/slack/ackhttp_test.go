package slack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"
)

// BenchmarkHTTPAckWhileRateLimited is BenchmarkAckWhileRateLimited over
// the HTTP Events API: each event is a signed request of its own, as
// Slack sends them (concurrently), answered once the event is recorded;
// every post gets 429 (4 workers, 200 people reporting in their DMs).
// Latency is from sending the request to reading its answer.
//
//	go test -run '^$' -bench HTTPAckWhileRateLimited -benchtime 1000x ./adapters/slack/
func BenchmarkHTTPAckWhileRateLimited(b *testing.B) {
	for _, rate := range []int{100, 200, 500} {
		b.Run(fmt.Sprintf("%drps", rate), func(b *testing.B) { benchHTTPAck(b, rate) })
	}
}

func benchHTTPAck(b *testing.B, rate int) {
	const people = 200
	r := underRateLimit(b, false)
	mux := http.NewServeMux()
	for pattern, route := range r.ad.Routes() {
		mux.Handle(pattern, route)
	}
	srv := httptest.NewServer(mux)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	bodies := make([][]byte, b.N)
	for n := range b.N {
		i := n % people
		body, err := json.Marshal(messageEvent("EvH"+fmt.Sprint(n), fmt.Sprintf("DUL%04d", i), "im", fmt.Sprintf("UL%04d", i),
			"the printer on floor 3 is jammed again", fmt.Sprintf("1900000000.%06d", n), ""))
		if err != nil {
			b.Fatal(err)
		}
		bodies[n] = body
	}
	lat := make([]time.Duration, b.N)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for n := range b.N {
		time.Sleep(time.Until(start.Add(time.Duration(n) * time.Second / time.Duration(rate))))
		wg.Go(func() {
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/slack/events", bytes.NewReader(bodies[n]))
			if err != nil {
				b.Error(err)
				return
			}
			req.Header.Set("Content-Type", "application/json")
			sign(req, bodies[n], time.Now(), signingSecret)
			sent := time.Now()
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			resp.Body.Close()
			lat[n] = time.Since(sent)
			if resp.StatusCode != http.StatusOK {
				b.Errorf("event %d: %d", n, resp.StatusCode)
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ack-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ack-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ack-ms")
	r.fake.ClearFaults("")
	r.stop()
}
