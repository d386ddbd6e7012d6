#!/usr/bin/env bash
# with-python.sh NAME PREFIX COMMAND...
#
# Runs COMMAND with the Go/cgo environment that builds package embed against
# the CPython in PREFIX:
#   PKG_CONFIG_PATH  finds PREFIX's python3-embed.pc first
#   CGO_CFLAGS       carries the interpreter's include path. The Go build cache
#                    does not notice PKG_CONFIG_PATH, but it does notice
#                    CGO_CFLAGS: without this a build for 3.13t could silently
#                    reuse objects compiled against 3.12.
#   CGO_LDFLAGS      adds an rpath to PREFIX/lib so binaries run without
#                    LD_LIBRARY_PATH (pyenv keeps its rpath in Libs.private).
#   GILKIT_PYTHON    NAME, for tests and benchmarks that report it
#   PYTHON_GIL       1 for a NAME ending in "+gil"
set -euo pipefail
name=${1:?usage: with-python.sh NAME PREFIX COMMAND...}
prefix=${2:?usage: with-python.sh NAME PREFIX COMMAND...}
shift 2
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
cflags=$(pkg-config --cflags python3-embed)
libdir=$(pkg-config --variable=libdir python3-embed)
export CGO_CFLAGS="-g -O2 $cflags"
export CGO_LDFLAGS="-g -O2 -Wl,-rpath,$libdir"
export GILKIT_PYTHON="$name"
case "$name" in
*+gil) export PYTHON_GIL=1 ;;
esac
exec "$@"
