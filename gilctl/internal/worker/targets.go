package worker

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Discover lists the commands of the gilctl-NAME binaries in dir ("3.13t+gil"
// is gilctl-3.13t with PYTHON_GIL=1). With no names it returns all of them,
// plus a NAME+gil variant of each free-threaded NAME; names may also be
// paths to gilctl binaries.
func Discover(dir string, names []string) ([]Command, error) {
	found := map[string]string{}
	matches, _ := filepath.Glob(filepath.Join(dir, "gilctl-*"))
	for _, m := range matches {
		if st, err := os.Stat(m); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			found[strings.TrimPrefix(filepath.Base(m), "gilctl-")] = m
		}
	}
	if len(names) == 0 {
		for n := range found {
			names = append(names, n)
			if strings.HasSuffix(n, "t") {
				names = append(names, n+"+gil")
			}
		}
		sort.Strings(names)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no gilctl-NAME binaries in %s: run make build, or name them with --pythons", dir)
	}
	var out []Command
	for _, n := range names {
		t, err := target(n, found)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func target(name string, found map[string]string) (Command, error) {
	if strings.Contains(name, "/") {
		if _, err := os.Stat(name); err != nil {
			return Command{}, fmt.Errorf("interpreter %q: %w", name, err)
		}
		return Command{Name: strings.TrimPrefix(filepath.Base(name), "gilctl-"), Argv: []string{name}}, nil
	}
	base, gil := strings.CutSuffix(name, "+gil")
	bin, ok := found[base]
	if !ok {
		var have []string
		for n := range found {
			have = append(have, n)
		}
		sort.Strings(have)
		list := "there are none"
		if len(have) > 0 {
			list = "have: " + strings.Join(have, ", ")
		}
		return Command{}, fmt.Errorf("no gilctl-%s beside this binary (%s); run make build PYTHONS=%q", base, list, base)
	}
	t := Command{Name: name, Argv: []string{bin}, Env: []string{"PYTHON_GIL="}}
	if gil {
		if !strings.HasSuffix(base, "t") {
			return Command{}, fmt.Errorf("%s: only free-threaded builds (NAME ending in t) have a +gil variant", name)
		}
		t.Env = []string{"PYTHON_GIL=1"}
	}
	return t, nil
}
