package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseDepends(t *testing.T) {
	tests := []struct {
		field string
		want  []string
	}{
		{"", nil},
		{"libc6 (>= 2.38), libexpat1 (>= 2.9.0)", []string{"libc6", "libexpat1"}},
		{"media-types | mime-support, netbase", []string{"media-types", "netbase"}},
		{"libfoo:any (= 1.0), libbar [amd64]", []string{"libfoo", "libbar"}},
		{"libpython3.15-stdlib (= 3.15.2-1),\n libc6 (>= 2.14)", []string{"libpython3.15-stdlib", "libc6"}},
	}
	for _, tc := range tests {
		t.Run(tc.field, func(t *testing.T) {
			assert.Equal(t, tc.want, parseDepends(tc.field))
		})
	}
}

func TestWanted(t *testing.T) {
	for section, want := range map[string]bool{
		"libs": true, "oldlibs": true, "non-free/libs": true,
		"localization": false, "admin": false, "python": false, "libdevel": false, "": false,
	} {
		assert.Equal(t, want, wanted(section), section)
	}
}

func testLayout() layout {
	return layout{Version: "3.15", Triplet: "x86_64-linux-gnu", Loader: "ld-linux-x86-64.so.2", Prefix: "/c/3.15-debian",
		PatchVersion: "3.15.2", PythonPackage: "libpython3.15", PackageVersion: "3.15.2-1", LibsPrivate: "-ldl"}
}

// Where each part of Debian's multiarch layout goes in the prefix.
func TestLayoutDest(t *testing.T) {
	l := testLayout()
	tests := []struct{ from, want string }{
		{"usr/lib/x86_64-linux-gnu/libpython3.15.so.1.0", "lib/libpython3.15.so.1.0"},
		{"usr/lib/x86_64-linux-gnu/libc.so.6", "lib/libc.so.6"},
		{"usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "lib/ld-linux-x86-64.so.2"},
		{"lib/x86_64-linux-gnu/libz.so.1", "lib/libz.so.1"},
		{"usr/lib/python3.15/os.py", "lib/python3.15/os.py"},
		{"usr/lib/python3.15/lib-dynload/_ssl.cpython-315-x86_64-linux-gnu.so", "lib/python3.15/lib-dynload/_ssl.cpython-315-x86_64-linux-gnu.so"},
		{"usr/include/python3.15/Python.h", "include/python3.15/Python.h"},
		// The real pyconfig.h replaces Debian's multiarch wrapper.
		{"usr/include/x86_64-linux-gnu/python3.15/pyconfig.h", "include/python3.15/pyconfig.h"},
		{"usr/include/python3.15/pyconfig.h", ""},
		{"usr/lib/x86_64-linux-gnu/pkgconfig/python-3.15-embed.pc", ""},
		{"usr/lib/x86_64-linux-gnu/libpython3.15.a", ""},
		{"usr/lib/x86_64-linux-gnu/gconv/UTF-16.so", ""},
		{"usr/bin/python3.15", ""}, // Debian's static binary: bin/python3.15 is linked anew
		{"usr/share/doc/libc6/copyright", ""},
		{"etc/python3.15/sitecustomize.py", ""},
	}
	for _, tc := range tests {
		t.Run(tc.from, func(t *testing.T) {
			got, ok := l.dest(tc.from)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.want != "", ok)
		})
	}
}

func TestRelocate(t *testing.T) {
	l := testLayout()
	tests := []struct{ from, want string }{
		{"/usr", "/c/3.15-debian"},
		{"/usr/bin", "/c/3.15-debian/bin"},
		{"/usr/bin/python3.15", "/c/3.15-debian/bin/python3.15"},
		{"/usr/lib/x86_64-linux-gnu", "/c/3.15-debian/lib"},
		{"/usr/lib/x86_64-linux-gnu/pkgconfig", "/c/3.15-debian/lib/pkgconfig"},
		{"/usr/lib/python3.15/config-3.15-x86_64-linux-gnu", "/c/3.15-debian/lib/python3.15/config-3.15-x86_64-linux-gnu"},
		{"/usr/include/python3.15", "/c/3.15-debian/include/python3.15"},
		{"/usr/include/x86_64-linux-gnu/python3.15", "/c/3.15-debian/include/python3.15"},
		{"/usr/share/zoneinfo", "/c/3.15-debian/share/zoneinfo"},
		{"/usrx", "/usrx"},
		{"/etc/ssl", "/etc/ssl"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, l.relocate(tc.from), tc.from)
	}
}

// Only the variables that say where the installation lives move; flags
// and other text stay as Debian built them.
func TestRewriteSysconfigData(t *testing.T) {
	in := `# system configuration generated and used by the sysconfig module
build_time_vars = {
    'BINDIR': '/usr/bin',
    'CFLAGS': '-I/usr/include -O2',
    'INCLUDEPY': '/usr/include/python3.15',
    'LIBDIR': '/usr/lib/x86_64-linux-gnu',
    'LIBPL': '/usr/lib/python3.15/config-3.15-x86_64-linux-gnu',
    'TZPATH': '/usr/share/zoneinfo:/usr/lib/zoneinfo',
    'WITH_DOC_STRINGS': 1,
    'prefix': '/usr',
}
`
	out, n := testLayout().rewriteSysconfigData([]byte(in))
	assert.Equal(t, 5, n)
	want := strings.NewReplacer(
		"'BINDIR': '/usr/bin'", "'BINDIR': '/c/3.15-debian/bin'",
		"'INCLUDEPY': '/usr/include/python3.15'", "'INCLUDEPY': '/c/3.15-debian/include/python3.15'",
		"'LIBDIR': '/usr/lib/x86_64-linux-gnu'", "'LIBDIR': '/c/3.15-debian/lib'",
		"'LIBPL': '/usr/lib/python3.15/", "'LIBPL': '/c/3.15-debian/lib/python3.15/",
		"'prefix': '/usr'", "'prefix': '/c/3.15-debian'",
	).Replace(in)
	assert.Equal(t, want, string(out))
}

func TestPCFile(t *testing.T) {
	l := testLayout()
	embed := l.pcFile(true)
	assert.Contains(t, embed, "prefix=/c/3.15-debian\n")
	assert.Contains(t, embed, "\nVersion: 3.15\n")
	assert.Contains(t, embed, "\nLibs: -L${libdir} -lpython3.15 -Wl,-rpath,${libdir}\n")
	assert.Contains(t, embed, "\nCflags: -I${includedir}/python3.15\n")
	assert.Contains(t, embed, "\ngilkit_ldflags=-Wl,--dynamic-linker=${libdir}/ld-linux-x86-64.so.2 -Wl,--disable-new-dtags -Wl,-rpath,${libdir} -Wl,--allow-shlib-undefined\n")
	ext := l.pcFile(false)
	assert.Contains(t, ext, "\nLibs: -L${libdir}\n", "an extension does not link libpython")
}
