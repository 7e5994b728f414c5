package kb

import (
	"runtime"
	"testing"
)

func heapMB() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / (1 << 20)
}

func TestZZMem(t *testing.T) {
	h0 := heapMB()
	arts, err := LoadDir("/tmp/st/kbdir")
	if err != nil {
		t.Fatal(err)
	}
	h1 := heapMB()
	ix := NewIndex(arts)
	h2 := heapMB()
	t.Logf("articles %.1f MB, index %.1f MB", h1-h0, h2-h1)
	sz := func(n int, per int) float64 { return float64(n*per) / (1 << 20) }
	t.Logf("termPost %.1f pairPost %.1f pairsmap~%.1f", sz(len(ix.termPost.docs), 9), sz(len(ix.pairPost.docs), 9), sz(len(ix.pairs), 16))
	runtime.KeepAlive(ix)
	runtime.KeepAlive(arts)
}
