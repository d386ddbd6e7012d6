#!/usr/bin/env bash
# python-source.sh VERSION SEED OUT NAME...   (a step of docker/Dockerfile)
#
# Puts the input of each interpreter NAME (3.13t, 3.13, ...) of CPython
# release VERSION (3.13.15) into OUT/NAME, for install-python.sh:
#   - SEED/python-NAME.prefix.tar (+ .origin): a prebuilt prefix that
#     make docker-seed supplied; used as is, and said so;
#   - otherwise Python-VERSION.tar.xz, checked against its sha256 in
#     sources.sha256 (beside this script): SEED's copy when the seed has one,
#     else downloaded from $PYTHON_MIRROR/VERSION/Python-VERSION.tar.xz
#     (default https://www.python.org/ftp/python). One tarball serves every
#     NAME of the release (3.13 and 3.13t are built from the same bytes).
# A tarball that is not pinned, a failed or truncated download, or a
# checksum that differs stops the build with a message naming the file and
# both checksums. OUT/NAME/origin is "python.org" (the pin proves it, from
# whichever mirror or seed), for gilkit-source.json.
set -euo pipefail

usage="usage: python-source.sh VERSION SEED OUT NAME..."
version=${1:?$usage}
seed=${2:?$usage}
out=${3:?$usage}
shift 3
[ $# -gt 0 ] || {
	echo "$usage" >&2
	exit 2
}
here=$(cd "$(dirname "$0")" && pwd)
sums=${GILKIT_SOURCES_SHA256:-$here/sources.sha256}
mirror=${PYTHON_MIRROR:-https://www.python.org/ftp/python}
mirror=${mirror%/}
file="Python-$version.tar.xz"
log() { echo "gilkit: $*" >&2; }
die() {
	log "$*"
	exit 1
}

[[ $version =~ ^3\.[0-9]+\.[0-9]+((a|b|rc)[0-9]+)?$ ]] || die "'$version' is not a CPython release (X.Y.Z)"

need_tarball=()
for name in "$@"; do
	[ "${name%t}" = "${version%.*}" ] || die "$name is not an interpreter of CPython $version"
	rm -rf "${out:?}/$name" && mkdir -p "$out/$name"
	if [ -f "$seed/python-$name.prefix.tar" ]; then
		[ -f "$seed/python-$name.origin" ] || die "$seed/python-$name.prefix.tar has no python-$name.origin beside it (re-run make docker-seed)"
		cp "$seed/python-$name.prefix.tar" "$out/$name/prefix.tar"
		cp "$seed/python-$name.origin" "$out/$name/origin"
		log "$name: PREBUILT: using the CPython prefix make docker-seed copied from $(cat "$seed/python-$name.origin")" \
			"on the host that seeded, not a build of $file"
	else
		need_tarball+=("$name")
	fi
done
[ ${#need_tarball[@]} -gt 0 ] || exit 0

[ -f "$sums" ] || die "no $sums to check $file against"
want=$(awk -v f="$file" '$1 !~ /^#/ && $2 == f { print $1; exit }' "$sums")
[ -n "$want" ] || die "$file is not pinned in docker/sources.sha256: add 'SHA256  $file' with the checksum python.org publishes"

got_tarball="$out/.$file"
if [ -f "$seed/$file" ]; then
	got=$(sha256sum "$seed/$file" | cut -d' ' -f1)
	[ "$got" = "$want" ] ||
		die "$file in docker/seed (from make docker-seed) has sha256 $got, but docker/sources.sha256 pins $want: refusing it (delete it and re-run make docker-seed)"
	cp "$seed/$file" "$got_tarball"
	log "$file: from docker/seed (sha256 $got, as pinned)"
else
	url="$mirror/$version/$file"
	log "$file: downloading $url"
	status=0
	curl -fL --retry 2 --connect-timeout 30 --max-time 1800 -sS -o "$got_tarball.part" "$url" 2>"$out/.curl.err" || status=$?
	if [ $status -ne 0 ]; then
		arrived="nothing arrived"
		if [ -s "$got_tarball.part" ]; then
			arrived="$(stat -c %s "$got_tarball.part") bytes arrived, sha256 $(sha256sum "$got_tarball.part" | cut -d' ' -f1)"
		fi
		die "$file: download from $url failed ($(tr '\n' ' ' <"$out/.curl.err")curl exit $status): $arrived;" \
			"docker/sources.sha256 pins $want. Offline? Run make docker-seed, or put $file into docker/seed/"
	fi
	got=$(sha256sum "$got_tarball.part" | cut -d' ' -f1)
	[ "$got" = "$want" ] ||
		die "$file: downloaded from $url ($(stat -c %s "$got_tarball.part") bytes) has sha256 $got, but docker/sources.sha256 pins $want:" \
			"refusing it (a truncated or altered download, or a wrong pin)"
	mv "$got_tarball.part" "$got_tarball"
	log "$file: downloaded (sha256 $got, as pinned)"
fi
rm -f "$out/.curl.err"
# Whoever served it, python.org's checksum proves it is python.org's tarball
# (the origin values of gilkit-source.json: python.org, debian, GILKIT_SOURCES).
origin=python.org
for name in "${need_tarball[@]}"; do
	ln "$got_tarball" "$out/$name/$file" 2>/dev/null || cp "$got_tarball" "$out/$name/$file"
	echo "$origin" >"$out/$name/origin"
done
rm -f "$got_tarball"
