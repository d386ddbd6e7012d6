package scripts

import (
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMakeHelpListsEveryTarget: make help is made from the targets' "##"
// comments, so it cannot drift from the Makefile; this fails when a .PHONY
// target has none (or make help lists one that is not a target).
func TestMakeHelpListsEveryTarget(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make")
	}
	data, err := os.ReadFile("../Makefile")
	require.NoError(t, err)
	var phony []string
	for _, m := range regexp.MustCompile(`(?m)^\.PHONY:(.*)$`).FindAllStringSubmatch(string(data), -1) {
		phony = append(phony, strings.Fields(m[1])...)
	}
	require.Contains(t, phony, "help")

	cmd := exec.Command("make", "-s", "--no-print-directory", "help")
	cmd.Dir = ".."
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	var listed []string
	for _, m := range regexp.MustCompile(`(?m)^  make (\S+) +\S`).FindAllStringSubmatch(string(out), -1) {
		listed = append(listed, m[1])
	}
	for _, target := range phony {
		assert.Contains(t, listed, target, "make help does not list %s: add a \"## what it does\" comment after its name in the Makefile", target)
	}
	for _, target := range listed {
		assert.True(t, slices.Contains(phony, target), "make help lists %s, which is not in .PHONY", target)
	}
}
