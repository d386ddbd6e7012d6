#!/bin/sh
# dev-prepare.sh NAME (in the image, gilkit:dev): as the user gilkit, who owns
# the Go caches the test and bench services use: bin/gilctl-NAME as
# scripts/build-gilctl.sh builds it on a host (checked with ldd), the race
# test binaries compiled against NAME (not run) so that the test service
# starts warm, where NAME is one of $WARM_PYTHONS (unset: every NAME), and
# gopy's extension where gopy builds (exit 3: it cannot).
set -eu
name=$1
warm=yes
if [ -n "${WARM_PYTHONS+set}" ]; then
	case " $WARM_PYTHONS " in *" $name "*) ;; *) warm=no ;; esac
fi
cd /src
setpriv --reuid=gilkit --regid=gilkit --init-groups env HOME=/home/gilkit sh -ec '
	scripts/build-gilctl.sh "$1" "/opt/python/$1"
	if [ "$2" = yes ]; then
		scripts/with-python.sh "$1" "/opt/python/$1" go test -race -count=1 -run "^\$" ./... >/dev/null
		echo "dev-prepare: race test binaries compiled for $1"
	else
		echo "dev-prepare: race test binaries not compiled for $1 (WARM_PYTHONS=$3): its first test run compiles them"
	fi
	if [ -x scripts/gopy.sh ]; then
		st=0; scripts/gopy.sh "$1" "/opt/python/$1" </dev/null >/dev/null || st=$?
		case $st in 0) echo "dev-prepare: gopy extension built for $1" ;; 3) echo "dev-prepare: no gopy extension for $1" ;; *) exit $st ;; esac
	fi' dev-prepare "$name" "$warm" "${WARM_PYTHONS:-}"
install -D -m 0755 "/src/bin/gilctl-$name" "/opt/gilkit/bin/gilctl-$name"
