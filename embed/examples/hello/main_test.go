package main

import (
	"io"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMainPrints runs the program in this process, as `go run` would, and
// checks what it prints.
func TestMainPrints(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	stdout := os.Stdout
	os.Stdout = w
	main()
	os.Stdout = stdout
	require.NoError(t, w.Close())
	out, err := io.ReadAll(r)
	require.NoError(t, err)
	assert.Regexp(t, `^sum of squares: 332833500 \| free-threaded build: (true|false)\n$`, string(out))
}

// TestReadmeShowsThisProgram keeps README.md's program and this file the
// same, so that the program a newcomer copies is the one the tests run.
func TestReadmeShowsThisProgram(t *testing.T) {
	readme, err := os.ReadFile("../../../README.md")
	require.NoError(t, err)
	src, err := os.ReadFile("main.go")
	require.NoError(t, err)
	blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	require.NotEmpty(t, blocks, "README.md has no ```go block")
	want := strings.SplitN(string(src), "package main", 2)[1]
	for _, b := range blocks {
		if strings.HasPrefix(b[1], "package main") && strings.SplitN(b[1], "package main", 2)[1] == want {
			return
		}
	}
	t.Fatalf("no ```go block of README.md is embed/examples/hello/main.go (from `package main` on); copy the file into README.md")
}
