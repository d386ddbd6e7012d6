# lib-source.sh: CPython source tarballs, sourced by the provisioning scripts.
#
# A source tarball is Python-X.Y.Z.tar.xz (python.org; .tgz too) or
# pythonX.Y_X.Y.Z.orig.tar.xz (the upstream tarball inside Debian's source
# package). They are looked for in two folders:
#   $GILKIT_SOURCES  tarballs a user brings (default: $GILKIT_CACHE/sources,
#                    i.e. ~/.cache/gilkit/sources); never written to
#   DOWNLOADS        where fetch-cpython-source.sh keeps what it downloaded
#                    (the cache's pythons/src), with NAME.origin beside each
# Every gilkit-built prefix records its tarball in PREFIX/gilkit-source.json:
#   {"version": "3.13.15", "tarball": "...", "sha256": "...", "origin": "python.org"|"debian"|"GILKIT_SOURCES"}

gilkit_home=${GILKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gilkit}
sources_dir=${GILKIT_SOURCES:-$gilkit_home/sources}

# tarball_version FILE -> the release its name says (3.13.15, 3.14.0rc1), or fails.
tarball_version() {
	local base
	base=$(basename "$1")
	case "$base" in
	Python-*.tar.xz) base=${base#Python-} base=${base%.tar.xz} ;;
	Python-*.tgz) base=${base#Python-} base=${base%.tgz} ;;
	python3.*_*.orig.tar.xz) base=${base#*_} base=${base%.orig.tar.xz} base=${base/\~/} ;;
	*) return 1 ;;
	esac
	[[ $base =~ ^3\.[0-9]+\.[0-9]+((a|b|rc)[0-9]+)?$ ]] || return 1
	echo "$base"
}

# release_key VERSION -> a key that sort -V orders like releases:
# 3.14.0a1 < 3.14.0b2 < 3.14.0rc1 < 3.14.0 < 3.14.1.
release_key() {
	[[ $1 =~ ^([0-9.]+)(a|b|rc)?([0-9]*)$ ]] || return 1
	local stage
	case "${BASH_REMATCH[2]}" in a) stage=0 ;; b) stage=1 ;; rc) stage=2 ;; *) stage=3 ;; esac
	echo "${BASH_REMATCH[1]}.$stage.${BASH_REMATCH[3]:-0}"
}

# local_tarballs X.Y DIR -> tarballs of X.Y in DIR, newest release last
# (a final release sorts after its release candidates).
local_tarballs() {
	local f v
	[ -d "$2" ] || return 0
	for f in "$2"/Python-"$1".*.tar.xz "$2"/Python-"$1".*.tgz "$2"/python"$1"_"$1".*.orig.tar.xz; do
		[ -f "$f" ] || continue
		v=$(tarball_version "$f") || continue
		printf '%s\t%s\n' "$(release_key "$v")" "$f"
	done | sort -V -k1,1 | cut -f2
}

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# verify_tarball FILE: checks what can be checked offline and prints one
# line saying what failed. 1. a checksum beside it (FILE.sha256, or a line
# for it in SHA256SUMS / SHA256SUMS.txt); 2. the archive reads to its end
# (xz/gzip checksums and tar structure); 3. Include/patchlevel.h inside says
# the release the name says.
verify_tarball() {
	local f=$1 base dir want="" got name_ver inside sums
	base=$(basename "$f") dir=$(dirname "$f")
	name_ver=$(tarball_version "$f") || {
		echo "$f: not a CPython source tarball name (Python-X.Y.Z.tar.xz or pythonX.Y_X.Y.Z.orig.tar.xz)"
		return 1
	}
	if [ -f "$f.sha256" ]; then
		want=$(grep -oE '\b[0-9a-fA-F]{64}\b' "$f.sha256" | head -n1)
	else
		for sums in "$dir/SHA256SUMS" "$dir/SHA256SUMS.txt"; do
			[ -f "$sums" ] || continue
			want=$(awk -v n="$base" '{f=$2; sub(/^\*/, "", f)} f == n {print $1; exit}' "$sums")
			[ -z "$want" ] || break
		done
	fi
	if [ -n "$want" ]; then
		got=$(sha256_of "$f")
		if [ "${want,,}" != "$got" ]; then
			echo "$f: sha256 is $got, but the checksum file beside it says $want"
			return 1
		fi
	fi
	# Reading the whole archive once both extracts patchlevel.h and proves
	# that the compressed stream and the tar structure are intact.
	if ! inside=$(tar -xOf "$f" --wildcards '*/Include/patchlevel.h' 2>/dev/null); then
		echo "$f: the archive is damaged or incomplete (tar cannot read it to the end)"
		return 1
	fi
	inside=$(printf '%s\n' "$inside" | sed -n 's/^#define[[:space:]]*PY_VERSION[[:space:]]*"\([^"]*\)".*/\1/p' | head -n1)
	if [ "$inside" != "$name_ver" ]; then
		echo "$f: its name says CPython $name_ver, but Include/patchlevel.h inside says ${inside:-nothing}"
		return 1
	fi
}

# tarball_origin FILE -> python.org | debian | GILKIT_SOURCES
tarball_origin() {
	local f=$1
	if [ "$(cd "$(dirname "$f")" && pwd -P)" = "$(cd "$sources_dir" 2>/dev/null && pwd -P)" ]; then
		echo GILKIT_SOURCES
	elif [ -f "$f.origin" ]; then
		cat "$f.origin"
	else
		case "$(basename "$f")" in
		python3.*.orig.tar.xz) echo debian ;;
		*) echo python.org ;;
		esac
	fi
}

# source_json TARBALL -> the gilkit-source.json describing it.
source_json() {
	printf '{"version": "%s", "tarball": "%s", "sha256": "%s", "origin": "%s"}\n' \
		"$(tarball_version "$1")" "$(basename "$1")" "$(sha256_of "$1")" "$(tarball_origin "$1")"
}

# write_source_json TARBALL PREFIX: records the source in PREFIX, atomically.
write_source_json() {
	source_json "$1" >"$2/gilkit-source.json.tmp.$$" && mv "$2/gilkit-source.json.tmp.$$" "$2/gilkit-source.json"
}

# json_field FILE KEY -> a string field of a flat JSON object.
json_field() {
	sed -n "s/.*\"$2\": *\"\([^\"]*\)\".*/\1/p" "$1" | head -n1
}

# find_source X.Y DOWNLOADS sha256|version VALUE -> a local tarball of X.Y
# whose checksum or release is VALUE (GILKIT_SOURCES first).
find_source() {
	local f got
	for f in $(local_tarballs "$1" "$sources_dir") $(local_tarballs "$1" "$2"); do
		case "$3" in
		sha256) got=$(sha256_of "$f") ;;
		*) got=$(tarball_version "$f") ;;
		esac
		if [ "$got" = "$4" ]; then
			echo "$f"
			return 0
		fi
	done
	return 1
}

# prefix_version PREFIX ABI -> PY_VERSION of the installed headers.
prefix_version() {
	sed -n 's/^#define[[:space:]]*PY_VERSION[[:space:]]*"\([^"]*\)".*/\1/p' "$1/include/python$2/patchlevel.h" 2>/dev/null | head -n1
}
