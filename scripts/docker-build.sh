#!/usr/bin/env bash
# docker-build.sh [NAME...]   (make docker; default: $DOCKER_PYTHONS, or "3.12 3.13t")
#
# Builds gilkit's images offline, with the classic builder and docker/Dockerfile:
#   gilkit/debian:trixie   the base, made here with debootstrap when missing
#   gilkit:NAME            per interpreter: CPython NAME + gilctl (services pyXY[t])
#   gilkit:dev             every interpreter built + Go + sources (services test,
#                          bench): a chain of links gilkit/dev-chain:A, :A_B, ...
# Each interpreter comes from (DOCKER_SOURCES="NAME=prefix ..." chooses; default
# "3.12=prefix", every other NAME is built from a tarball):
#   tarball  an upstream source tarball, pinned in docker/sources.sha256, found in
#            $GILKIT_SOURCES, in gilkit's cache, or fetched by fetch-cpython-source.sh;
#            CPython is built inside the image (3-5 minutes, then cached by layer)
#   prefix   a CPython already built on this host (found as `make pythons` finds
#            it: GILKIT_PYTHONS, gilkit's cache, pyenv, PATH), copied and relocated
# The build context is assembled in .cache/docker/context; logs go to
# .cache/docker/logs. An interpreter that cannot be had is reported with what
# to provide; the others still build. Exits 1 if any was not built.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=scripts/docker-lib.sh
. "$here/docker-lib.sh"
cd "$root"

names=("$@")
[ ${#names[@]} -gt 0 ] || read -r -a names <<<"${DOCKER_PYTHONS:-3.12 3.13t}"
base_image=${GILKIT_BASE_IMAGE:-gilkit/debian:trixie}
ctx="$root/.cache/docker"
logs="$ctx/logs"
mkdir -p "$logs"
export DOCKER_BUILDKIT=0 # no buildx here, and BuildKit would pull its frontend

docker info >/dev/null 2>&1 || die "no Docker engine answers ('docker info' fails): start dockerd, or skip the images"

now() { date +%s; }
elapsed() { echo "$(($(now) - $1))s"; }

# source_kind NAME: tarball or prefix, from DOCKER_SOURCES.
source_kind() {
	local pair
	for pair in ${DOCKER_SOURCES-3.12=prefix}; do
		if [ "${pair%%=*}" = "$1" ]; then
			case "${pair#*=}" in
			tarball | prefix) echo "${pair#*=}" ;;
			*) die "DOCKER_SOURCES: '$pair': the source is tarball or prefix" ;;
			esac
			return 0
		fi
	done
	echo tarball
}

make_base() {
	if docker image inspect "$base_image" >/dev/null 2>&1; then
		return 0
	fi
	command -v debootstrap >/dev/null || die "debootstrap is missing: run make docker-tools"
	[ "$(id -u)" = 0 ] || die "making $base_image needs debootstrap as root (run make docker as root once)"
	local t0 dir mirror
	t0=$(now)
	mirror=$(debian_mirror)
	dir=$(mktemp -d "${TMPDIR:-/tmp}/gilkit-debootstrap.XXXXXX")
	log "making $base_image: debootstrap --variant=minbase trixie from $mirror (about a minute)"
	debootstrap --variant=minbase trixie "$dir" "$mirror" >"$logs/debootstrap.log" 2>&1 || {
		tail -n 20 "$logs/debootstrap.log" >&2
		rm -rf "$dir"
		die "debootstrap failed; log: $logs/debootstrap.log"
	}
	rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
	# The label marks every gilkit image (make docker-clean finds them by it).
	tar -C "$dir" -c . | docker import --change 'CMD ["/bin/bash"]' --change 'LABEL org.gilkit.image=true' \
		- "$base_image" >/dev/null
	rm -rf "$dir"
	log "made $base_image in $(elapsed "$t0")"
}

