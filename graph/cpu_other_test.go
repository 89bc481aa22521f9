//go:build !linux

package graph_test

import "time"

func threadCPU() time.Duration  { return 0 }
func processCPU() time.Duration { return 0 }
