package provenance_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/gilctl/internal/provenance"
)

const sha = "7a2b7d4d1ec8ae3e0a6d54d4e6b1dc0d6e3d3e5d9d0f8b3b6b16e0d1c7a1f2e3"

func TestRead(t *testing.T) {
	tests := []struct {
		name    string
		content string // "" = no file
		want    *provenance.Record
		wantErr string
	}{
		{name: "no record: not built by gilkit"},
		{
			name:    "a record",
			content: `{"version": "3.13.15", "tarball": "python3.13_3.13.15.orig.tar.xz", "sha256": "` + sha + `", "origin": "debian"}`,
			want:    &provenance.Record{Version: "3.13.15", Tarball: "python3.13_3.13.15.orig.tar.xz", SHA256: sha, Origin: "debian"},
		},
		{
			name: "Debian's binary packages",
			content: `{"version": "3.15.2", "origin": "debian-binary", "archive": "http://deb.debian.org/debian sid main", "packages": [
				{"name": "libpython3.15", "version": "3.15.2-1", "architecture": "amd64", "file": "libpython3.15_3.15.2-1_amd64.deb", "sha256": "` + sha + `"},
				{"name": "libc6", "version": "2.43-7", "architecture": "amd64", "file": "libc6_2.43-7_amd64.deb", "sha256": "` + sha + `"}]}`,
			want: &provenance.Record{Version: "3.15.2", Origin: provenance.OriginDebianBinary, Archive: "http://deb.debian.org/debian sid main", Packages: []provenance.Package{
				{Name: "libpython3.15", Version: "3.15.2-1", Architecture: "amd64", File: "libpython3.15_3.15.2-1_amd64.deb", SHA256: sha},
				{Name: "libc6", Version: "2.43-7", Architecture: "amd64", File: "libc6_2.43-7_amd64.deb", SHA256: sha}}},
		},
		{name: "Debian's binary packages, none listed", content: `{"version": "3.15.2", "origin": "debian-binary"}`, wantErr: "needs a version and its packages"},
		{name: "a package without checksum", content: `{"version": "3.15.2", "origin": "debian-binary", "packages": [{"name": "libpython3.15", "version": "3.15.2-1"}]}`,
			wantErr: "needs a name, a version and a sha256"},
		{name: "not JSON", content: `version=3.13.15`, wantErr: "invalid character"},
		{name: "no checksum", content: `{"version": "3.13.15", "tarball": "Python-3.13.15.tar.xz"}`, wantErr: "sha256 of 64 hex digits"},
		{name: "short checksum", content: `{"version": "3.13.15", "tarball": "Python-3.13.15.tar.xz", "sha256": "abc"}`, wantErr: "sha256 of 64 hex digits"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			prefix := t.TempDir()
			if tc.content != "" {
				require.NoError(t, os.WriteFile(filepath.Join(prefix, provenance.File), []byte(tc.content), 0o644))
			}
			got, err := provenance.Read(prefix)
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
