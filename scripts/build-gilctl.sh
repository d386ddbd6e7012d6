#!/usr/bin/env bash
# build-gilctl.sh NAME PREFIX -> bin/gilctl-NAME linked against PREFIX's libpython.
# Checks what the result loads: a binary that resolves another libpython (a
# stale build cache, a wrong PKG_CONFIG_PATH) is an error, not a surprise later.
set -euo pipefail
name=${1:?usage: build-gilctl.sh NAME PREFIX}
prefix=${2:?usage: build-gilctl.sh NAME PREFIX}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
out="bin/gilctl-$name"
"$here/with-python.sh" "$name" "$prefix" go build -o "$out" ./gilctl
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
