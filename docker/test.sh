#!/usr/bin/env bash
# gilkit-test [NAME...]   (the compose service `test`, in the gilkit:dev image)
#
# Runs `make test` in /src, the sources the image was built from: gofmt and
# go vet, then go test -race ./... once per interpreter. The interpreters are
# those under /opt/python (every one the image holds), or the NAMEs given.
set -euo pipefail
cd /src
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
	for d in /opt/python/*/; do names+=("$(basename "$d")"); done
fi
[ ${#names[@]} -gt 0 ] || {
	echo "gilkit-test: no interpreters under /opt/python: rebuild the image (docker compose build test)" >&2
	exit 1
}
overrides=()
for n in "${names[@]}"; do
	[ -d "/opt/python/${n%+gil}" ] || {
		echo "gilkit-test: no interpreter $n in this image (have: $(ls /opt/python | xargs))" >&2
		exit 2
	}
	overrides+=("${n%+gil}=/opt/python/${n%+gil}")
done
export PYTHONS="${names[*]}" GILKIT_PYTHONS="${overrides[*]}"
exec make test
