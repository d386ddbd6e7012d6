#!/usr/bin/env bash
# fetch-cpython-source.sh X.Y DOWNLOADS
#
# Prints the path of a verified CPython X.Y source tarball, looking in order:
#   1. $GILKIT_SOURCES (default ~/.cache/gilkit/sources): tarballs a user
#      brings, newest release first; nothing is downloaded when one is there
#   2. DOWNLOADS: what an earlier run downloaded
#   3. python.org: the newest release of X.Y it lists
#   4. Debian: the upstream tarball inside source package pythonX.Y (trixie,
#      sid), with a private apt state so the system's lists stay untouched
# Each tarball is verified (lib-source.sh: checksum file, archive
# integrity, the version inside). Failed attempts print nothing: when no
# source can be had, it says so in one line naming the folder to drop a
# tarball into, and exits 1.
set -euo pipefail

ver=${1:?usage: fetch-cpython-source.sh X.Y DOWNLOADS}
dest=${2:?usage: fetch-cpython-source.sh X.Y DOWNLOADS}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib-source.sh
. "$here/lib-source.sh"

log() { echo "gilkit: $*" >&2; }

use() { # TARBALL: verify, print, done
	local problem
	if ! problem=$(verify_tarball "$1"); then
		log "refusing CPython source $problem"
		exit 1
	fi
	echo "$1"
	exit 0
}

newest=$(local_tarballs "$ver" "$sources_dir" | tail -n1)
[ -z "$newest" ] || use "$newest"
newest=$(local_tarballs "$ver" "$dest" | tail -n1)
[ -z "$newest" ] || use "$newest"
mkdir -p "$dest"

# got FILE ORIGIN: a finished download; recorded, then verified.
got() {
	echo "$2" >"$1.origin"
	use "$1"
}

# 1. python.org: the newest X.Y.N directory that holds Python-X.Y.N.tar.xz
#    (the newest directory may hold only pre-releases).
pyorg="unreachable"
if ! command -v curl >/dev/null; then
	pyorg="not tried (no curl)"
elif index=$(curl -fsS --max-time 10 "https://www.python.org/ftp/python/" 2>/dev/null); then
	pyorg="lists no $ver release"
	for patch in $(printf '%s' "$index" | grep -o "href=\"$ver\.[0-9]*/\"" | grep -o "$ver\.[0-9]*" | sort -rV | uniq | head -n3); do
		file="$dest/Python-$patch.tar.xz"
		if curl -fsS --max-time 600 -o "$file.part" "https://www.python.org/ftp/python/$patch/Python-$patch.tar.xz" 2>/dev/null; then
			mv "$file.part" "$file"
			log "downloaded Python-$patch.tar.xz from python.org"
			got "$file" python.org
		fi
		rm -f "$file.part"
		pyorg="has no downloadable Python-$ver.N.tar.xz"
	done
fi

# 2. Debian: the orig tarball of source package pythonX.Y.
debian="not tried (no apt-get)"
if command -v apt-get >/dev/null; then
	aptdir="$dest/apt"
	mkdir -p "$aptdir/lists/partial" "$aptdir/archives/partial"
	cat >"$aptdir/sources.list" <<SRC
deb-src http://deb.debian.org/debian trixie main
deb-src http://deb.debian.org/debian sid main
SRC
	aptopts=(
		-o "Dir::Etc::SourceList=$aptdir/sources.list"
		-o "Dir::Etc::SourceParts=/dev/null"
		-o "Dir::State::Lists=$aptdir/lists"
		-o "Dir::Cache::Archives=$aptdir/archives"
		-o "APT::Sandbox::User=root"
	)
	# apt-get update exits 0 even when no list could be fetched: a list
	# must be there afterwards.
	if ! apt-get "${aptopts[@]}" -qq update >"$aptdir/update.log" 2>&1 ||
		! ls "$aptdir"/lists/*Sources* >/dev/null 2>&1 || grep -q '^[WE]: Failed to fetch' "$aptdir/update.log"; then
		debian="unreachable"
	else
		# Every version the lists name, newest first: some 404 in the pool.
		versions=$(apt-cache "${aptopts[@]}" showsrc "python$ver" 2>/dev/null | awk '/^Version:/ {print $2}' | sort -rV | uniq)
		debian="has no source package python$ver"
		work="$dest/debsrc.$$"
		for v in $versions; do
			rm -rf "$work" && mkdir -p "$work"
			if (cd "$work" && apt-get "${aptopts[@]}" -qq source --download-only "python$ver=$v" >"$aptdir/source.log" 2>&1); then
				orig=$(ls "$work"/python"$ver"_*.orig.tar.xz 2>/dev/null | head -n1 || true)
				if [ -n "$orig" ]; then
					mv "$orig" "$dest/"
					rm -rf "$work"
					log "downloaded $(basename "$orig") from Debian's source package python$ver=$v"
					got "$dest/$(basename "$orig")" debian
				fi
			fi
			debian="lists python$ver but none of its versions could be downloaded (see $aptdir/source.log)"
		done
		rm -rf "$work"
	fi
fi

log "no CPython $ver source is reachable here (python.org: $pyorg; Debian: $debian): drop Python-$ver.N.tar.xz into $sources_dir (or set GILKIT_SOURCES=DIR) and run again"
exit 1