# context: the build context, $ctx/context: src/ (the checkout's files, docs
# other than README.md and host-side files left out so that editing them rebuilds nothing), goproxy/
# (the Go modules) and python/ (install-python.sh, one folder per
# interpreter, filled by prepare).
context() {
	local new="$ctx/context/src.new"
	rm -rf "$new" && mkdir -p "$new" "$ctx/context/python"
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git ls-files -z -co --exclude-standard
	else
		find go.mod go.sum Makefile README.md embed gilctl pyexamples scripts docker testdata -print0
	fi | while IFS= read -r -d '' f; do
		case "$f" in
		# README.md stays: its table of differences from python is read by
		# the hostile-corpus test that `docker compose run test` runs.
		README.md) ;;
		*.md | .ci/* | compose.yaml | */__pycache__/* | *.pyc) continue ;;
		# Host-side files: editing them must not rebuild the images.
		scripts/docker-*.sh | docker/Dockerfile | docker/sources.sha256) continue ;;
		esac
		[ -f "$f" ] && printf '%s\0' "$f"
	done | tar --null -T - -c | tar -x -C "$new"
	rm -rf "$ctx/context/src"
	mv "$new" "$ctx/context/src"
	cp docker/install-python.sh "$ctx/context/python/"
	goproxy
}

# goproxy: a file-based Go module proxy ($ctx/context/goproxy, GOPROXY=file://
# in gilkit:dev), so that containers fetch no module: gilkit's, and those of
# scripts/gopy-tools and of the module gopy generates where they exist. (Not
# vendor/: `make test`'s gofmt check would read vendored code.)
goproxy() {
	local mod
	for mod in . scripts/gopy-tools; do
		[ -f "$mod/go.mod" ] || continue
		(cd "$mod" && GOMODCACHE="$ctx/gomodcache" GOFLAGS=-mod=mod go mod download) ||
			die "go mod download in $mod failed"
	done
	rm -rf "$ctx/context/goproxy"
	cp -r "$ctx/gomodcache/cache/download" "$ctx/context/goproxy"
}

# find_tarball X.Y: a source tarball for X.Y, from GILKIT_SOURCES, else the cache
# (or a download) through fetch-cpython-source.sh.
find_tarball() {
	local ver=$1 t
	if [ -n "${GILKIT_SOURCES:-}" ]; then
		t=$(ls "$GILKIT_SOURCES"/Python-"$ver".*.tar.xz "$GILKIT_SOURCES"/Python-"$ver".*.tgz \
			"$GILKIT_SOURCES"/python"$ver"_"$ver".*.orig.tar.xz 2>/dev/null | sort -V | tail -n1 || true)
		if [ -n "$t" ]; then
			echo "$t"
			return 0
		fi
	fi
	"$here/fetch-cpython-source.sh" "$ver" "$gilkit_cache/pythons/src"
}

# prepare NAME: put NAME's input into the context ($ctx/python/NAME) and set
# kind and sha256 for the build args. Returns 1, saying what to provide, when
# the interpreter cannot be had.
prepare() {
	local name=$1 ver=${1%t} dir="$ctx/context/python/$1"
	kind=$(source_kind "$name")
	sha256=""
	origin=""
	rm -rf "$dir" && mkdir -p "$dir"
	case "$kind" in
	tarball)
		local t
		if ! t=$(find_tarball "$ver" 2>"$logs/$name.fetch.log"); then
			cat "$logs/$name.fetch.log" >&2
			log "$(service_name "$name"): no CPython $ver source tarball: put Python-$ver.N.tar.xz into a folder and run" \
				"make docker GILKIT_SOURCES=/that/folder (adding its sha256 to docker/sources.sha256)," \
				"or copy a host build: make docker DOCKER_SOURCES=$name=prefix"
			return 1
		fi
		sha256=$(sha256sum "$t" | cut -d' ' -f1)
		local pinned
		pinned=$(awk -v f="$(basename "$t")" '$2 == f { print $1 }' docker/sources.sha256)
		if [ -z "$pinned" ]; then
			log "$(service_name "$name"): $(basename "$t") is not pinned in docker/sources.sha256; if its sha256 matches" \
				"the one its publisher gives, add this line there:"
			echo "$sha256  $(basename "$t")" >&2
			return 1
		fi
		if [ "$pinned" != "$sha256" ]; then
			log "$(service_name "$name"): $t has sha256 $sha256, but docker/sources.sha256 pins $pinned: refusing it"
			return 1
		fi
		case "$t" in
		"${GILKIT_SOURCES:-/nonexistent}"/*) origin=GILKIT_SOURCES ;;
		*/python"$ver"_*.orig.tar.*) origin=debian ;;
		*) origin=python.org ;;
		esac
		ln -f "$t" "$dir/" 2>/dev/null || cp "$t" "$dir/"
		log "$name: source $(basename "$t") (sha256 ok)"
		;;
	prefix)
		local line prefix lib
		if ! line=$(PYTHONS="$name" "$here/pythons.sh" "$name" 2>"$logs/$name.find.log"); then
			cat "$logs/$name.find.log" >&2
			log "$(service_name "$name"): no CPython $name on this host to copy: set GILKIT_PYTHONS=\"$name=/its/prefix\"" \
				"(built --enable-shared), or build it from a tarball: make docker DOCKER_SOURCES=$name=tarball GILKIT_SOURCES=/folder"
			return 1
		fi
		prefix=${line#* }
		lib="lib/python$name"
		# What an image does not need: tests, IDLE, Tk, the static library,
		# and the host's third-party packages (site-packages stays empty).
		tar -C "$prefix" --sort=name --exclude="./$lib/test" --exclude="./$lib/idlelib" \
			--exclude="./$lib/tkinter" --exclude="./$lib/turtledemo" --exclude="./$lib/ensurepip" \
			--exclude="./$lib/site-packages/*" --exclude='libpython*.a' -cf "$dir/prefix.tar" .
		echo "$prefix" >"$dir/origin"
		log "$name: host build $prefix ($(du -sh "$dir/prefix.tar" | cut -f1) after trimming)"
		;;
	esac
}

