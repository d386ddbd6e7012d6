// Package scripts holds the tests of gilkit's provisioning shell scripts
// (pythons.sh, fetch-cpython-source.sh, with-python.sh, lib-source.sh):
// they run the real scripts on fake prefixes and small fake source
// tarballs, with the network cut off where the machine allows it.
package scripts
