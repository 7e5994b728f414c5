//go:build !linux

package extract

import "time"

func threadCPU() (time.Duration, bool) { return 0, false }
