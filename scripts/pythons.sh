#!/usr/bin/env bash
# pythons.sh [NAME...]   (default: $PYTHONS, or "3.12 3.13 3.13t")
#
# Finds a usable CPython for each NAME and prints "NAME PREFIX" per line on
# stdout (progress and problems go to stderr). NAME is X.Y for a GIL build
# or X.Yt for a free-threaded one; "X.Yt+gil" is a run-time variant of X.Yt
# and resolves to the same prefix. Usable means what `with-python.sh --check`
# proves: the prefix is the CPython its name says, with a shared library.
#
# How a name resolves, first match wins:
#   1. GILKIT_PYTHONS="3.12=/prefix 3.13t=/prefix" (overrides)
#   2. the cache: ${GILKIT_CACHE:-~/.cache/gilkit}/pythons/NAME (gilkit's builds)
#   3. X.Y when X.Yt is also asked for or cached: the GIL build of the SAME
#      source as X.Yt, built into the cache from X.Yt's tarball (so that
#      X.Yt is compared with X.Y, not with another patch release)
#   4. pyenv: $PYENV_ROOT/versions/X.Y.* (newest patch first)
#   5. PATH: pythonX.Y[t] and its sys.base_prefix
#   6. a GIL build X.Y provisioned earlier from Debian's binary packages:
#      the cache's X.Y-debian
#   7. otherwise it is built into the cache from source (a few minutes): see
#      fetch-cpython-source.sh for where sources come from (GILKIT_SOURCES first)
#   8. a GIL build X.Y with no source reachable: provisioned from Debian
#      sid's binary packages into the cache's X.Y-debian (a minute or two;
#      see debpython/main.go). Debian builds no free-threaded variant, so
#      X.Yt needs a source.
# X.Y next to X.Yt (3) never uses X.Y-debian while X.Yt's source can be had:
# Debian's build is not the same source as X.Yt.
# The two variants of a version are built from one tarball: the second build
# reuses the tarball the first one recorded in PREFIX/gilkit-source.json.
# Exits 1, naming what is missing, when a NAME cannot be had.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib-source.sh
. "$here/lib-source.sh"
cache=$gilkit_home/pythons
downloads=$cache/src
names=("$@")
[ ${#names[@]} -gt 0 ] || read -r -a names <<<"${PYTHONS:-3.12 3.13 3.13t}"

log() { echo "gilkit: $*" >&2; }

usable() { # NAME PREFIX
	"$here/with-python.sh" --check "$1" "$2" 2>/dev/null
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

requested() { # ABI: is it among the names asked for?
	local n
	for n in "${names[@]}"; do
		[ "${n%+gil}" = "$1" ] && return 0
	done
	return 1
}

# label ABI: a cached prefix built before gilkit recorded sources gets its
# gilkit-source.json from a local tarball of exactly its release (the one it
# was built from, or an identical release), so that it keeps working and
# its source is known. Without such a tarball it stays unlabelled.
label() {
	local abi=$1 p=$cache/$1 v t problem
	[ ! -e "$p/gilkit-source.json" ] || return 0
	v=$(prefix_version "$p" "$abi")
	if [ -z "$v" ] || ! t=$(find_source "${abi%t}" "$downloads" version "$v"); then
		log "warning: $p has no gilkit-source.json and no tarball of CPython ${v:-?} is at hand to label it: its source stays unknown (remove it to rebuild)"
	elif ! problem=$(verify_tarball "$t"); then
		log "warning: $p has no gilkit-source.json; not labelling it with $problem"
	else
		write_source_json "$t" "$p"
		log "recorded the source of $p: $(basename "$t") (CPython $v; the build predates source records)"
	fi
}

find_installed() { # NAME -> PREFIX from pyenv or PATH
	local abi=${1%+gil} ver p exe
	ver=${abi%t}
	local root=${PYENV_ROOT:-$HOME/.pyenv}
	for p in $(ls -d "$root"/versions/"$ver".* 2>/dev/null | sort -rV); do
		if usable "$abi" "$p"; then
			echo "$p"
			return 0
		fi
	done
	if exe=$(command -v "python$abi" 2>/dev/null); then
		p=$("$exe" -c 'import sys; print(sys.base_prefix)' 2>/dev/null || true)
		if [ -n "$p" ] && usable "$abi" "$p"; then
			echo "$p"
			return 0
		fi
	fi
	return 1
}

# sibling_tarball ABI -> the tarball the other variant of this version was
# built from, when it is cached with a record. Fails with a message when the
# record names a tarball that is gone: a new one would be another source.
sibling_tarball() {
	local abi=$1 ver=${1%t} sib rec sha t
	case "$abi" in *t) sib=$ver ;; *) sib=${ver}t ;; esac
	rec=$cache/$sib/gilkit-source.json
	# A sibling built before source records is labelled first, so that this
	# build picks its release rather than whatever tarball is newest.
	[ -f "$rec" ] || ! usable "$sib" "$cache/$sib" || label "$sib"
	[ -f "$rec" ] || return 1
	sha=$(json_field "$rec" sha256)
	if t=$(find_source "$ver" "$downloads" sha256 "$sha"); then
		echo "$t"
		return 0
	fi
	log "cannot build $abi from the same source as $sib: $sib was built from $(json_field "$rec" tarball) (sha256 $sha), which is in neither $sources_dir nor $downloads; put it back, or remove $cache/$sib to rebuild both from a new source"
	return 2
}

# warn_unlike ABI TARBALL: the other variant is cached without a record
# (so sibling_tarball could not name its tarball) and is another release.
warn_unlike() {
	local sib v
	case "$1" in *t) sib=${1%t} ;; *) sib=${1}t ;; esac
	usable "$sib" "$cache/$sib" || return 0
	v=$(prefix_version "$cache/$sib" "$sib")
	[ "$v" = "$(tarball_version "$2")" ] ||
		log "warning: building $1 from $(basename "$2"), but $sib is CPython ${v:-?} of unknown source: the pair is not like with like (remove $cache/$sib to rebuild it too)"
}

