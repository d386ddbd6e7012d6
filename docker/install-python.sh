#!/usr/bin/env bash
# install-python.sh NAME INPUT PREFIX   (a step of docker/Dockerfile)
#
# Puts CPython NAME (X.Y or X.Yt) into PREFIX from INPUT, the folder
# python-source.sh filled:
#   a source tarball   (Python-X.Y.Z.tar.xz, its checksum already checked), built
#                      --enable-shared (--disable-gil for X.Yt) with an rpath;
#   prefix.tar+origin  a prebuilt CPython make docker-seed copied from a host
#                      (e.g. pyenv's 3.12), unpacked and relocated: rpaths and
#                      text files naming the old path are rewritten to PREFIX.
# Both are trimmed (no tests, IDLE, Tk, static library, third-party packages,
# debug symbols). Then it checks that the result is the interpreter NAME says
# (version, free-threaded or not, embed pkg-config file, stdlib modules gilkit
# uses). A build from a tarball is recorded in PREFIX/gilkit-source.json, the
# file gilkit's provisioning writes (version, tarball, sha256, origin: INPUT/origin,
# "python.org" or "docker/seed"); a copied prefix keeps the record it had, if any.
# PREFIX/gilkit-docker.json says how the image got it (configure flags, or
# where it was copied from).
set -euo pipefail

usage="usage: install-python.sh NAME INPUT PREFIX"
name=${1:?$usage}
input=${2:?$usage}
prefix=${3:?$usage}
origin_of_tarball=$(cat "$input/origin" 2>/dev/null || true)
ver=${name%t}
log() { echo "gilkit-install-python: $*" >&2; }
die() {
	log "$*"
	exit 1
}

[[ $name =~ ^3\.[0-9]+t?$ ]] || die "'$name' is not an interpreter name (X.Y or X.Yt)"

# trim PREFIX: what an image does not need (tests, IDLE, Tk, static library,
# third-party packages of the machine the prefix came from).
trim() {
	local lib="$prefix/lib/python$ver${name#"$ver"}"
	[ -d "$lib" ] || lib="$prefix/lib/python$ver"
	rm -rf "$lib/test" "$lib/idlelib" "$lib/tkinter" "$lib/turtledemo" "$lib/ensurepip"
	find "$lib/site-packages" -mindepth 1 -maxdepth 1 ! -name README.txt -exec rm -rf {} +
	find "$lib" -maxdepth 2 -name 'libpython*.a' -delete
	find "$prefix/bin" -name 'idle*' -delete
	# Debug symbols are most of libpython's size (35 MB -> 6 MB for 3.13t).
	local f
	while IFS= read -r -d '' f; do
		if [ "$(head -c4 "$f" | tail -c3)" = ELF ]; then strip --strip-debug "$f"; fi
	done < <(find "$prefix/bin" "$prefix/lib" -type f \( -path "$prefix/bin/*" -o -name '*.so' -o -name '*.so.*' \) -print0)
}

