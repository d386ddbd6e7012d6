package cli

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gilkit/gilkit/gilctl/internal/check"
	"github.com/gilkit/gilkit/gilctl/internal/report"
)

// The plans themselves are pinned in package report
// (TestDefaultPlansArePinned); compare picks the one --quick asks for.
func TestComparePlan(t *testing.T) {
	assert.Equal(t, check.ClaimCells(), comparePlan(true), "--quick: the claims' cells")
	assert.Equal(t, report.Plan(), comparePlan(false), "the claims' and the charts' cells")
}

// TestCheckDefaultsAreTheClaims: without a plan (a matrix flag given),
// check's cross product starts from the claims' workloads, modes and
// counts.
func TestCheckDefaultsAreTheClaims(t *testing.T) {
	assert.Equal(t, specDefaults{workloads: "countdown,io-sleep,release-sha256,go-release,go-held,gopy,asyncio,probe-io",
		modes: "serial,threads,processes", workers: "1,2", cpuThreads: "0,1"}, defaultsOf(check.ClaimCells()))
}
