#!/usr/bin/env bash
# docker-tools.sh — what `make docker` needs besides a Docker engine:
#   debootstrap          to make the base image locally (no registry here)
#   docker compose (v2)  the documented `docker compose run`; where only
#                        docker-compose 1.x is installed, the v2 CLI plugin is
#                        taken from Debian trixie's docker-compose package
#                        (downloaded with a private apt state, not installed
#                        as a package, so the 1.x package stays as it is).
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

if docker compose version >/dev/null 2>&1; then
	log "$(docker compose version | head -n1)"
	exit 0
fi

# The plugin goes where every docker CLI looks for plugins.
if [ "$(id -u)" = 0 ]; then
	plugins=/usr/local/lib/docker/cli-plugins
else
	plugins=${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins
fi
aptdir="$gilkit_cache/docker/apt"
mkdir -p "$aptdir/lists/partial" "$aptdir/archives/partial"
echo "deb $(debian_mirror) trixie main" >"$aptdir/sources.list"
aptopts=(
	-o "Dir::Etc::SourceList=$aptdir/sources.list"
	-o "Dir::Etc::SourceParts=/dev/null"
	-o "Dir::State::Lists=$aptdir/lists"
	-o "Dir::Cache::Archives=$aptdir/archives"
	-o "Acquire::Check-Valid-Until=false"
	-o "APT::Sandbox::User=root"
)
log "docker compose (v2) is missing; taking the plugin from Debian trixie's docker-compose package"
apt-get "${aptopts[@]}" -qq update >"$aptdir/update.log" 2>&1 || die "apt-get update failed; see $aptdir/update.log"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get "${aptopts[@]}" -qq download docker-compose >"$aptdir/download.log" 2>&1) ||
	die "could not download Debian's docker-compose package; see $aptdir/download.log"
dpkg-deb -x "$work"/docker-compose_*.deb "$work/x"
plugin="$work/x/usr/libexec/docker/cli-plugins/docker-compose"
[ -x "$plugin" ] || die "$(basename "$work"/docker-compose_*.deb) holds no compose v2 plugin"
mkdir -p "$plugins"
install -m 0755 "$plugin" "$plugins/docker-compose"
docker compose version >/dev/null 2>&1 || die "installed $plugins/docker-compose, but 'docker compose version' still fails"
log "installed $plugins/docker-compose: $(docker compose version | head -n1)"
