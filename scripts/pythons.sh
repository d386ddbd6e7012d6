#!/usr/bin/env bash
# pythons.sh [NAME...]   (default: $PYTHONS, or "3.12 3.13t")
#
# Finds a usable CPython for each NAME and prints "NAME PREFIX" per line on
# stdout (progress and problems go to stderr). NAME is X.Y for a GIL build
# or X.Yt for a free-threaded one; "X.Yt+gil" is a run-time variant of X.Yt
# and resolves to the same prefix.
#
# Usable means: PREFIX/lib/libpythonX.Y[t].so and
# PREFIX/lib/pkgconfig/python-X.Y[t]-embed.pc exist. Looked for, in order:
#   1. GILKIT_PYTHONS="3.12=/prefix 3.13t=/prefix" (overrides)
#   2. the cache: ${XDG_CACHE_HOME:-~/.cache}/gilkit/pythons/NAME
#   3. pyenv: $PYENV_ROOT/versions/X.Y.* (newest patch first)
#   4. PATH: pythonX.Y[t] and its sys.base_prefix
#   5. otherwise it is built from source into the cache (3-5 minutes).
# Exits 1, naming what is missing, when a NAME cannot be had.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${GILKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gilkit}/pythons
names=("$@")
[ ${#names[@]} -gt 0 ] || read -r -a names <<<"${PYTHONS:-3.12 3.13t}"

log() { echo "gilkit: $*" >&2; }

usable() { # NAME PREFIX
	local abi=${1%+gil}
	[ -e "$2/lib/libpython$abi.so" ] && [ -e "$2/lib/pkgconfig/python-$abi-embed.pc" ]
}

override() { # NAME -> PREFIX from GILKIT_PYTHONS
	local pair
	for pair in ${GILKIT_PYTHONS:-}; do
		if [ "${pair%%=*}" = "$1" ]; then
			echo "${pair#*=}"
			return 0
		fi
	done
	return 1
}

find_prefix() { # NAME -> PREFIX
	local name=$1 abi=${1%+gil} ver p
	ver=${abi%t}
	if p=$(override "$name") || p=$(override "$abi"); then
		if usable "$abi" "$p"; then
			echo "$p"
			return 0
		fi
		log "GILKIT_PYTHONS names $p for $abi, but it has no lib/libpython$abi.so with lib/pkgconfig/python-$abi-embed.pc"
		return 1
	fi
	if usable "$abi" "$cache/$abi"; then
		echo "$cache/$abi"
		return 0
	fi
	local root=${PYENV_ROOT:-$HOME/.pyenv}
	for p in $(ls -d "$root"/versions/"$ver".* 2>/dev/null | sort -rV); do
		if usable "$abi" "$p"; then
			echo "$p"
			return 0
		fi
	done
	local exe
	if exe=$(command -v "python$abi" 2>/dev/null); then
		p=$("$exe" -c 'import sys; print(sys.base_prefix)' 2>/dev/null || true)
		if [ -n "$p" ] && usable "$abi" "$p"; then
			echo "$p"
			return 0
		fi
	fi
	return 1
}

status=0
for name in "${names[@]}"; do
	abi=${name%+gil}
	if ! [[ $abi =~ ^3\.[0-9]+t?$ ]]; then
		log "'$name' is not an interpreter name: use X.Y (e.g. 3.12), X.Yt (free-threaded, e.g. 3.13t) or X.Yt+gil"
		status=1
		continue
	fi
	minor=${abi#3.}
	minor=${minor%t}
	if [ "$minor" -lt 11 ]; then
		log "CPython $abi is too old: gilkit needs 3.11 or newer"
		status=1
		continue
	fi
	if prefix=$(find_prefix "$name"); then
		echo "$name $prefix"
		continue
	fi
	if [ -n "$(override "$name" || override "$abi" || true)" ]; then
		status=1
		continue
	fi
	log "no usable CPython $abi found (cache, pyenv, PATH); building it from source"
	if "$here/build-cpython.sh" "$abi" "$cache/$abi" && usable "$abi" "$cache/$abi"; then
		echo "$name $cache/$abi"
	else
		log "CPython $abi is not available: set GILKIT_PYTHONS=\"$abi=/its/prefix\" to use one built elsewhere (it needs --enable-shared)"
		status=1
	fi
done
exit $status
