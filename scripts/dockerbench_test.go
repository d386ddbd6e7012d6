package scripts

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The bench service's entrypoint, in an image with no gilctl-NAME binary,
// says so and what to do, instead of dying silently under set -e.
func TestBenchWithoutBinariesSaysSo(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command("bash", "../docker/bench.sh", "--quick")
	cmd.Env = append(cmd.Environ(), "GILKIT_BIN="+filepath.Join(dir, "bin"), "GILKIT_OUT="+filepath.Join(dir, "out"),
		"GILKIT_OWNER_OF="+dir)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if assert.ErrorAs(t, err, &exit) {
		assert.Equal(t, 1, exit.ExitCode())
	}
	assert.Contains(t, string(out), "no gilctl-NAME binaries in "+filepath.Join(dir, "bin"))
}