from_tarball() {
	local tarball sha tarballs
	shopt -s nullglob
	tarballs=("$input"/*.tar.* "$input"/*.tgz)
	[ ${#tarballs[@]} = 1 ] || die "expected exactly one source tarball in the build input for $name, found ${#tarballs[@]}"
	tarball=${tarballs[0]}
	sha=$(sha256sum "$tarball" | cut -d' ' -f1)
	local flags=(--prefix="$prefix" --enable-shared --without-ensurepip --disable-test-modules
		--without-static-libpython --with-system-libmpdec)
	case "$name" in *t) flags+=(--disable-gil) ;; esac
	local work
	work=$(mktemp -d)
	tar -xf "$tarball" -C "$work" --strip-components=1
	log "building CPython $name from $(basename "$tarball") (${flags[*]})"
	(
		cd "$work"
		./configure "${flags[@]}" LDFLAGS="-Wl,-rpath,$prefix/lib" >"$work.log" 2>&1
		make -j"$(nproc)" >>"$work.log" 2>&1
		make install >>"$work.log" 2>&1
	) || {
		tail -n 40 "$work.log" >&2
		die "building CPython $name failed (last lines above)"
	}
	rm -rf "$work" "$work.log"
	trim
	[ -n "$origin_of_tarball" ] || origin_of_tarball=python.org
	# Exactly the fields of the host's record (gilctl info --json shows it as is).
	printf '{"version": "%s", "tarball": "%s", "sha256": "%s", "origin": "%s"}\n' \
		"$(version)" "$(basename "$tarball")" "$sha" "$origin_of_tarball" >"$prefix/gilkit-source.json"
	printf '{"name": "%s", "version": "%s", "built_from": "%s", "configure": "%s"}\n' \
		"$name" "$(version)" "$(basename "$tarball")" "${flags[*]}" >"$prefix/gilkit-docker.json"
	cat "$prefix/gilkit-source.json" "$prefix/gilkit-docker.json" >&2
}

from_prefix() {
	[ -f "$input/origin" ] || die "the build input for $name has prefix.tar but no origin"
	local origin
	origin=$(cat "$input/origin")
	mkdir -p "$prefix"
	tar -xf "$input/prefix.tar" -C "$prefix"
	# ELF files whose rpath names the old location (the python binary, ...).
	local f rp
	while IFS= read -r -d '' f; do
		if rp=$(patchelf --print-rpath "$f" 2>/dev/null) && [[ $rp == *"$origin"* ]]; then
			patchelf --set-rpath "${rp//$origin/$prefix}" "$f"
		fi
	done < <(find "$prefix" -type f \( -perm -u+x -o -name '*.so*' \) -print0)
	# Text files naming it: pkg-config files, pythonX.Y-config, sysconfig data.
	grep -rlIF --null "$origin" "$prefix" | xargs -0 -r sed -i "s|$origin|$prefix|g"
	find "$prefix" -name '_sysconfigdata_*.cpython-*.pyc' -delete
	trim
	printf '{"name": "%s", "version": "%s", "copied_from": "%s"}\n' "$name" "$(version)" "$origin" >"$prefix/gilkit-docker.json"
	cat "$prefix/gilkit-docker.json" >&2
}

# version: the CPython release in PREFIX, e.g. 3.13.15.
version() {
	"$prefix/bin/python$ver${name#"$ver"}" -c 'import platform; print(platform.python_version())'
}

# check: the interpreter is the one NAME says, usable for embedding.
check() {
	local abi=${name} py="$prefix/bin/python${name}"
	[ -x "$py" ] || py="$prefix/bin/python$ver"
	[ -x "$py" ] || die "no python$name or python$ver in $prefix/bin"
	[ -e "$prefix/lib/libpython$abi.so" ] || die "no lib/libpython$abi.so in $prefix (not built --enable-shared?)"
	[ -e "$prefix/lib/pkgconfig/python-$abi-embed.pc" ] || die "no lib/pkgconfig/python-$abi-embed.pc in $prefix"
	local want_ft=0
	case "$name" in *t) want_ft=1 ;; esac
	"$py" - "$ver" "$want_ft" <<'PY' || die "CPython in $prefix is not the $name it should be"
import sys, sysconfig
ver, want_ft = sys.argv[1], sys.argv[2] == "1"
got = "%d.%d" % sys.version_info[:2]
ft = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
if got != ver or ft != want_ft:
    sys.exit(f"found {got}{'t' if ft else ''}")
# Stdlib modules gilctl and its workloads import; a missing one would turn
# into a skipped cell much later, so fail the build now.
import asyncio, bz2, ctypes, decimal, hashlib, json, lzma, multiprocessing, socket, sqlite3, ssl, zlib
print(f"gilkit-install-python: {sys.version.splitlines()[0]} (free-threaded: {ft}) ok", file=sys.stderr)
PY
}

if [ -f "$input/prefix.tar" ]; then from_prefix; else from_tarball; fi
check
