package cli_test

import (
	"archive/zip"
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// A hostile case is one .py file under testdata/hostile. Lines at its top of
// the form `# gilkit-test: KEY: VALUE` say how to run it:
//
//	args: a b c          arguments after the program
//	python-args: -X dev  python's options before the program
//	env: NAME=VALUE      an environment variable (${CASEDIR}: the case's folder)
//	stdin: "text\n"      standard input (default: /dev/null), a Go-quoted string
//	closed-fds: 0 1      standard descriptors closed when the program starts
//	ulimit-s: unlimited  the stack limit the run starts with
//	as: dir|zip|code|module|stdin|missing
//	                     run the file as DIR/__main__.py, inside a ZIP, as
//	                     -c CODE, as -m MODULE, as the script read from "-",
//	                     or run a path that does not exist
//	timeout: 1s          not compared with python: run with --timeout, and
//	                     check that it ends in time with status 124
//	stdout: "text"       (timeout cases) what stdout must hold at the end
//
// While a run goes, a line "@@signal NAME" on its stdout or stderr makes the
// harness send signal NAME to the process, so that signals arrive at defined
// points; "@@signal NAME in 500ms" sends it that much later, when the
// program has had time to block in the call that follows.
type hostileCase struct {
	name       string
	path       string
	src        string
	args       []string
	pythonArgs []string
	env        []string
	stdin      *string // nil: /dev/null
	closedFDs  []string
	ulimitS    string
	as         string
	timeout    time.Duration
	stdout     *string
}

const directivePrefix = "# gilkit-test:"

func loadHostileCases(dir string) ([]*hostileCase, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.py"))
	if err != nil {
		return nil, err
	}
	var cases []*hostileCase
	for _, f := range files {
		c, err := parseHostileCase(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		cases = append(cases, c)
	}
	return cases, nil
}

func parseHostileCase(path string) (*hostileCase, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c := &hostileCase{name: strings.TrimSuffix(filepath.Base(path), ".py"), path: path, src: string(data)}
	sc := bufio.NewScanner(strings.NewReader(c.src))
	for sc.Scan() {
		line := sc.Text()
		rest, ok := strings.CutPrefix(line, directivePrefix)
		if !ok {
			if strings.HasPrefix(line, "#") {
				continue
			}
			break
		}
		key, value, ok := strings.Cut(rest, ":")
		if !ok {
			return nil, fmt.Errorf("directive without a value: %q", line)
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		switch key {
		case "args":
			c.args = strings.Fields(value)
		case "python-args":
			c.pythonArgs = strings.Fields(value)
		case "env":
			c.env = append(c.env, value)
		case "closed-fds":
			for _, fd := range strings.Fields(value) {
				if fd != "0" && fd != "1" && fd != "2" {
					return nil, fmt.Errorf("closed-fds: %q is not 0, 1 or 2", fd)
				}
				c.closedFDs = append(c.closedFDs, fd)
			}
		case "stdin":
			s, err := strconv.Unquote(value)
			if err != nil {
				return nil, fmt.Errorf("stdin: %w", err)
			}
			c.stdin = &s
		case "ulimit-s":
			c.ulimitS = value
		case "as":
			switch value {
			case "dir", "zip", "code", "module", "stdin", "missing":
			default:
				return nil, fmt.Errorf("unknown as: %q", value)
			}
			c.as = value
		case "timeout":
			d, err := time.ParseDuration(value)
			if err != nil {
				return nil, err
			}
			c.timeout = d
		case "stdout":
			s, err := strconv.Unquote(value)
			if err != nil {
				return nil, fmt.Errorf("stdout: %w", err)
			}
			c.stdout = &s
		default:
			return nil, fmt.Errorf("unknown directive %q", key)
		}
	}
	return c, nil
}

// prepare lays the program out in dir and returns the command line after
// the program name (python's and gilctl run's alike) and the standard input
// to feed.
func (c *hostileCase) prepare(dir string) ([]string, *string, error) {
	args := append([]string(nil), c.pythonArgs...)
	stdin := c.stdin
	switch c.as {
	case "":
		args = append(args, c.path)
	case "dir":
		main := filepath.Join(dir, "app", "__main__.py")
		if err := os.MkdirAll(filepath.Dir(main), 0o755); err != nil {
			return nil, nil, err
		}
		if err := os.WriteFile(main, []byte(c.src), 0o644); err != nil {
			return nil, nil, err
		}
		args = append(args, filepath.Dir(main))
	case "zip":
		zipPath := filepath.Join(dir, "app.zip")
		if err := writeZip(zipPath, "__main__.py", c.src); err != nil {
			return nil, nil, err
		}
		args = append(args, zipPath)
	case "code":
		args = append(args, "-c", c.src)
	case "module":
		if err := os.WriteFile(filepath.Join(dir, c.name+".py"), []byte(c.src), 0o644); err != nil {
			return nil, nil, err
		}
		args = append(args, "-m", c.name)
	case "stdin":
		src := c.src
		args, stdin = append(args, "-"), &src
	case "missing":
		args = append(args, filepath.Join(dir, "no-such-script.py"))
	}
	return append(args, c.args...), stdin, nil
}

func writeZip(path, name, content string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	w, err := zw.Create(name)
	if err == nil {
		_, err = w.Write([]byte(content))
	}
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// environ is the environment both runs get: the test's own without PYTHON*
// variables, then the variant's and the case's.
func (c *hostileCase) environ(dir string, variant []string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PYTHON") {
			env = append(env, kv)
		}
	}
	env = append(env, variant...)
	for _, kv := range c.env {
		env = append(env, strings.ReplaceAll(kv, "${CASEDIR}", dir))
	}
	return env
}
