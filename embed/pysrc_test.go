package embed_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
)

// Every Python file gilkit runs compiles on the interpreter under test, and
// every file in py/ is one gilkit runs (none is forgotten).
func TestEmbeddedPythonCompiles(t *testing.T) {
	srcs := embed.PythonSources()
	files, err := filepath.Glob(filepath.Join("py", "*.py"))
	require.NoError(t, err)
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	require.ElementsMatch(t, names, keys(srcs), "py/*.py and the sources embed runs")
	for name, src := range srcs {
		t.Run(name, func(t *testing.T) {
			onDisk, err := os.ReadFile(filepath.Join("py", name))
			require.NoError(t, err)
			assert.Equal(t, string(onDisk), src)
			do(t, func(py *embed.Py) error {
				compile, err := py.Eval("compile")
				require.NoError(t, err)
				defer compile.Close()
				code, err := py.Call(compile, src, name, "exec")
				require.NoError(t, err, "%s does not compile", name)
				code.Close()
				return nil
			})
		})
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
