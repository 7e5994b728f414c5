package discord

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// BenchmarkDiscordDM measures the Discord path end to end: a report sent
// as a DM over the fake gateway, through discordgo, the adapter's lanes,
// the worker pool (4), the core with SQLite, to the reply's REST post at
// the fake. 1 or 16 people report at once, each waiting for the answer
// before the next report; latency is from the gateway dispatch to the
// reply arriving at Discord.
//
//	go test -run '^$' -bench DiscordDM -benchtime 2000x ./adapters/discord/
func BenchmarkDiscordDM(b *testing.B) {
	for _, c := range []int{1, 16} {
		b.Run(fmt.Sprintf("people=%d", c), func(b *testing.B) { benchDM(b, c) })
	}
}

func benchDM(b *testing.B, concurrency int) {
	d := newDesk(b, deskOptions{})
	var mu sync.Mutex
	waiting := map[string]chan struct{}{}
	d.fake.mu.Lock()
	d.fake.onCreate = func(channel string) {
		mu.Lock()
		ch := waiting[channel]
		delete(waiting, channel)
		mu.Unlock()
		if ch != nil {
			close(ch)
		}
	}
	d.fake.mu.Unlock()
	jobs := make(chan int)
	lat := make([]time.Duration, b.N)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				user := fmt.Sprint(8000000 + i)
				done := make(chan struct{})
				mu.Lock()
				waiting[dmChannelOf(user)] = done
				mu.Unlock()
				t0 := time.Now()
				d.dm(user, vpnReport)
				select {
				case <-done:
				case <-time.After(30 * time.Second):
					b.Errorf("no reply for %s", user)
					return
				}
				lat[i] = time.Since(t0)
			}
		}()
	}
	for i := range b.N {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
