#!/usr/bin/env bash
# docker-seed.sh   (make docker-seed)
#
# Places what a build of docker/Dockerfile would download, so that
# `docker compose build` / `docker compose run` then work with no registry,
# no python.org and no Go module proxy. Builds no gilkit image. It places:
#   the base image   under the Dockerfile's default tag (ARG BASE, e.g.
#                    debian:trixie-slim): kept if the engine has it, else
#                    pulled, else made with debootstrap (root, Debian's
#                    archive) to look like Debian's slim image
#   source tarballs  docker/seed/Python-X.Y.Z.tar.xz for every tarball pinned
#                    in docker/sources.sha256, found on this host (GILKIT_SOURCES,
#                    gilkit's cache, Debian's identical .orig.tar.xz) or
#                    fetched by scripts/fetch-cpython-source.sh; checked by sha256
#   prebuilt prefixes  docker/seed/python-NAME.prefix.tar (+ .origin) for an
#                    interpreter whose tarball cannot be had here (it says so),
#                    and for those named in DOCKER_SEED_PREFIXES (e.g. CI's
#                    "3.13 3.13t", built earlier in the same run by make pythons)
#   Go modules       docker/seed/goproxy/, a file module proxy (needs Go on
#                    this host; without it the build downloads them)
# docker/seed/ is ignored by git. The Dockerfile uses a seeded file in place of
# the download it stands for; an empty seed means a plain online build.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=scripts/docker-lib.sh
. "$here/docker-lib.sh"
cd "$root"

seed=docker/seed
work="$root/.cache/docker"
mkdir -p "$seed" "$work/logs"
docker info >/dev/null 2>&1 || die "no Docker engine answers ('docker info' fails): start dockerd first"

# dockerfile_arg NAME: the default of ARG NAME in docker/Dockerfile.
dockerfile_arg() {
	sed -n "s/^ARG $1=\(.*\)$/\1/p" docker/Dockerfile | head -n1
}

# --- the base image ---------------------------------------------------------

base=$(dockerfile_arg BASE)
[ -n "$base" ] || die "docker/Dockerfile has no 'ARG BASE=...' default"

