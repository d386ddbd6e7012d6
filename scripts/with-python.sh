#!/usr/bin/env bash
# with-python.sh NAME PREFIX COMMAND...
# with-python.sh --check NAME PREFIX
#
# Runs COMMAND with the Go/cgo environment that builds package embed against
# the CPython in PREFIX:
#   PKG_CONFIG_PATH  finds PREFIX's python3-embed.pc first
#   CGO_CFLAGS       carries the interpreter's include path. The Go build cache
#                    does not notice PKG_CONFIG_PATH, but it does notice
#                    CGO_CFLAGS: without this a build for 3.13t could silently
#                    reuse objects compiled against 3.12.
#   CGO_LDFLAGS      adds an rpath to PREFIX/lib so binaries run without
#                    LD_LIBRARY_PATH (pyenv keeps its rpath in Libs.private),
#                    and the pkg-config variable gilkit_ldflags where the
#                    prefix has one: a prefix from Debian's binary packages
#                    brings its own glibc, whose loader must start the binary
#                    (scripts/debpython; cgo refuses --dynamic-linker from
#                    pkg-config's Libs, so it cannot go there).
#   GOFLAGS          with gilkit_ldflags: -ldflags=-linkmode=external, so that
#                    binaries without C code of their own run too (below).
#   GILKIT_PYTHON    NAME, for tests and benchmarks that report it
#   GILKIT_PYTHON_PREFIX  PREFIX
#   PYTHON_GIL       1 for a NAME ending in "+gil"
#
# First it proves that PREFIX is the CPython NAME says (X.Y: a GIL build,
# X.Yt: free-threaded): PREFIX/lib/libpythonX.Y[t].so, and
# lib/pkgconfig/python-X.Y[t]-embed.pc that pkg-config resolves python3-embed
# to, with Version X.Y and -lpythonX.Y[t]. Anything else is refused with what
# was found: package embed would otherwise compile against whatever
# python3-embed pkg-config finds next (the system's), a silent wrong
# interpreter. --check only runs these checks.
set -euo pipefail

check_only=false
if [ "${1:-}" = "--check" ]; then
	check_only=true
	shift
fi
usage="usage: with-python.sh NAME PREFIX COMMAND... | with-python.sh --check NAME PREFIX"
name=${1:?$usage}
prefix=${2:?$usage}
shift 2
$check_only || [ $# -gt 0 ] || {
	echo "$usage" >&2
	exit 2
}

refuse() {
	echo "with-python.sh: refusing $prefix as CPython $name: $*" >&2
	exit 1
}

abi=${name%+gil}
[[ $abi =~ ^3\.[0-9]+t?$ ]] || refuse "'$name' is not an interpreter name (X.Y, X.Yt or X.Yt+gil)"
ver=${abi%t}
pcdir="$prefix/lib/pkgconfig"
[ -d "$prefix" ] || refuse "no such directory"
found=$(cd "$pcdir" 2>/dev/null && ls -- *.pc 2>/dev/null | xargs || true)
[ -e "$pcdir/python-$abi-embed.pc" ] ||
	refuse "it has no lib/pkgconfig/python-$abi-embed.pc (found: ${found:-no .pc files}); gilkit needs CPython >= 3.11 built with --enable-shared"
ls "$prefix/lib/libpython$abi.so"* >/dev/null 2>&1 ||
	refuse "it has no lib/libpython$abi.so (found: $(cd "$prefix/lib" 2>/dev/null && ls -d libpython* 2>/dev/null | xargs || true))"

export PKG_CONFIG_PATH="$pcdir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
# cgo asks pkg-config for python3-embed: it must resolve to this prefix.
resolved=$(pkg-config --variable=pcfiledir python3-embed 2>/dev/null || true)
if [ -z "$resolved" ] || [ "$(cd "$resolved" && pwd -P)" != "$(cd "$pcdir" && pwd -P)" ]; then
	refuse "it has no lib/pkgconfig/python3-embed.pc, so pkg-config resolves python3-embed to ${resolved:-nothing}${resolved:+/python3-embed.pc} (found in $pcdir: $found)"
fi
modversion=$(pkg-config --modversion python3-embed)
[ "$modversion" = "$ver" ] ||
	refuse "its python3-embed.pc says version $modversion, not $ver"
libs=$(pkg-config --libs python3-embed)
lib=$(printf '%s\n' $libs | grep '^-lpython' | head -n1 || true)
if [ "$lib" != "-lpython$abi" ]; then
	hint=""
	case "$lib" in -lpython"$ver"t) hint=" (a free-threaded build: name it ${ver}t)" ;; esac
	refuse "its python3-embed.pc links ${lib:-no libpython}, not -lpython$abi$hint"
fi
$check_only && exit 0

cflags=$(pkg-config --cflags python3-embed)
cflags=${cflags%"${cflags##*[![:space:]]}"} # pkg-config ends it with a space
libdir=$(pkg-config --variable=libdir python3-embed)
export CGO_CFLAGS="-g -O2 $cflags"
extra=$(pkg-config --variable=gilkit_ldflags python3-embed)
export CGO_LDFLAGS="-g -O2 -Wl,-rpath,$libdir${extra:+ $extra}"
if [ -n "$extra" ]; then
	# Go links a binary without C code of its own internally, taking the
	# loader from CGO_LDFLAGS but not the C startup that goes with it: such
	# a binary (a test of a pure package) aborts at once on the prefix's
	# glibc. Linked by gcc, as binaries with C code always are, it runs.
	export GOFLAGS="${GOFLAGS:+$GOFLAGS }-ldflags=-linkmode=external"
fi
export GILKIT_PYTHON="$name"
export GILKIT_PYTHON_PREFIX="$prefix"
case "$name" in
*+gil) export PYTHON_GIL=1 ;;
esac
exec "$@"
