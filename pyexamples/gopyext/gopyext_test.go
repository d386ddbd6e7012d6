package gopyext

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCountdown(t *testing.T) {
	for _, tc := range []struct {
		name string
		n    int
		want int
	}{
		{"zero", 0, 0},
		{"one", 1, 0},
		{"many", 10_000_000, 0},
		{"negative stays", -3, -3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Countdown(tc.n))
		})
	}
}

func TestHashLoop(t *testing.T) {
	once := sha256.Sum256([]byte("gilkit"))
	twice := sha256.Sum256(once[:])
	for _, tc := range []struct {
		name   string
		seed   string
		rounds int
		want   string
	}{
		{"no rounds is the seed", "gilkit", 0, hex.EncodeToString([]byte("gilkit"))},
		{"one round", "gilkit", 1, hex.EncodeToString(once[:])},
		{"two rounds hash the digest", "gilkit", 2, hex.EncodeToString(twice[:])},
		// sha256(b"").hexdigest(), a published constant.
		{"empty seed", "", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, HashLoop(tc.seed, tc.rounds))
		})
	}
}
