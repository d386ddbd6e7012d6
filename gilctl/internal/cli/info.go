package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gilkit/gilkit/embed"
	"github.com/gilkit/gilkit/gilctl/internal/machine"
	"github.com/gilkit/gilkit/gilctl/internal/provenance"
	"github.com/gilkit/gilkit/gilctl/internal/version"
)

// infoReport is `gilctl info --json`: the interpreter's facts at the top
// level, the machine and gilkit beside them.
type infoReport struct {
	embed.Info
	// Source is the prefix's provisioning record; nil for an interpreter
	// gilkit did not provision.
	Source  *provenance.Record `json:"source,omitempty"`
	Machine machine.Machine    `json:"machine"`
	Gilkit  version.Info       `json:"gilkit"`
}

func runInfo(args []string, s streams) int {
	fs := newFlagSet(s, "info", "info [--format table|json]", []string{
		"gilctl info",
		"gilctl info --json | jq .gil_enabled",
		"gilctl info --json | jq .source.sha256   # which tarball it was built from",
		"PYTHON_GIL=1 bin/gilctl-3.13t info   # free-threaded build with the GIL forced on",
	})
	format := addFormatFlags(fs.FlagSet, documentFormats)
	if rc := parseFlags(fs, args, false); rc >= 0 {
		return rc
	}
	name, err := format.chosen(fs.FlagSet)
	if err != nil {
		return fail(s, "info", exitUsage, err)
	}
	if s.dryRun {
		return exitOK
	}
	in, err := embed.Start(embed.Config{})
	if err != nil {
		return fail(s, "info", exitFailure, err)
	}
	defer in.Close()
	info, err := in.Info()
	if err != nil {
		return fail(s, "info", exitFailure, err)
	}
	src, err := provenance.Read(info.Prefix)
	if err != nil {
		return fail(s, "info", exitFailure, err)
	}
	rep := infoReport{Info: info, Source: src, Machine: machine.Current(), Gilkit: version.Current()}
	if name == "json" {
		if err := writeJSON(s.out, rep); err != nil {
			return fail(s, "info", exitFailure, err)
		}
		return exitOK
	}
	writeInfo(s.out, rep)
	return exitOK
}

func writeInfo(w io.Writer, r infoReport) {
	build := "with a GIL"
	if r.FreeThreaded {
		build = "free-threaded (Py_GIL_DISABLED)"
	}
	gil := "on"
	if !r.GILEnabled {
		gil = "off"
	}
	if r.FreeThreaded && r.GILEnabled {
		gil += " (forced on: PYTHON_GIL=1, or an extension module without free-threading support)"
	}
	interval := time.Duration(r.SwitchInterval * float64(time.Second))
	rows := [][2]string{
		{"interpreter", r.Name},
		{"version", r.FullVersion},
		{"build", build},
		{"GIL at run time", gil},
		{"switch interval", interval.String()},
		{"executable", r.Executable},
		{"libpython", r.LibPython},
		{"source", sourceText(r.Source, r.Prefix)},
		{"gilkit", r.Gilkit.String()},
		{"machine", fmt.Sprintf("%d cores, GOMAXPROCS %d, %s/%s, %s", r.Machine.Cores, r.Machine.GOMAXPROCS, r.Machine.GOOS, r.Machine.GOARCH, r.Machine.GoVersion)},
	}
	for _, row := range rows {
		fmt.Fprintf(w, "%-16s %s\n", row[0], row[1])
	}
}

// sourceText says which tarball the interpreter was built from, so that two
// builds can be seen to share one source (same sha256), or which Debian
// packages it was assembled from.
func sourceText(s *provenance.Record, prefix string) string {
	if s == nil {
		return fmt.Sprintf("unknown (not built by gilkit: no %s in %s)", provenance.File, prefix)
	}
	if s.Origin == provenance.OriginDebianBinary {
		lines := []string{fmt.Sprintf("Debian's binary packages (CPython %s, origin %s, from %s):", s.Version, s.Origin, s.Archive)}
		for _, p := range s.Packages {
			lines = append(lines, fmt.Sprintf("%-16s   %s %s, sha256 %s", "", p.Name, p.Version, p.SHA256))
		}
		return strings.Join(lines, "\n")
	}
	return fmt.Sprintf("%s (CPython %s, from %s), sha256 %s", s.Tarball, s.Version, s.Origin, s.SHA256)
}
