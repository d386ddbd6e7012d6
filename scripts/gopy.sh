#!/usr/bin/env bash
# gopy.sh NAME PREFIX
#
# Builds the Go package pyexamples/gopyext with gopy into a CPython extension
# module for the interpreter NAME (e.g. 3.12, 3.13t) installed in PREFIX, for
# plain python processes (never for the embedded interpreter: two Go runtimes
# must not meet in one process).
#
# Everything goes to the cache ${GILKIT_CACHE:-${XDG_CACHE_HOME:-~/.cache}/gilkit}/gopy:
#   tools/KEY/{gopy,goimports}  built from scripts/gopy-tools (pinned versions)
#   pybindgen/DEB/...           Debian's python3-pybindgen, unpacked (pure
#                               Python; put on PYTHONPATH, nothing installed)
#   builds/ABI-KEY/             one build: gopyext/ (the Python package), gopy.log,
#                               prefix, and "error" (gopy's error) when it failed
#   ext/ABI                     symlink to the newest build for NAME; this is
#                               where pyexamples/gopy_threads.py looks
# ABI is NAME without "+gil" (3.13t+gil uses 3.13t's build). KEY hashes
# everything the result depends on, so a second run is instant and a changed
# source or interpreter rebuilds. A failed build is recorded but tried again.
#
# stdout: one line, the build directory. Put it on sys.path and
# `from gopyext import gopyext`. Progress goes to stderr.
# Exit status: 0 built; 3 gopy could not build for this interpreter (the
# reason, in gopy's own words, is in BUILD/error and on stderr); 1 anything
# else (a tool could not be installed, bad usage).
set -euo pipefail

name=${1:?usage: gopy.sh NAME PREFIX}
prefix=${2:?usage: gopy.sh NAME PREFIX}
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${GILKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gilkit}/gopy
abi=${name%+gil}
python=$prefix/bin/python$abi

log() { echo "gopy: $*" >&2; }
die() {
	log "$name: $*"
	exit 1
}

[ -x "$python" ] || die "no python at $python (NAME is X.Y or X.Yt, PREFIX the interpreter's prefix)"
command -v go >/dev/null || die "go is not on PATH"
mkdir -p "$cache"/{tools,pybindgen,builds,ext}

# tools: gopy and goimports, at the versions scripts/gopy-tools pins.
# (`go install github.com/go-python/gopy@v0.4.10` does not work through the
# module proxy here: it also asks for gopy's version list, which is refused.)
tools=$cache/tools/$( (go version; cat "$root"/scripts/gopy-tools/go.{mod,sum}) | sha256sum | cut -c1-16)
if ! [ -x "$tools/gopy" ] || ! [ -x "$tools/goimports" ]; then
	log "building gopy and goimports into $tools (once)"
	tmp=$(mktemp -d "$cache/tools/.tmp.XXXXXX")
	chmod 0755 "$tmp"
	(cd "$root/scripts/gopy-tools" && go build -o "$tmp/" github.com/go-python/gopy golang.org/x/tools/cmd/goimports) >&2 ||
		{ rm -rf "$tmp"; die "could not build gopy and goimports (see above)"; }
	mv -T "$tmp" "$tools" 2>/dev/null || rm -rf "$tmp" # another run won the race
fi

