package bench

import (
	"io/fs"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
)

// TestEmbeddedPythonCompiles compiles every Python file the runner embeds
// (all of py/) on the interpreter under test.
func TestEmbeddedPythonCompiles(t *testing.T) {
	files, err := fs.Glob(pySources, "py/*.py")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	in, err := embed.Default()
	require.NoError(t, err)
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			src, err := pySources.ReadFile(file)
			require.NoError(t, err)
			require.NoError(t, in.Do(func(py *embed.Py) error {
				builtins, err := py.Import("builtins")
				if err != nil {
					return err
				}
				compile, err := py.Attr(builtins, "compile")
				if err != nil {
					return err
				}
				code, err := py.Call(compile, string(src), file, "exec")
				if err != nil {
					return err
				}
				code.Close()
				return nil
			}))
		})
	}
}

// TestSysPathPrepend: the helper that gives subinterpreters the main
// interpreter's sys.path puts only missing entries first, in order.
func TestSysPathPrepend(t *testing.T) {
	in, err := embed.Default()
	require.NoError(t, err)
	require.NoError(t, in.Do(func(py *embed.Py) error {
		prepend, err := pyHelper(py, "syspath.py", "prepend")
		if err != nil {
			return err
		}
		sys, err := py.Import("sys")
		if err != nil {
			return err
		}
		path, err := py.Attr(sys, "path")
		if err != nil {
			return err
		}
		before, err := py.Go(path)
		if err != nil {
			return err
		}
		first := before.([]any)[0]
		if _, err := py.Call(prepend, []any{"/gilctl-test/a", first, "/gilctl-test/b"}); err != nil {
			return err
		}
		after, err := py.Go(path)
		if err != nil {
			return err
		}
		assert.Equal(t, append([]any{"/gilctl-test/a", "/gilctl-test/b"}, before.([]any)...), after)
		builtins, err := py.Import("builtins")
		if err != nil {
			return err
		}
		setattr, err := py.Attr(builtins, "setattr")
		if err != nil {
			return err
		}
		_, err = py.Call(setattr, sys, "path", before)
		return err
	}))
}
