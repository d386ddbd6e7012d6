package embed_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
)

const sha = "7a2b7d4d1ec8ae3e0a6d54d4e6b1dc0d6e3d3e5d9d0f8b3b6b16e0d1c7a1f2e3"

func TestReadSource(t *testing.T) {
	tests := []struct {
		name    string
		content string // "" = no file
		want    *embed.Source
		wantErr string
	}{
		{name: "no record: not built by gilkit"},
		{
			name:    "a record",
			content: `{"version": "3.13.15", "tarball": "python3.13_3.13.15.orig.tar.xz", "sha256": "` + sha + `", "origin": "debian"}`,
			want:    &embed.Source{Version: "3.13.15", Tarball: "python3.13_3.13.15.orig.tar.xz", SHA256: sha, Origin: "debian"},
		},
		{name: "not JSON", content: `version=3.13.15`, wantErr: "invalid character"},
		{name: "no checksum", content: `{"version": "3.13.15", "tarball": "Python-3.13.15.tar.xz"}`, wantErr: "sha256 of 64 hex digits"},
		{name: "short checksum", content: `{"version": "3.13.15", "tarball": "Python-3.13.15.tar.xz", "sha256": "abc"}`, wantErr: "sha256 of 64 hex digits"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			prefix := t.TempDir()
			if tc.content != "" {
				require.NoError(t, os.WriteFile(filepath.Join(prefix, embed.SourceFile), []byte(tc.content), 0o644))
			}
			got, err := embed.ReadSource(prefix)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				assert.Contains(t, err.Error(), prefix, "the error names the file")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

// The running interpreter's Info carries its prefix's source record, and
// make test (with-python.sh) linked the prefix it names.
func TestInfoSource(t *testing.T) {
	info, err := interp(t).Info()
	require.NoError(t, err)
	want, err := embed.ReadSource(info.Prefix)
	require.NoError(t, err)
	assert.Equal(t, want, info.Source)
	if info.Source != nil {
		assert.Equal(t, info.Version, info.Source.Version, "the record describes this interpreter's release")
		assert.Contains(t, []string{"python.org", "debian", "GILKIT_SOURCES"}, info.Source.Origin)
	}
	if prefix := os.Getenv("GILKIT_PYTHON_PREFIX"); prefix != "" {
		wantDir, err := filepath.EvalSymlinks(prefix)
		require.NoError(t, err)
		gotDir, err := filepath.EvalSymlinks(info.Prefix)
		require.NoError(t, err)
		assert.Equal(t, wantDir, gotDir, "sys.prefix is the prefix make test built against")
	}
}
