# docker-lib.sh — shared by the docker-*.sh scripts (sourced, not run).

log() { echo "gilkit docker: $*" >&2; }
die() {
	log "$*"
	exit 1
}

gilkit_cache=${GILKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gilkit}

# debian_mirror prints the Debian archive this host's apt uses (the images
# use the same one), or $DEBIAN_MIRROR.
debian_mirror() {
	if [ -n "${DEBIAN_MIRROR:-}" ]; then
		echo "$DEBIAN_MIRROR"
		return 0
	fi
	local m
	m=$(awk '$1 == "URIs:" { for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) { print $i; exit } }' \
		/etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
	[ -n "$m" ] || m=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:\/\/.*\/debian\/?$/) { print $i; exit } }' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -n1)
	[ -n "$m" ] || die "cannot tell which Debian archive to use from /etc/apt: set DEBIAN_MIRROR=http://.../debian"
	echo "${m%/}"
}

# service_name NAME: the compose service of an interpreter (3.13t -> py313t).
service_name() { echo "py$(echo "$1" | tr -d .)"; }

# compose ARGS...: `docker compose` (v2), else `docker-compose` (1.29): both
# read compose.yaml.
compose() {
	if docker compose version >/dev/null 2>&1; then
		docker compose "$@"
	elif command -v docker-compose >/dev/null; then
		docker-compose "$@"
	else
		die "neither 'docker compose' nor 'docker-compose' is installed: run make docker-tools"
	fi
}

# builder: which builder a compose build here uses ("BuildKit" or "classic").
builder() {
	if [ "${DOCKER_BUILDKIT:-}" = 0 ]; then
		echo classic
	elif docker compose version >/dev/null 2>&1 && docker buildx version >/dev/null 2>&1; then
		echo BuildKit
	elif [ "${DOCKER_BUILDKIT:-}" = 1 ]; then
		echo BuildKit
	else
		echo classic
	fi
}

# use_a_working_builder: where BuildKit would be used but does not answer
# within a minute (an engine whose BuildKit hangs, e.g. after an interrupted
# prune, while its classic builder still works), the builds use the classic
# builder (DOCKER_BUILDKIT=0), and say so.
use_a_working_builder() {
	[ "$(builder)" = BuildKit ] || return 0
	if ! timeout 60 docker buildx du >/dev/null 2>&1; then
		log "BuildKit does not answer ('docker buildx du' hangs or fails): building with the classic builder (DOCKER_BUILDKIT=0)"
		export DOCKER_BUILDKIT=0
	fi
}
