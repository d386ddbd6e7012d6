package gid_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed/internal/gid"
)

func TestCurrentIsStableWithinAGoroutine(t *testing.T) {
	a := gid.Current()
	require.NotZero(t, a)
	for range 1000 {
		assert.Equal(t, a, gid.Current())
	}
}

// TestCurrentDiffersBetweenLiveGoroutines keeps 64 goroutines alive at once
// (so that no descriptor can be reused) and checks that each sees its own
// identity, before and after it was rescheduled.
func TestCurrentDiffersBetweenLiveGoroutines(t *testing.T) {
	const n = 64
	ids := make([]uintptr, n)
	changed := make([]bool, n)
	var started, wg sync.WaitGroup
	release := make(chan struct{})
	started.Add(n)
	wg.Add(n)
	for i := range n {
		go func() {
			defer wg.Done()
			ids[i] = gid.Current()
			started.Done()
			<-release // parked and rescheduled, maybe on another thread
			changed[i] = gid.Current() != ids[i]
		}()
	}
	started.Wait()
	close(release)
	wg.Wait()
	seen := map[uintptr]bool{gid.Current(): true}
	for i, id := range ids {
		assert.False(t, changed[i], "goroutine %d changed identity after being rescheduled", i)
		assert.False(t, seen[id], "goroutine %d shares an identity with another live goroutine", i)
		seen[id] = true
	}
}
