package check

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gilkit/gilkit/gilctl/internal/results"
)

func interp(name, version string, ft bool, sha string) results.Interpreter {
	i := results.Interpreter{Name: name, Version: version, FreeThreaded: ft, GILEnabled: !ft}
	if sha != "" {
		i.Source = &results.Source{Version: version, Tarball: "Python-" + version + ".tar.xz", SHA256: sha, Origin: "test"}
	}
	return i
}

// debianBinary is a GIL build assembled from Debian's binary packages: no
// tarball, so never "the same source" as a build.
func debianBinary(name, version string) results.Interpreter {
	return results.Interpreter{Name: name, Version: version, GILEnabled: true,
		Source: &results.Source{Version: version, Origin: "debian-binary", Package: "libpython" + version[:4] + " " + version + "-1"}}
}

func TestGILBaseline(t *testing.T) {
	cases := []struct {
		name       string
		ft         results.Interpreter
		candidates []results.Interpreter
		want       string // name of the baseline, "" for none
		label      string
	}{
		{"same source wins over a nearer-looking one",
			interp("3.13t", "3.13.15", true, "aaa"),
			[]results.Interpreter{interp("3.12", "3.12.1", false, ""), interp("3.13", "3.13.15", false, "aaa")},
			"3.13", "same source"},
		{"same version but another tarball is cross-version",
			interp("3.13t", "3.13.15", true, "aaa"),
			[]results.Interpreter{interp("3.13", "3.13.15", false, "bbb")},
			"3.13", "cross-version (3.13.15t vs 3.13.15)"},
		{"no source recorded: nearest version",
			interp("3.13t", "3.13.15", true, ""),
			[]results.Interpreter{interp("3.12", "3.12.1", false, ""), interp("3.13.0", "3.13.0", false, "")},
			"3.13.0", "cross-version (3.13.15t vs 3.13.0)"},
		{"numeric, not string, comparison: 3.10 is nearer to 3.11 than 3.9",
			interp("3.11t", "3.11.4", true, ""),
			[]results.Interpreter{interp("3.9", "3.9.18", false, ""), interp("3.10", "3.10.13", false, "")},
			"3.10", "cross-version (3.11.4t vs 3.10.13)"},
		{"a string comparison would pick 3.9 as the highest",
			interp("3.14t", "3.14.0", true, ""),
			[]results.Interpreter{interp("3.9", "3.9.18", false, ""), interp("3.12", "3.12.1", false, "")},
			"3.12", "cross-version (3.14.0t vs 3.12.1)"},
		{"equally near: the newer",
			interp("3.13t", "3.13.0", true, ""),
			[]results.Interpreter{interp("3.12", "3.12.1", false, ""), interp("3.14", "3.14.0", false, "")},
			"3.14", "cross-version (3.13.0t vs 3.14.0)"},
		{"Debian's binary package of the same release is another build, and named",
			interp("3.14t", "3.14.10", true, "aaa"),
			[]results.Interpreter{interp("3.13", "3.13.15", false, "bbb"), debianBinary("3.14", "3.14.10")},
			"3.14", "cross-version (3.14.10t vs 3.14.10, Debian's binary package libpython3.14 3.14.10-1)"},
		{"a source build of the same tarball wins over Debian's",
			interp("3.14t", "3.14.10", true, "aaa"),
			[]results.Interpreter{debianBinary("3.14-debian", "3.14.10"), interp("3.14", "3.14.10", false, "aaa")},
			"3.14", "same source"},
		{"free-threaded builds with the GIL on are not GIL builds",
			interp("3.13t", "3.13.15", true, "aaa"),
			[]results.Interpreter{{Name: "3.13t+gil", Version: "3.13.15", FreeThreaded: true, GILEnabled: true, Source: &results.Source{SHA256: "aaa"}}},
			"", ""},
		{"nothing to compare with", interp("3.13t", "3.13.15", true, ""), nil, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			base, label, ok := gilBaseline(tc.ft, tc.candidates)
			if tc.want == "" {
				assert.False(t, ok)
				return
			}
			assert.True(t, ok)
			assert.Equal(t, tc.want, base.Name)
			assert.Equal(t, tc.label, label)
		})
	}
}

// TestSingleThreadCostNamesItsBaseline: through Evaluate, with measured
// results: a same-source GIL build is preferred and labelled so, and the
// cross-version figure says what it mixes in.
func TestSingleThreadCostNamesItsBaseline(t *testing.T) {
	ft := interp("3.13t", "3.13.15", true, "aaa")
	same := interp("3.13", "3.13.15", false, "aaa")
	old := interp("3.12", "3.12.1", false, "")
	rs := []results.Result{
		cell(ft, "countdown", "serial", 1, 1.3, 1),
		cell(same, "countdown", "serial", 1, 1.0, 1),
		cell(old, "countdown", "serial", 1, 0.9, 1),
	}
	v := find(t, Evaluate(rs, Facts{}), "nogil-single-thread-cost").Verdicts["3.13t"]
	assert.Equal(t, Holds, v.Verdict, v.Evidence)
	assert.Equal(t, "same source", v.Baseline)
	assert.Contains(t, v.Evidence, "on 3.13: +30%")
	assert.NotContains(t, v.Evidence, "every other change")

	v = find(t, Evaluate(rs[:1], Facts{}), "nogil-single-thread-cost").Verdicts["3.13t"]
	assert.Equal(t, NA, v.Verdict, "only itself: nothing to compare with")

	cross := []results.Result{rs[0], rs[2]}
	v = find(t, Evaluate(cross, Facts{}), "nogil-single-thread-cost").Verdicts["3.13t"]
	assert.Equal(t, "cross-version (3.13.15t vs 3.12.1)", v.Baseline)
	assert.Contains(t, v.Evidence, "not only the cost of free-threading")

	close := []results.Result{cell(ft, "countdown", "serial", 1, 1.02, 5), rs[1]}
	v = find(t, Evaluate(close, Facts{}), "nogil-single-thread-cost").Verdicts["3.13t"]
	assert.Equal(t, Inconclusive, v.Verdict, "2%% slower ± 5%%: cannot say: %s", v.Evidence)
}

// TestSingleThreadCostPerVersion: with two versions measured, each
// free-threaded build is judged against its own version's GIL build, and
// each verdict names its pair.
func TestSingleThreadCostPerVersion(t *testing.T) {
	rs := []results.Result{
		cell(interp("3.13t", "3.13.15", true, "aaa"), "countdown", "serial", 1, 1.4, 1),
		cell(interp("3.13", "3.13.15", false, "aaa"), "countdown", "serial", 1, 1.0, 1),
		cell(interp("3.14t", "3.14.10", true, "ccc"), "countdown", "serial", 1, 1.08, 1),
		cell(interp("3.14", "3.14.10", false, "ccc"), "countdown", "serial", 1, 1.0, 1),
		cell(debianBinary("3.15", "3.15.2"), "countdown", "serial", 1, 0.9, 1),
	}
	claim := find(t, Evaluate(rs, Facts{}), "nogil-single-thread-cost")
	v13, v14 := claim.Verdicts["3.13t"], claim.Verdicts["3.14t"]
	assert.Equal(t, "same source", v13.Baseline)
	assert.Contains(t, v13.Evidence, "on 3.13t vs 1.000 s on 3.13: +40%")
	assert.Equal(t, "same source", v14.Baseline)
	assert.Contains(t, v14.Evidence, "on 3.14t vs 1.000 s on 3.14: +8%")
	assert.Equal(t, NA, claim.Verdicts["3.15"].Verdict, "a GIL build")
}
