package embed_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
)

// TestPythonExceptionsBecomeGoErrors: every way Python code can fail comes
// back as a *PyError, and the process (and interpreter) stays usable.
func TestPythonExceptionsBecomeGoErrors(t *testing.T) {
	cases := []struct {
		name       string
		src        string
		wantType   string
		wantMsg    string
		wantTB     string
		systemExit bool
		exitCode   int
		where      string
	}{
		{name: "ValueError", src: "def f():\n    raise ValueError('bad value')\nf()", wantType: "ValueError", wantMsg: "bad value", wantTB: "in f"},
		{name: "custom exception", src: "class Oops(Exception): pass\nraise Oops('x')", wantType: "__gilkit__.Oops", wantMsg: "x"},
		{name: "module exception", src: "import json\njson.loads('{')", wantType: "json.decoder.JSONDecodeError", wantMsg: "Expecting property name"},
		{name: "syntax error", src: "x = 1\ndef (:\n", wantType: "SyntaxError", wantMsg: "invalid syntax", where: "snippet.py:2"},
		{name: "indentation error", src: "if True:\npass", wantType: "IndentationError", where: "snippet.py:2"},
		{name: "SystemExit with status", src: "import sys; sys.exit(3)", wantType: "SystemExit", systemExit: true, exitCode: 3},
		{name: "SystemExit without status", src: "raise SystemExit", wantType: "SystemExit", systemExit: true, exitCode: 0},
		{name: "SystemExit with message", src: "raise SystemExit('bye')", wantType: "SystemExit", wantMsg: "bye", systemExit: true, exitCode: 1},
		{name: "KeyboardInterrupt", src: "raise KeyboardInterrupt", wantType: "KeyboardInterrupt"},
		{name: "chained", src: "try:\n    1/0\nexcept Exception as e:\n    raise RuntimeError('wrapped') from e", wantType: "RuntimeError", wantMsg: "wrapped", wantTB: "ZeroDivisionError"},
		{name: "str() of the exception fails", src: "class E(Exception):\n    def __str__(self): raise TypeError\nraise E()", wantType: "__gilkit__.E", wantMsg: "<exception str() failed>"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			do(t, func(py *embed.Py) error {
				err := py.Exec(tc.src, embed.Filename("snippet.py"))
				var pyErr *embed.PyError
				require.ErrorAs(t, err, &pyErr)
				assert.Equal(t, tc.wantType, pyErr.Type)
				assert.Contains(t, pyErr.Message, tc.wantMsg)
				assert.Contains(t, pyErr.Traceback, tc.wantTB)
				assert.Contains(t, pyErr.Traceback, strings.TrimPrefix(tc.wantType, "__gilkit__."))
				assert.Equal(t, tc.systemExit, pyErr.IsSystemExit())
				assert.Equal(t, tc.exitCode, pyErr.ExitCode)
				assert.Equal(t, tc.where, pyErr.Where())
				assert.Contains(t, err.Error(), "snippet.py", "the error says where it came from")
				// The interpreter is fine afterwards.
				return py.Exec("pass")
			})
		})
	}
}

func TestPyErrorWorksWithErrorsAs(t *testing.T) {
	err := interp(t).Do(func(py *embed.Py) error { return py.Exec("raise LookupError('k')") })
	wrapped := errors.Join(errors.New("context"), err)
	var pyErr *embed.PyError
	require.ErrorAs(t, wrapped, &pyErr)
	assert.Equal(t, "LookupError: k", pyErr.Error())
}

func TestObjectMisuseIsAnError(t *testing.T) {
	do(t, func(py *embed.Py) error {
		_, err := py.Call(nil)
		assert.ErrorContains(t, err, "nil *Object")
		return nil
	})
}
