package embed_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
)

func TestInterpreterCall(t *testing.T) {
	in := interp(t)
	var fns = map[string]*embed.Object{}
	do(t, func(py *embed.Py) error {
		for name, src := range map[string]string{
			"none":  "lambda *a: None",
			"true":  "lambda *a: True",
			"list":  "lambda *a: list(a) or [0]",
			"raise": "lambda *a: 1/0",
		} {
			o, err := py.Eval(src)
			require.NoError(t, err)
			fns[name] = o
		}
		return nil
	})
	cases := []struct {
		name    string
		fn      string
		args    []any
		want    any
		wantErr string
	}{
		{"no args, None", "none", nil, nil, ""},
		{"no args, True", "true", nil, true, ""},
		{"no args, new object", "list", nil, []any{int64(0)}, ""},
		{"with args", "list", []any{1, "x"}, []any{int64(1), "x"}, ""},
		{"exception, no args", "raise", nil, nil, "ZeroDivisionError: division by zero"},
		{"exception, with args", "raise", []any{1}, nil, "ZeroDivisionError"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := in.Call(fns[tc.fn], tc.args...)
			if tc.wantErr != "" {
				var pyErr *embed.PyError
				require.ErrorAs(t, err, &pyErr)
				assert.Contains(t, err.Error(), tc.wantErr)
				assert.Contains(t, pyErr.Traceback, "ZeroDivisionError")
				return
			}
			require.NoError(t, err)
			do(t, func(py *embed.Py) error {
				got, err := py.Go(r)
				require.NoError(t, err)
				assert.Equal(t, tc.want, got)
				return nil
			})
			r.Close()
		})
	}

	t.Run("inside Do", func(t *testing.T) {
		do(t, func(py *embed.Py) error {
			r, err := in.Call(fns["true"])
			require.NoError(t, err)
			got, err := py.Go(r)
			require.NoError(t, err)
			assert.Equal(t, true, got)
			return py.Exec("pass") // still attached after the nested call
		})
	})
	t.Run("closed or nil callable", func(t *testing.T) {
		var closed *embed.Object
		do(t, func(py *embed.Py) error {
			var err error
			closed, err = py.Eval("len")
			return err
		})
		closed.Close()
		_, err := in.Call(closed)
		assert.ErrorContains(t, err, "after Close")
		_, err = in.Call(nil)
		assert.ErrorContains(t, err, "nil *Object")
	})
	for _, o := range fns {
		o.Close()
	}
}
