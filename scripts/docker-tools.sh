#!/usr/bin/env bash
# docker-tools.sh — what gilkit's Docker targets use besides a Docker engine:
#   debootstrap          make docker-seed makes the base image with it where no
#                        registry answers
#   docker compose (v2)  the documented `docker compose run`
#   docker buildx        BuildKit for `docker compose build` (see docs/docker.md:
#                        the classic builder works too, and is used without it)
# Where a plugin is missing, it is taken from Debian trixie's package of that
# name (docker-compose, docker-buildx: static binaries), downloaded with a
# private apt state and put where every docker CLI looks for plugins; no
# package is installed or removed (a docker-compose 1.x package stays as it is).
# Installs only what is missing; prints what it did.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/docker-lib.sh
. "$here/docker-lib.sh"

command -v docker >/dev/null || die "no docker command on PATH: install Docker (e.g. Debian's docker.io) first"

if ! command -v debootstrap >/dev/null; then
	[ "$(id -u)" = 0 ] || die "debootstrap is missing and only root can install it: apt-get install debootstrap"
	log "installing debootstrap (Debian package)"
	apt-get -qq update >/dev/null 2>&1 || true
	DEBIAN_FRONTEND=noninteractive apt-get -qq install -y debootstrap >/dev/null
fi

# The plugins go where every docker CLI looks for them.
if [ "$(id -u)" = 0 ]; then
	plugins=/usr/local/lib/docker/cli-plugins
else
	plugins=${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins
fi
aptdir="$gilkit_cache/docker/apt"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
updated=false

# plugin NAME PACKAGE: docker NAME works afterwards, or it dies saying why.
plugin() {
	local name=$1 pkg=$2
	if docker "$name" version >/dev/null 2>&1; then
		log "docker $name: $(docker "$name" version | head -n1)"
		return 0
	fi
	log "docker $name is missing; taking the plugin from Debian trixie's $pkg package"
	if ! $updated; then
		mkdir -p "$aptdir/lists/partial" "$aptdir/archives/partial"
		echo "deb $(debian_mirror) trixie main" >"$aptdir/sources.list"
		apt-get "${aptopts[@]}" -qq update >"$aptdir/update.log" 2>&1 || die "apt-get update failed; see $aptdir/update.log"
		updated=true
	fi
	(cd "$work" && apt-get "${aptopts[@]}" -qq download "$pkg" >"$aptdir/download.log" 2>&1) ||
		die "could not download Debian's $pkg package; see $aptdir/download.log"
	rm -rf "$work/x"
	dpkg-deb -x "$work/${pkg}"_*.deb "$work/x"
	local bin="$work/x/usr/libexec/docker/cli-plugins/docker-$name"
	[ -x "$bin" ] || die "$(basename "$work/${pkg}"_*.deb) holds no docker-$name plugin"
	mkdir -p "$plugins"
	install -m 0755 "$bin" "$plugins/docker-$name"
	rm -f "$work/${pkg}"_*.deb
	docker "$name" version >/dev/null 2>&1 || die "installed $plugins/docker-$name, but 'docker $name version' still fails"
	log "installed $plugins/docker-$name: $(docker "$name" version | head -n1)"
}
aptopts=(
	-o "Dir::Etc::SourceList=$aptdir/sources.list"
	-o "Dir::Etc::SourceParts=/dev/null"
	-o "Dir::State::Lists=$aptdir/lists"
	-o "Dir::Cache::Archives=$aptdir/archives"
	-o "Dir::State::status=/dev/null"
	-o "APT::Sandbox::User=root"
)
plugin compose docker-compose
[ "${GILKIT_NO_BUILDX:-}" = 1 ] || plugin buildx docker-buildx
