#!/bin/sh
# dev-prepare.sh NAME (in the image, gilkit:dev): as the user gilkit, who owns
# the Go caches the test and bench services use: bin/gilctl-NAME as
# scripts/build-gilctl.sh builds it on a host (checked with ldd), the race
# test binaries compiled against NAME (not run) so that the test service
# starts warm, and gopy's extension where gopy builds (exit 3: it cannot).
set -eu
name=$1
cd /src
setpriv --reuid=gilkit --regid=gilkit --init-groups env HOME=/home/gilkit sh -ec '
	scripts/build-gilctl.sh "$1" "/opt/python/$1"
	scripts/with-python.sh "$1" "/opt/python/$1" go test -race -count=1 -run "^\$" ./... >/dev/null
	echo "dev-prepare: race test binaries compiled for $1"
	if [ -x scripts/gopy.sh ]; then
		st=0; scripts/gopy.sh "$1" "/opt/python/$1" </dev/null >/dev/null || st=$?
		case $st in 0) echo "dev-prepare: gopy extension built for $1" ;; 3) echo "dev-prepare: no gopy extension for $1" ;; *) exit $st ;; esac
	fi' dev-prepare "$name"
install -D -m 0755 "/src/bin/gilctl-$name" "/opt/gilkit/bin/gilctl-$name"
