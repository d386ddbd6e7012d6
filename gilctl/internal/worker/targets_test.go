package worker

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDiscover(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"gilctl-3.12", "gilctl-3.13t"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"), 0o755))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "gilctl-notes.txt"), nil, 0o644)) // not executable

	all, err := Discover(dir, nil)
	require.NoError(t, err)
	var names []string
	for _, tg := range all {
		names = append(names, tg.Name)
	}
	assert.Equal(t, []string{"3.12", "3.13t", "3.13t+gil"}, names, "free-threaded builds also run with the GIL on")
	assert.Equal(t, []string{"PYTHON_GIL=1"}, all[2].Env)
	assert.Equal(t, []string{filepath.Join(dir, "gilctl-3.13t")}, all[2].Argv)
	assert.Equal(t, []string{"PYTHON_GIL="}, all[1].Env, "the plain variant clears an inherited PYTHON_GIL")

	cases := []struct {
		names   []string
		wantErr string
	}{
		{[]string{"3.11"}, "no gilctl-3.11 beside this binary (have: 3.12, 3.13t)"},
		{[]string{"3.12+gil"}, "only free-threaded builds"},
		{[]string{"/no/such/gilctl-x"}, "no such file"},
	}
	for _, tc := range cases {
		_, err := Discover(dir, tc.names)
		assert.ErrorContains(t, err, tc.wantErr)
	}
	_, err = Discover(t.TempDir(), nil)
	assert.ErrorContains(t, err, "run make build")
}
