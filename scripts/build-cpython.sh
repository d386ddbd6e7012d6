#!/usr/bin/env bash
# build-cpython.sh NAME PREFIX [TARBALL]
#
# Builds CPython NAME (e.g. 3.13t: version 3.13, free-threaded) from an upstream
# source tarball into PREFIX, shared, with an rpath so binaries linked against
# it run without LD_LIBRARY_PATH. TARBALL defaults to what
# fetch-cpython-source.sh finds. PREFIX/gilkit-source.json records the
# tarball (version, file name, sha256, origin). Logs go to PREFIX.log; the
# build is atomic: PREFIX appears only once `make install` succeeded.
set -euo pipefail

usage="usage: build-cpython.sh NAME PREFIX [TARBALL]"
name=${1:?$usage}
prefix=${2:?$usage}
tarball=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
cache=$(dirname "$prefix")
# shellcheck source=lib-source.sh
. "$here/lib-source.sh"
log() { echo "gilkit: $*" >&2; }

ver=${name%t}
configure_flags=(--enable-shared --without-ensurepip)
case "$name" in
*t) configure_flags+=(--disable-gil) ;;
esac

# Build dependencies: the headers CPython's stdlib modules need. Installed only
# when missing and only where we may (root with apt-get).
need=()
for pair in zlib.h:zlib1g-dev openssl/ssl.h:libssl-dev ffi.h:libffi-dev bzlib.h:libbz2-dev lzma.h:liblzma-dev sqlite3.h:libsqlite3-dev; do
	h=${pair%%:*} pkg=${pair##*:}
	if ! echo "#include <$h>" | cc -E - >/dev/null 2>&1; then need+=("$pkg"); fi
done
if [ ${#need[@]} -gt 0 ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		log "installing build dependencies: ${need[*]}"
		apt-get -qq update >/dev/null 2>&1 || true
		DEBIAN_FRONTEND=noninteractive apt-get -qq install -y "${need[@]}" >/dev/null 2>&1 ||
			log "warning: could not install ${need[*]} (offline?); the matching stdlib modules will not be built"
	else
		log "warning: missing headers for ${need[*]}; the matching stdlib modules will not be built"
	fi
fi

[ -n "$tarball" ] || tarball=$("$here/fetch-cpython-source.sh" "$ver" "$cache/src")
mkdir -p "$cache"
# Unique work and staging folders: two runs building side by side must not
# share a tree.
work=$(mktemp -d "$cache/build-$name.XXXXXX")
staging=$(mktemp -d "$prefix.partial.XXXXXX")
trap 'rm -rf "$work" "$staging"' EXIT
logfile="$prefix.log"
started=$SECONDS
log "building CPython $name from $(basename "$tarball") into $prefix (a few minutes; log: $logfile)"
tar -xf "$tarball" -C "$work" --strip-components=1
(
	cd "$work"
	./configure --prefix="$prefix" "${configure_flags[@]}" LDFLAGS="-Wl,-rpath,$prefix/lib"
	make -j"$(nproc)"
	make install DESTDIR="$staging"
) >"$logfile" 2>&1 || {
	log "building CPython $name failed; last lines of $logfile:"
	tail -n 20 "$logfile" >&2
	exit 1
}
# DESTDIR installs under staging/PREFIX; record the source there, then move
# it into place in one step.
write_source_json "$tarball" "$staging$prefix"
rm -rf "$prefix"
mv "$staging$prefix" "$prefix"
elapsed=$((SECONDS - started))
log "built CPython $name in $prefix in $((elapsed / 60))m$((elapsed % 60))s"