# build TARGET TAG NAME [BUILD-ARGS...]: one docker build, its log in $logs,
# the Dockerfile's steps as progress.
build() {
	local target=$1 tag=$2 name=$3 t0 logfile
	shift 3
	t0=$(now)
	logfile="$logs/${tag//[:\/]/_}.log"
	log "building $tag (log: $logfile)"
	# Each line of the log is stamped with the time, so slow steps show.
	if ! docker build -f docker/Dockerfile --target "$target" -t "$tag" \
		--build-arg BASE="$base_image" --build-arg DEBIAN_MIRROR="$(debian_mirror)" \
		--build-arg PYTHON="$name" "$@" "$ctx/context" 2>&1 |
		while IFS= read -r line; do printf '%(%T)T %s\n' -1 "$line"; done >"$logfile"; then
		tail -n 30 "$logfile" >&2
		log "building $tag failed; log: $logfile"
		return 1
	fi
	log "built $tag in $(elapsed "$t0")"
}

t_all=$(now)
make_base
context
built=()
failed=()
# Each interpreter: its link of the gilkit:dev chain (on top of the previous
# link, so the Go build cache is shared), then its own image gilkit:NAME,
# whose stages come from the cache of that build.
from=toolchain
chain=""
for name in "${names[@]}"; do
	if ! [[ $name =~ ^3\.[0-9]+t?$ ]]; then
		log "'$name' is not an interpreter name: use X.Y (e.g. 3.12) or X.Yt (e.g. 3.13t); NAME+gil is the service $(service_name "${name%+gil}")-gil"
		failed+=("$name")
		continue
	fi
	prepare "$name" || {
		failed+=("$name")
		continue
	}
	link="gilkit/dev-chain:${chain:+${chain}_}$name"
	args=(--build-arg DEV_FROM="$from" --build-arg PYTHON_SOURCE="$kind" --build-arg PYTHON_SHA256="$sha256"
		--build-arg PYTHON_ORIGIN="$origin")
	if build dev "$link" "$name" "${args[@]}" && build runtime "gilkit:$name" "$name" "${args[@]}"; then
		built+=("$name")
		from=$link
		chain="${chain:+${chain}_}$name"
	else
		failed+=("$name")
	fi
done
if [ "$from" != toolchain ]; then
	docker tag "$from" gilkit:dev
fi

echo
echo "gilkit images (make docker took $(elapsed "$t_all")):"
docker image ls --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' | grep -E '^gilkit(/debian)?:' | sort | sed 's/^/  /' || true
for name in "${built[@]}"; do
	printf '  service %-12s gilkit:%s\n' "$(service_name "$name")" "$name"
	case "$name" in *t) printf '  service %-12s gilkit:%s with PYTHON_GIL=1\n' "$(service_name "$name")-gil" "$name" ;; esac
done
if [ ${#failed[@]} -gt 0 ]; then
	log "not built: ${failed[*]} (see the messages above)"
	exit 1
fi