# build ABI: builds the cache entry from the sibling's tarball or a fetched
# one, under a lock so that parallel runs build it once. Exits 3 when no
# source could be had (fetch-cpython-source.sh said so), 1 on other failures.
build() {
	local abi=$1 ver=${1%t} t rc=0
	mkdir -p "$cache"
	exec 9>"$cache/.lock-$abi"
	flock 9
	if usable "$abi" "$cache/$abi"; then # another run built it meanwhile
		exec 9>&-
		return 0
	fi
	t=$(sibling_tarball "$abi") || rc=$?
	if [ $rc -eq 2 ]; then
		exec 9>&-
		return 1
	fi
	if [ $rc -ne 0 ]; then
		t=$("$here/fetch-cpython-source.sh" "$ver" "$downloads") || {
			exec 9>&-
			return 3
		}
		warn_unlike "$abi" "$t"
	fi
	rc=0
	"$here/build-cpython.sh" "$abi" "$cache/$abi" "$t" || rc=1
	exec 9>&-
	[ $rc -eq 0 ] && usable "$abi" "$cache/$abi"
}

# debian ABI: provisions the GIL build ABI from Debian's binary packages
# into the cache's ABI-debian (under a lock, like build).
debian() {
	local abi=$1 p=$cache/$1-debian rc=0 gobin
	mkdir -p "$cache"
	exec 9>"$cache/.lock-$abi-debian"
	flock 9
	if ! usable "$abi" "$p"; then
		gobin=$(command -v go || echo /usr/local/go/bin/go)
		if ! [ -x "$gobin" ]; then
			log "cannot provision $abi from Debian's binary packages: Go is not on PATH (it runs scripts/debpython)"
			rc=1
		else
			log "no $abi source: provisioning it from Debian's binary packages instead (a GIL build; a minute or two)"
			(cd "$here/.." && CGO_ENABLED=0 "$gobin" run ./scripts/debpython -downloads "$downloads/debian-$abi" "$abi" "$p") || rc=1
		fi
	fi
	exec 9>&-
	[ $rc -eq 0 ] && usable "$abi" "$p"
}

# resolve NAME -> PREFIX, building when that is the way to get it.
resolve() {
	local name=$1 abi=${1%+gil} p rc
	if p=$(override "$name") || p=$(override "$abi"); then
		"$here/with-python.sh" --check "$abi" "$p" || {
			log "GILKIT_PYTHONS names $p for $abi, which is not usable (above)"
			return 1
		}
		echo "$p"
		return 0
	fi
	if usable "$abi" "$cache/$abi"; then
		label "$abi"
		echo "$cache/$abi"
		return 0
	fi
	if [[ $abi != *t ]] && { requested "${abi}t" || usable "${abi}t" "$cache/${abi}t"; }; then
		rc=0
		build "$abi" || rc=$?
		if [ $rc -eq 0 ]; then
			echo "$cache/$abi"
			return 0
		fi
		if p=$(find_installed "$name") || { [ $rc -eq 3 ] && debian "$abi" && p=$cache/$abi-debian; }; then
			log "warning: $abi is $p, NOT built from the same source as ${abi}t: the free-threading cost measured against it mixes in other changes"
			echo "$p"
			return 0
		fi
		return 1
	fi
	if p=$(find_installed "$name"); then
		echo "$p"
		return 0
	fi
	if [[ $abi != *t ]] && usable "$abi" "$cache/$abi-debian"; then
		echo "$cache/$abi-debian"
		return 0
	fi
	rc=0
	build "$abi" || rc=$?
	if [ $rc -eq 0 ]; then
		echo "$cache/$abi"
		return 0
	fi
	[ $rc -eq 3 ] && [[ $abi != *t ]] && debian "$abi" && echo "$cache/$abi-debian"
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
	if prefix=$(resolve "$name"); then
		echo "$name $prefix"
	else
		status=1
	fi
done
exit $status
