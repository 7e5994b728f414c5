//go:build !linux

package kb

import "time"

// threadCPU reports that a thread's CPU time cannot be read here.
func threadCPU() (time.Duration, bool) { return 0, false }
