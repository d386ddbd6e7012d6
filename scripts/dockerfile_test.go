package scripts

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dockerStage returns the lines of the Dockerfile stage named name.
func dockerStage(t *testing.T, dockerfile, name string) string {
	t.Helper()
	start := regexp.MustCompile(`(?m)^FROM \S+ AS ` + regexp.QuoteMeta(name) + `$`).FindStringIndex(dockerfile)
	require.NotNil(t, start, "no stage %q in docker/Dockerfile", name)
	rest := dockerfile[start[1]:]
	if next := regexp.MustCompile(`(?m)^FROM `).FindStringIndex(rest); next != nil {
		rest = rest[:next[0]]
	}
	return rest
}

// The gilctl stage copies only some scripts; every script that
// build-gilctl.sh (and what it runs) calls must be among them, or the
// image's build fails at that step on every Docker host.
func TestDockerGilctlStageHasTheScriptsItRuns(t *testing.T) {
	dockerfile, err := os.ReadFile("../docker/Dockerfile")
	require.NoError(t, err)
	stage := dockerStage(t, string(dockerfile), "gilctl")
	calls := regexp.MustCompile(`\$here/([a-z-]+\.sh)`)
	seen := map[string]bool{}
	queue := []string{"build-gilctl.sh"}
	for len(queue) > 0 {
		script := queue[0]
		queue = queue[1:]
		if seen[script] {
			continue
		}
		seen[script] = true
		assert.Regexp(t, `(?m)^COPY .*scripts/`+regexp.QuoteMeta(script)+`[ \n].*/src/scripts/`, stage,
			"the gilctl stage runs scripts/%s but does not COPY it", script)
		body, err := os.ReadFile(script)
		require.NoError(t, err)
		for _, m := range calls.FindAllStringSubmatch(string(body), -1) {
			queue = append(queue, m[1])
		}
	}
	assert.Greater(t, len(seen), 1, "build-gilctl.sh calls other scripts through $here")
}

// The test service runs make test in gilkit:dev, and make test checks the
// docs (TestDocLinks, the docs' gilctl commands, README's program): the dev
// stage copies what those read. (A COPY of something .dockerignore keeps out
// fails the build, so the COPY lines are the whole check.)
func TestDockerDevStageHasTheDocs(t *testing.T) {
	dockerfile, err := os.ReadFile("../docker/Dockerfile")
	require.NoError(t, err)
	stage := dockerStage(t, string(dockerfile), "dev")
	for _, want := range []string{"README.md", "ARCHITECTURE.md", "LICENSE", "compose.yaml", "docs/", "testdata/", "pyexamples/"} {
		copied := false
		for _, line := range strings.Split(stage, "\n") {
			if !strings.HasPrefix(line, "COPY ") {
				continue
			}
			for _, src := range strings.Fields(line)[1:] {
				if src == want || (src == "*.md" && strings.HasSuffix(want, ".md")) {
					copied = true
				}
			}
		}
		assert.True(t, copied, "the dev stage does not COPY %s", want)
	}
}

// gilkit:dev compiles the race test binaries of the interpreters in
// WARM_PYTHONS; by default (in the Dockerfile and in compose.yaml, which
// passes GILKIT_WARM_PYTHONS on) that is every interpreter the dev stage
// holds and prepares, so that a user's `docker compose run test` starts
// warm on each. An interpreter added to the stage but not to the defaults
// would silently start cold.
func TestDockerDevStageWarmsEveryInterpreterByDefault(t *testing.T) {
	dockerfile, err := os.ReadFile("../docker/Dockerfile")
	require.NoError(t, err)
	stage := dockerStage(t, string(dockerfile), "dev")
	names := func(re string, text string) []string {
		var out []string
		for _, m := range regexp.MustCompile(re).FindAllStringSubmatch(text, -1) {
			out = append(out, strings.Fields(m[1])...)
		}
		return out
	}
	held := names(`(?m)^COPY --from=cpython-(\S+) `, stage)
	require.NotEmpty(t, held, "the dev stage copies no interpreter")
	assert.ElementsMatch(t, held, names(`(?m)^RUN .*dev-prepare\.sh (\S+)`, stage), "dev-prepare.sh runs once per interpreter of the stage")
	assert.ElementsMatch(t, held, names(`(?m)^ARG WARM_PYTHONS="([^"]*)"$`, stage), "the Dockerfile's default WARM_PYTHONS")
	compose, err := os.ReadFile("../compose.yaml")
	require.NoError(t, err)
	assert.ElementsMatch(t, held, names(`WARM_PYTHONS: "\$\{GILKIT_WARM_PYTHONS:-([^}]*)\}"`, string(compose)), "compose.yaml's default GILKIT_WARM_PYTHONS")
}
