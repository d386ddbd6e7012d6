#!/usr/bin/env bash
# gilkit-bench [COMPARE FLAGS...]   (the compose service `bench`, in gilkit:dev)
#
# Runs what `make bench` runs, over every gilctl-NAME in this image (and
# NAME+gil for free-threaded ones): gilctl compare with the flags given
# (default --quick), gilctl check on its results, gilctl report. The results
# are written to /out (./out on the host) and handed to the owner of /project
# (the host's checkout, mounted read-only), so a user who runs
# `docker compose run --rm bench` gets files of their own, not root's.
#
# Runs as root only to hand the files over; the benchmark runs as `gilkit`.
set -euo pipefail
out=${GILKIT_OUT:-/out}
bindir=${GILKIT_BIN:-/opt/gilkit/bin}
owner_of=${GILKIT_OWNER_OF:-/project}
log() { echo "gilkit-bench: $*" >&2; }

[ $# -gt 0 ] || set -- --quick
# check judges the same interpreters compare measured.
pythons=()
prev=""
for a in "$@"; do
	case "$a" in
	--pythons=*) pythons=("$a") ;;
	*) [ "$prev" = --pythons ] && pythons=(--pythons "$a") ;;
	esac
	prev=$a
done

# (A glob, not ls: under set -e -o pipefail a failing ls would end the
# script before it could say why.)
binaries=("$bindir"/gilctl-*)
gilctl=${binaries[0]}
[ -x "$gilctl" ] || {
	log "no gilctl-NAME binaries in $bindir: rebuild the image (docker compose build bench)"
	exit 1
}

as_gilkit() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=gilkit --regid=gilkit --init-groups env HOME=/home/gilkit "$@"
	else
		"$@"
	fi
}

work=$(mktemp -d /tmp/gilkit-bench.XXXXXX)
chown gilkit:gilkit "$work" 2>/dev/null || true

# deliver copies whatever was written, even after a failure, into $out.
deliver() {
	mkdir -p "$out"
	cp -r "$work"/. "$out"/
	if [ "$(id -u)" = 0 ]; then
		# The owner of the checkout is the user who ran compose; fall back to
		# the owner of the output folder.
		local uid_gid
		uid_gid=$(stat -c %u:%g "$owner_of" 2>/dev/null || stat -c %u:%g "$out")
		chown "$uid_gid" "$out"
		(cd "$work" && find . -mindepth 1 -print0) | (cd "$out" && xargs -0 -r chown "$uid_gid")
		log "files in $out belong to uid:gid $uid_gid (the owner of $owner_of)"
	fi
	rm -rf "$work"
}
trap deliver EXIT

log "interpreters: $(printf '%s\n' "${binaries[@]##*/gilctl-}" | xargs); compare flags: $*"
as_gilkit "$gilctl" compare "$@" --save "$work/compare.json"
echo
echo "=== the article's claims"
as_gilkit "$gilctl" check "${pythons[@]}" --results "$work/compare.json" --save-verdicts "$work/check.json"
echo
as_gilkit "$gilctl" report --results "$work/compare.json" --verdicts "$work/check.json" --out "$work" | sed "s|$work|./out|g"
