package bench

import (
	stdembed "embed"
	"fmt"
	"path"
	"strings"

	"github.com/gilkit/gilkit/embed"
)

// pySources are the Python the runner itself runs, kept as Python files
// in py/ so that tools read them as Python and a test compiles each on
// every interpreter (pysrc_test.go).
//
//go:embed py/*.py
var pySources stdembed.FS

// pyHelper runs py/FILE in a fresh namespace of py's interpreter and
// returns its function name.
func pyHelper(py *embed.Py, file, name string) (*embed.Object, error) {
	src, err := pySources.ReadFile(path.Join("py", file))
	if err != nil {
		return nil, err
	}
	ns, err := py.Namespace("gilctl_" + strings.TrimSuffix(file, ".py"))
	if err != nil {
		return nil, err
	}
	defer ns.Close()
	if err := py.Exec(string(src), embed.Globals(ns), embed.Filename("gilctl/internal/bench/py/"+file)); err != nil {
		return nil, fmt.Errorf("running gilctl's %s: %w", file, err)
	}
	return py.Eval(name, embed.Globals(ns))
}
