#!/usr/bin/env bash
# packages.sh pure|python
#
# Prints the module's Go packages that never embed Python ("pure": they must
# build, vet and test with CGO_ENABLED=0, without any interpreter) or those
# whose tests run once per interpreter ("python": they import package embed,
# directly or not, or use cgo; plus the pure packages listed in
# PER_INTERPRETER, whose tests start the interpreter named by GILKIT_PYTHON
# as a plain python process).
#
# The pure list is a promise, declared below. This script fails, naming the
# package, when a declared pure package (or its tests) starts importing
# embed or cgo, and when a new package that needs no Python is missing from
# the list, so the promise stays true as the code grows.
set -euo pipefail
cd "$(dirname "$0")/.."
want=${1:?usage: packages.sh pure|python}

PURE="
github.com/gilkit/gilkit/embed/internal/gid
github.com/gilkit/gilkit/gilctl/internal/check
github.com/gilkit/gilkit/gilctl/internal/gopy
github.com/gilkit/gilkit/gilctl/internal/machine
github.com/gilkit/gilkit/gilctl/internal/machine/machinetest
github.com/gilkit/gilkit/gilctl/internal/matrix
github.com/gilkit/gilkit/gilctl/internal/plots
github.com/gilkit/gilkit/gilctl/internal/provenance
github.com/gilkit/gilkit/gilctl/internal/report
github.com/gilkit/gilkit/gilctl/internal/results
github.com/gilkit/gilkit/gilctl/internal/sequential
github.com/gilkit/gilkit/gilctl/internal/version
github.com/gilkit/gilkit/gilctl/internal/worker
github.com/gilkit/gilkit/pyexamples/gopyext
github.com/gilkit/gilkit/scripts
github.com/gilkit/gilkit/scripts/debpython
"
# Pure packages whose tests need an interpreter of the list (not embedded):
# make test runs them again in every interpreter's pass.
PER_INTERPRETER="
github.com/gilkit/gilkit/gilctl/internal/gopy
"
embed=github.com/gilkit/gilkit/embed

# python: a package whose own files, tests or dependencies (within this
# module) use embed or cgo. (The standard library's optional cgo, as in net,
# does not count: CGO_ENABLED=0 builds it without.)
needs_python() {
	local deps
	deps=$(go list -e -test -deps -f '{{.ImportPath}} {{if .CgoFiles}}cgo{{end}}' "$1")
	grep -qE "^$embed( |\$)|^github.com/gilkit/gilkit/.* cgo\$" <<<"$deps"
}

bad=0
pure=() python=()
for pkg in $(go list ./...); do
	declared=no
	grep -qx "$pkg" <<<"$PURE" && declared=yes
	if needs_python "$pkg"; then
		if [ $declared = yes ]; then
			echo "packages.sh: $pkg is declared pure but now imports embed or cgo (directly, in its tests or through a dependency); keep Python out of it" >&2
			bad=1
		fi
		python+=("$pkg")
	else
		if [ $declared = no ]; then
			echo "packages.sh: $pkg runs no Python: add it to PURE in scripts/packages.sh so that make test checks it with CGO_ENABLED=0" >&2
			bad=1
		fi
		pure+=("$pkg")
		grep -qx "$pkg" <<<"$PER_INTERPRETER" && python+=("$pkg")
	fi
done
[ $bad = 0 ] || exit 1
case "$want" in
pure) printf '%s\n' "${pure[@]}" ;;
python) printf '%s\n' "${python[@]}" ;;
*) echo "usage: packages.sh pure|python" >&2; exit 2 ;;
esac
