#!/bin/sh
# apt-backports.sh (in the image): adds the -backports suite of the archive
# the image's own apt sources name (Go 1.26 is there). Reads the deb822
# /etc/apt/sources.list.d/debian.sources of Debian's images, or a classic
# sources.list; the first "deb" entry gives the archive and the suite.
set -eu
src=/etc/apt/sources.list.d/debian.sources
if [ -f "$src" ]; then
	uri=$(awk '$1 == "URIs:" { print $2; exit }' "$src")
	suite=$(awk '$1 == "Suites:" { print $2; exit }' "$src")
else
	set -- $(awk '$1 == "deb" { print $2, $3; exit }' /etc/apt/sources.list)
	uri=${1:-} suite=${2:-}
fi
[ -n "$uri" ] && [ -n "$suite" ] || { echo "apt-backports.sh: no Debian archive in the image's apt sources" >&2; exit 1; }
case "$suite" in *-backports) exit 0 ;; esac
printf 'Types: deb\nURIs: %s\nSuites: %s-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
	"$uri" "$suite" >/etc/apt/sources.list.d/backports.sources
echo "apt-backports.sh: + $uri $suite-backports"
