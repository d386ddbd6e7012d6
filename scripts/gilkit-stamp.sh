#!/usr/bin/env bash
# gilkit-stamp.sh [--ldflags] [DIR] -> which gilkit DIR (default: this
# repository) holds, as four lines for `gilctl version`:
#   GILKIT_VERSION=v0.0.0-20261125202258-5cd8c5e37b60+dirty
#   GILKIT_REVISION=5cd8c5e37b605fb4f9ddd428e692849f3a73a013
#   GILKIT_COMMIT_TIME=2026-11-25T20:22:58Z
#   GILKIT_MODIFIED=true
# The values come from GILKIT_REVISION (with GILKIT_VERSION,
# GILKIT_COMMIT_TIME, GILKIT_MODIFIED) when it is set, e.g. by a Docker build
# whose context has no .git; otherwise from git, as the Go toolchain would
# stamp them (a release tag, or a pseudo-version naming the commit, +dirty
# for uncommitted changes). Where neither is there it prints nothing, and
# gilctl says "unknown". With --ldflags it prints the same as the value of
# go build's -ldflags that sets them in the binary (build-gilctl.sh).
set -euo pipefail
ldflags=false
if [ "${1:-}" = "--ldflags" ]; then
	ldflags=true
	shift
fi
dir=${1:-$(dirname "$0")/..}

# emit KEY VALUE prints a line, or the linker flag that sets VALUE.
emit() {
	if $ldflags; then
		local var
		case "$1" in
		GILKIT_VERSION) var=version ;;
		GILKIT_REVISION) var=revision ;;
		GILKIT_COMMIT_TIME) var=commitTime ;;
		GILKIT_MODIFIED) var=modified ;;
		esac
		printf -- '-X=github.com/gilkit/gilkit/gilctl/internal/version.%s=%s ' "$var" "$2"
	else
		echo "$1=$2"
	fi
}

if [ -n "${GILKIT_REVISION:-}" ]; then
	for v in GILKIT_VERSION GILKIT_REVISION GILKIT_COMMIT_TIME GILKIT_MODIFIED; do
		[ -z "${!v:-}" ] || emit "$v" "${!v}"
	done
	exit 0
fi

git() { command git -C "$dir" "$@"; }
command -v git >/dev/null || exit 0
rev=$(git rev-parse --verify -q HEAD 2>/dev/null) || exit 0
utc() { TZ=UTC git log -1 --format=%cd --date=format-local:"$1" HEAD; }
modified=false
[ -z "$(git status --porcelain 2>/dev/null)" ] || modified=true

# Go's pseudo-versions (go help pseudo-versions) for a commit that is not a
# release tag: v0.0.0-TS-HASH with no tag before it, vX.Y.(Z+1)-0.TS-HASH
# after vX.Y.Z, vX.Y.Z-pre.0.TS-HASH after vX.Y.Z-pre.
pseudo="$(utc %Y%m%d%H%M%S)-${rev:0:12}"
if version=$(git describe --tags --exact-match --match 'v[0-9]*' HEAD 2>/dev/null); then
	:
elif base=$(git describe --tags --abbrev=0 --match 'v[0-9]*.[0-9]*.[0-9]*' HEAD 2>/dev/null); then
	if [[ $base == *-* ]]; then
		version="$base.0.$pseudo"
	elif [[ $base =~ ^(v[0-9]+\.[0-9]+\.)([0-9]+)$ ]]; then
		version="${BASH_REMATCH[1]}$((BASH_REMATCH[2] + 1))-0.$pseudo"
	else
		version="v0.0.0-$pseudo"
	fi
else
	version="v0.0.0-$pseudo"
fi
$modified && version+="+dirty"

emit GILKIT_VERSION "$version"
emit GILKIT_REVISION "$rev"
emit GILKIT_COMMIT_TIME "$(utc %Y-%m-%dT%H:%M:%SZ)"
emit GILKIT_MODIFIED "$modified"
