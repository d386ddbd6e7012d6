#!/usr/bin/env bash
# build-gilctl.sh NAME PREFIX -> bin/gilctl-NAME linked against PREFIX's libpython.
# Checks what the result loads: a binary that resolves another libpython (a
# stale build cache, a wrong PKG_CONFIG_PATH) is an error, not a surprise later.
# Stamps the binary with gilkit's version and revision (gilkit-stamp.sh: git,
# or GILKIT_REVISION and friends where the tree has no .git), which the Go
# toolchain does not do under -buildvcs=false or without git.
set -euo pipefail
name=${1:?usage: build-gilctl.sh NAME PREFIX}
prefix=${2:?usage: build-gilctl.sh NAME PREFIX}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
out="bin/gilctl-$name"
ldflags=$("$here/gilkit-stamp.sh" --ldflags .)
"$here/with-python.sh" "$name" "$prefix" go build -ldflags="${ldflags% }" -o "$out" ./gilctl
# The binary's own program interpreter lists what it loads (ldd would use the
# system's loader, which is not the one of a prefix that brings its glibc).
lib=$(LD_TRACE_LOADED_OBJECTS=1 "$out" | awk '/libpython/ {print $3}')
case "$lib" in
"$prefix"/lib/*) echo "built $out -> $lib" ;;
*)
	echo "gilkit: $out resolves libpython to '${lib:-nothing}', not to $prefix/lib" >&2
	exit 1
	;;
esac