make_base() {
	if docker image inspect "$base" >/dev/null 2>&1; then
		log "base image $base: already in the engine"
		return 0
	fi
	if docker pull -q "$base" >/dev/null 2>"$work/logs/pull.log"; then
		log "base image $base: pulled"
		return 0
	fi
	local suite=${base#*:}
	suite=${suite%-slim}
	case "$base" in
	debian:*) ;;
	*) die "cannot pull $base ($(head -c 200 "$work/logs/pull.log")), and only a debian:SUITE[-slim] base can be made here" ;;
	esac
	log "base image $base: no registry answers ($(tr -d '\n' <"$work/logs/pull.log" | cut -c1-120)...); making it with debootstrap"
	command -v debootstrap >/dev/null || die "debootstrap is missing: run make docker-tools (or apt-get install debootstrap)"
	[ "$(id -u)" = 0 ] || die "making $base needs debootstrap as root: run make docker-seed as root once"
	local t0 dir mirror
	t0=$(date +%s)
	mirror=$(debian_mirror)
	dir=$(mktemp -d "${TMPDIR:-/tmp}/gilkit-debootstrap.XXXXXX")
	debootstrap --variant=minbase "$suite" "$dir" "$mirror" >"$work/logs/debootstrap.log" 2>&1 || {
		tail -n 20 "$work/logs/debootstrap.log" >&2
		rm -rf "$dir"
		die "debootstrap $suite from $mirror failed; log: $work/logs/debootstrap.log"
	}
	# What Debian's official slim images carry: the archive in deb822 form
	# (with updates and security), no docs/manuals/locales, no apt caches.
	rm -f "$dir/etc/apt/sources.list"
	cat >"$dir/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian}/debian-security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
	printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
		'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' \
		'path-include /usr/share/locale/locale.alias' >"$dir/etc/dpkg/dpkg.cfg.d/docker"
	printf '%s\n' 'Acquire::Languages "none";' >"$dir/etc/apt/apt.conf.d/docker-no-languages"
	printf '%s\n' 'APT::AutoRemove::SuggestsImportant "false";' >"$dir/etc/apt/apt.conf.d/docker-autoremove-suggests"
	rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/usr/share/doc/*/changelog* \
		"$dir"/usr/share/man/* "$dir"/usr/share/info/*
	# The label tells make docker-clean that gilkit made it (a pulled image
	# is the user's and is left alone).
	tar -C "$dir" -c . | docker import --change 'CMD ["bash"]' --change 'LABEL org.gilkit.seed=debootstrap' \
		- "$base" >/dev/null
	rm -rf "$dir"
	log "base image $base: made with debootstrap --variant=minbase $suite from $mirror in $(($(date +%s) - t0))s"
}

# --- source tarballs and prefixes --------------------------------------------

# pinned: "SHA256 FILE" lines of docker/sources.sha256.
pinned() { grep -E '^[0-9a-f]{64}  Python-' docker/sources.sha256; }

# names_of X.Y: the interpreters the images build from X.Y's tarball.
names_of() {
	local n
	for n in ${GILKIT_IMAGE_PYTHONS:-3.12 3.13 3.13t}; do
		[ "${n%t}" = "$1" ] && printf '%s ' "$n"
	done
	return 0
}

forced_prefix() { # NAME: named in DOCKER_SEED_PREFIXES?
	local n
	for n in ${DOCKER_SEED_PREFIXES:-}; do [ "$n" = "$1" ] && return 0; done
	return 1
}

# place_tarball FILE SHA256: docker/seed/FILE with that checksum, from the
# first local copy with the same bytes, else a download. Returns 1 if none.
place_tarball() {
	local file=$1 sha=$2 rel=${1#Python-} ver c got
	rel=${rel%.tar.xz}
	ver=${rel%.*}
	if [ -f "$seed/$file" ] && [ "$(sha256sum "$seed/$file" | cut -d' ' -f1)" = "$sha" ]; then
		log "$file: already in $seed"
		return 0
	fi
	rm -f "$seed/$file"
	# python.org's tarball and Debian's .orig.tar.xz of a release are the same bytes.
	for c in "${GILKIT_SOURCES:-$gilkit_cache/sources}"/{"$file","python${ver}_$rel.orig.tar.xz"} \
		"$gilkit_cache"/pythons/src/{"$file","python${ver}_$rel.orig.tar.xz"}; do
		[ -f "$c" ] || continue
		got=$(sha256sum "$c" | cut -d' ' -f1)
		if [ "$got" = "$sha" ]; then
			ln -f "$c" "$seed/$file" 2>/dev/null || cp "$c" "$seed/$file"
			log "$file: from $c (sha256 $sha, as pinned)"
			return 0
		fi
	done
	if c=$("$here/fetch-cpython-source.sh" "$ver" "$gilkit_cache/pythons/src" 2>"$work/logs/fetch-$ver.log"); then
		got=$(sha256sum "$c" | cut -d' ' -f1)
		if [ "$got" = "$sha" ]; then
			ln -f "$c" "$seed/$file" 2>/dev/null || cp "$c" "$seed/$file"
			log "$file: downloaded as $(basename "$c") (sha256 $sha, as pinned)"
			return 0
		fi
		log "$file: the $ver source reachable here is $(basename "$c") (sha256 $got), not the pinned release"
	else
		log "$file: not reachable from here ($(tail -n1 "$work/logs/fetch-$ver.log" | sed 's/^gilkit: //'))"
	fi
	return 1
}

# place_prefix NAME: docker/seed/python-NAME.prefix.tar from the CPython NAME
# that `make pythons` finds on this host.
place_prefix() {
	local name=$1 line prefix lib tar="$seed/python-$1.prefix.tar"
	if ! line=$(PYTHONS="$name" "$here/pythons.sh" "$name" 2>"$work/logs/find-$name.log"); then
		cat "$work/logs/find-$name.log" >&2
		log "python $name: no prebuilt CPython $name on this host either (set GILKIT_PYTHONS=\"$name=/its/prefix\")"
		return 1
	fi
	prefix=${line#* }
	if [ -f "$tar" ] && [ "$(cat "$seed/python-$name.origin" 2>/dev/null)" = "$prefix" ] && [ "$tar" -nt "$prefix/lib" ]; then
		log "python $name: prebuilt prefix $prefix already in $tar"
		return 0
	fi
	lib="lib/python$name"
	# What an image does not need: tests, IDLE, Tk, the static library, and
	# the host's third-party packages (site-packages stays empty).
	tar -C "$prefix" --sort=name --exclude="./$lib/test" --exclude="./$lib/idlelib" \
		--exclude="./$lib/tkinter" --exclude="./$lib/turtledemo" --exclude="./$lib/ensurepip" \
		--exclude="./$lib/site-packages/*" --exclude='libpython*.a' --exclude='__pycache__' -cf "$tar.tmp" .
	mv "$tar.tmp" "$tar"
	echo "$prefix" >"$seed/python-$name.origin"
	log "python $name: PREBUILT, not built from source in the image: $prefix ($(du -sh "$tar" | cut -f1)) -> $tar"
}

# --- Go modules ----------------------------------------------------------------

place_goproxy() {
	if ! command -v go >/dev/null; then
		rm -rf "$seed/goproxy"
		log "Go modules: no go on PATH, none seeded: the build downloads them from its GOPROXY"
		return 0
	fi
	local mod
	for mod in . scripts/gopy-tools; do
		[ -f "$mod/go.mod" ] || continue
		(cd "$mod" && GOMODCACHE="$work/gomodcache" GOFLAGS=-mod=mod go mod download) >"$work/logs/gomod.log" 2>&1 || {
			cat "$work/logs/gomod.log" >&2
			die "go mod download in $mod failed"
		}
	done
	rm -rf "$seed/goproxy.new"
	cp -r "$work/gomodcache/cache/download" "$seed/goproxy.new"
	rm -rf "$seed/goproxy"
	mv "$seed/goproxy.new" "$seed/goproxy"
	log "Go modules: $(find "$seed/goproxy" -name '*.zip' | wc -l) modules in $seed/goproxy (a file GOPROXY)"
}

t0=$(date +%s)
make_base
failed=()
prebuilt=()
while read -r sha file; do
	rel=${file#Python-}
	ver=${rel%.tar.xz}
	ver=${ver%.*}
	names=$(names_of "$ver")
	[ -n "$names" ] || continue
	need_tarball=false
	for n in $names; do forced_prefix "$n" || need_tarball=true; done
	have_tarball=false
	if $need_tarball && place_tarball "$file" "$sha"; then have_tarball=true; fi
	$need_tarball || rm -f "$seed/$file"
	for n in $names; do
		if forced_prefix "$n" || ! $have_tarball; then
			if place_prefix "$n"; then prebuilt+=("$n"); else failed+=("$n"); fi
		else
			rm -f "$seed/python-$n.prefix.tar" "$seed/python-$n.origin"
		fi
	done
done < <(pinned)
place_goproxy

echo
echo "docker seed ($(($(date +%s) - t0))s): $(du -sh "$seed" | cut -f1) in $seed, base image $base"
if [ ${#prebuilt[@]} -gt 0 ]; then
	echo "  prebuilt interpreters (copied from this host, not built from source in the image): ${prebuilt[*]}"
fi
echo "  now: docker compose build  (or docker compose run --rm py313t info), no download needed"
if [ ${#failed[@]} -gt 0 ]; then
	log "nothing seeded for: ${failed[*]}: their images will try to download the source"
	exit 1
fi