# pybindgen: gopy's generated build.py imports it. Pure Python, so Debian's
# package unpacked into the cache serves every interpreter through PYTHONPATH.
pybindgen_path() {
	local d
	for d in "$cache"/pybindgen/*/usr/lib/python3/dist-packages; do
		[ -d "$d/pybindgen" ] && { echo "$d"; return 0; }
	done
	return 1
}
if ! pbg=$(pybindgen_path); then
	log "fetching Debian's python3-pybindgen into $cache/pybindgen (once)"
	command -v apt-get >/dev/null && command -v dpkg >/dev/null ||
		die "pybindgen is needed: this needs apt-get and dpkg to fetch Debian's python3-pybindgen"
	tmp=$(mktemp -d "$cache/pybindgen/.tmp.XXXXXX")
	# apt-get download runs as the _apt user where it can; a private
	# directory it may write to avoids its "unsandboxed" warning.
	chmod 0777 "$tmp"
	if ! (cd "$tmp" && apt-get download -q python3-pybindgen) >&2; then
		[ "$(id -u)" = 0 ] || { rm -rf "$tmp"; die "apt-get download python3-pybindgen failed; run 'apt-get update' as root, then retry"; }
		log "apt's package lists may be missing: apt-get update"
		apt-get update -qq >&2 && (cd "$tmp" && apt-get download -q python3-pybindgen) >&2 ||
			{ rm -rf "$tmp"; die "could not download python3-pybindgen with apt-get"; }
	fi
	deb=$(ls "$tmp"/python3-pybindgen_*.deb)
	dir=$cache/pybindgen/$(basename "$deb" .deb)
	dpkg -x "$deb" "$tmp/x" || { rm -rf "$tmp"; die "dpkg -x $deb failed"; }
	mv -T "$tmp/x" "$dir" 2>/dev/null || true
	rm -rf "$tmp"
	pbg=$(pybindgen_path) || die "python3-pybindgen holds no pybindgen package"
fi

# The build, keyed by everything it depends on.
pyid=$("$python" -c 'import sys; print(sys.version); print(getattr(sys, "base_prefix", sys.prefix))') ||
	die "$python does not run"
gopy_version=$(awk '$1 == "github.com/go-python/gopy" {print $2}' "$root/scripts/gopy-tools/go.mod")
key=$( (echo "$pyid"; echo "$tools $pbg"; { env | grep "^GOPY_" || true; } | sort; cat "$0" "$root"/pyexamples/gopyext/*.go) | sha256sum | cut -c1-16)
build=$cache/builds/$abi-$key
link() { ln -sfn "$build" "$cache/ext/$abi.tmp.$$" && mv -T "$cache/ext/$abi.tmp.$$" "$cache/ext/$abi"; }
report() { # print the result of a finished build
	link
	echo "$build"
	if [ -e "$build/error" ]; then
		log "$name: not available: gopy could not build gopyext for $python:"
		sed 's/^/  /' "$build/error" >&2
		exit 3
	fi
	log "$name: built $build/gopyext (gopy $gopy_version, $python)"
	exit 0
}
# A failed build is kept (ext/NAME shows its error) but tried again next time:
# the failure may have been passing (a module download, a full disk).
[ -d "$build" ] && ! [ -e "$build/error" ] && report

log "$name: building gopyext with gopy $gopy_version for $python"
tmp=$(mktemp -d "$cache/builds/.tmp.$abi.XXXXXX")
chmod 0755 "$tmp"
out=$tmp/gopyext # gopy's output is a Python package named after its folder
mkdir -p "$out"
echo "$prefix" >"$tmp/prefix"
# gopy builds its output folder as a Go main package: a module that requires
# gopy (for gopyh, which the generated code imports) and finds gilkit here.
goversion=$(awk '$1 == "go" {print $2}' "$root/go.mod")
cat >"$out/go.mod" <<EOF
module gilkit.local/gopyext_build

go $goversion

require (
	github.com/gilkit/gilkit v0.0.0
	github.com/go-python/gopy $gopy_version
)

replace github.com/gilkit/gilkit => $root
EOF
sort -u "$root/go.sum" "$root/scripts/gopy-tools/go.sum" >"$out/go.sum"
status=0
(
	cd "$root"
	PATH=$tools:$PATH PYTHONPATH=$pbg${PYTHONPATH:+:$PYTHONPATH} \
		"$tools/gopy" build -vm="$python" -output="$out" -no-make -symbols=false \
		github.com/gilkit/gilkit/pyexamples/gopyext
) >"$tmp/gopy.log" 2>&1 || status=$?
if [ $status -ne 0 ] || ! ls "$out"/_gopyext*.so >/dev/null 2>&1; then
	# gopy prints "cmd had error: ... output:" and the failing command's own
	# output; keep that, or its last lines when it failed elsewhere.
	if grep -q 'cmd had error' "$tmp/gopy.log"; then
		sed -n '/cmd had error/,$p' "$tmp/gopy.log" | head -n 60 >"$tmp/error"
	else
		tail -n 30 "$tmp/gopy.log" >"$tmp/error"
	fi
	[ -s "$tmp/error" ] || echo "gopy exited with status $status and printed nothing" >"$tmp/error"
fi
[ -e "$build/error" ] && rm -rf "$build"
mv -T "$tmp" "$build" 2>/dev/null || rm -rf "$tmp" # another run won the race
report
