// The tools scripts/gopy.sh builds into gilkit's cache: gopy and the
// goimports it runs. A module of its own so that gilkit's go.mod does not
// depend on them. gopy v0.4.10 asks for golang.org/x/tools v0.16.0, which
// does not compile with Go >= 1.22 (tokeninternal's constant check); a newer
// x/tools works.
module github.com/gilkit/gilkit/scripts/gopy-tools

go 1.26.0

require (
	github.com/go-python/gopy v0.4.10
	golang.org/x/tools v0.52.0
)

require (
	github.com/gonuts/commander v0.1.0 // indirect
	github.com/gonuts/flag v0.1.0 // indirect
	github.com/pkg/errors v0.9.1 // indirect
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/telemetry v0.0.0-20261009151841-97e8ea77aa2a // indirect
)
