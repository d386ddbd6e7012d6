#!/usr/bin/env bash
# fetch-cpython-source.sh X.Y DESTDIR
#
# Puts an upstream CPython X.Y source tarball (Python-X.Y.N.tar.xz or
# pythonX.Y_X.Y.N.orig.tar.xz) into DESTDIR and prints its path.
# python.org is tried first; where it cannot be reached, the upstream tarball
# inside Debian's source package is used. apt runs with a private state and
# sources list so the system's package lists stay untouched.
set -euo pipefail

ver=${1:?usage: fetch-cpython-source.sh X.Y DESTDIR}
dest=${2:?usage: fetch-cpython-source.sh X.Y DESTDIR}
mkdir -p "$dest"

log() { echo "gilkit: $*" >&2; }

existing=$(ls "$dest"/Python-"$ver".*.tar.xz "$dest"/python"$ver"_"$ver".*.orig.tar.xz 2>/dev/null | sort -V | tail -n1 || true)
if [ -n "$existing" ]; then
	echo "$existing"
	exit 0
fi

# 1. python.org: the newest patch release named in its FTP index.
if command -v curl >/dev/null; then
	index=$(curl -fsS --max-time 10 "https://www.python.org/ftp/python/" 2>/dev/null || true)
	patch=$(printf '%s' "$index" | grep -o "href=\"$ver\.[0-9]*/\"" | grep -o "$ver\.[0-9]*" | sort -V | tail -n1 || true)
	if [ -n "$patch" ]; then
		log "downloading Python-$patch.tar.xz from python.org"
		if curl -fsS --max-time 300 -o "$dest/Python-$patch.tar.xz.part" \
			"https://www.python.org/ftp/python/$patch/Python-$patch.tar.xz"; then
			mv "$dest/Python-$patch.tar.xz.part" "$dest/Python-$patch.tar.xz"
			echo "$dest/Python-$patch.tar.xz"
			exit 0
		fi
		rm -f "$dest/Python-$patch.tar.xz.part"
	fi
	log "python.org is not reachable; trying Debian's source packages"
fi

# 2. Debian: the orig tarball of source package pythonX.Y, from trixie or sid.
if ! command -v apt-get >/dev/null; then
	log "cannot fetch CPython $ver source: python.org is unreachable and apt-get is not available"
	exit 1
fi
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
log "reading Debian's source lists (private apt state in $aptdir)"
if ! apt-get "${aptopts[@]}" -qq update >"$aptdir/update.log" 2>&1; then
	log "apt-get update failed; see $aptdir/update.log"
	exit 1
fi
# Every version of the source package the lists name, newest first: some 404 in the pool.
versions=$(apt-cache "${aptopts[@]}" showsrc "python$ver" 2>/dev/null | awk '/^Version:/ {print $2}' | sort -rV | uniq)
if [ -z "$versions" ]; then
	log "Debian's lists name no source package python$ver"
	exit 1
fi
work="$dest/debsrc"
for v in $versions; do
	rm -rf "$work" && mkdir -p "$work"
	log "trying Debian source python$ver=$v"
	if (cd "$work" && apt-get "${aptopts[@]}" -qq source --download-only "python$ver=$v" >"$aptdir/source.log" 2>&1); then
		orig=$(ls "$work"/python"$ver"_*.orig.tar.xz 2>/dev/null | head -n1 || true)
		if [ -n "$orig" ]; then
			mv "$orig" "$dest/"
			rm -rf "$work"
			echo "$dest/$(basename "$orig")"
			exit 0
		fi
	fi
done
log "no Debian source package of python$ver could be downloaded; see $aptdir/source.log"
exit 1
