#!/usr/bin/env bash
# docker-build.sh   (make docker, after make docker-seed)
#
# `docker compose build`: every service's image from docker/Dockerfile
# (gilkit:3.12, gilkit:3.13t, gilkit:dev; DOCKER_PROFILES="py313" adds
# gilkit:3.13), then the images and their sizes. With the seed in place it
# downloads nothing but Debian packages. The builder is compose's: BuildKit
# where docker buildx is installed, else the classic one (DOCKER_BUILDKIT=0
# forces it); docs/docker.md compares them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/docker-lib.sh
. "$here/docker-lib.sh"
cd "$here/.."

docker info >/dev/null 2>&1 || die "no Docker engine answers ('docker info' fails): start dockerd, or skip the images"
use_a_working_builder
profiles=()
for p in ${DOCKER_PROFILES:-}; do profiles+=(--profile "$p"); done
t0=$(date +%s)
log "docker compose ${profiles[*]} build ($(builder) builder)"
compose "${profiles[@]}" build
echo
echo "gilkit images (docker compose build took $(($(date +%s) - t0))s, $(builder) builder):"
docker image ls --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' | grep -E '^gilkit:' | sort | sed 's/^/  /' || true
