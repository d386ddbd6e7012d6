package results

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Report is the JSON document of bench and compare (--json, --save):
// {"results": [...]}. New kinds of result get a key of their own beside
// "results" (omitempty), so that older readers keep working: the GIL
// probes' results are under "probes".
type Report struct {
	Results []Result `json:"results"`
	Probes  []Result `json:"probes,omitempty"`
}

// WriteJSON writes {"results": [...], "probes": [...]}, indented.
func WriteJSON(w io.Writer, rs []Result) error {
	rep := Report{Results: []Result{}}
	for _, r := range rs {
		if r.IsProbe() {
			rep.Probes = append(rep.Probes, r)
		} else {
			rep.Results = append(rep.Results, r)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(rep)
}

// ReadFile reads results saved by bench, compare or probe --save. A file
// that is not such a document (not JSON, verdicts, another command's
// --json output) or that holds no results is an error that says what it
// holds.
func ReadFile(path string) ([]Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading results: %w", err)
	}
	return Decode(path, data)
}

// Decode reads a results document; name is the file's name for errors.
func Decode(name string, data []byte) ([]Result, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		var syntax *json.SyntaxError
		var kind *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syntax):
			return nil, fmt.Errorf("%s is not JSON (%v, at byte %d)", name, err, syntax.Offset)
		case errors.As(err, &kind):
			return nil, fmt.Errorf("%s holds a JSON %s, not results", name, kind.Value)
		}
		return nil, fmt.Errorf("%s is not JSON (%w)", name, err)
	}
	_, hasResults := doc["results"]
	_, hasProbes := doc["probes"]
	if !hasResults && !hasProbes {
		return nil, fmt.Errorf("%s holds %s, not results", name, describe(doc))
	}
	var rep Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, fmt.Errorf("reading results from %s: %w", name, err)
	}
	rs := append(rep.Results, rep.Probes...)
	if len(rs) == 0 {
		return nil, fmt.Errorf("%s holds no results (its \"results\" list is empty)", name)
	}
	return rs, nil
}

// describe names what a JSON object that is not a results document is,
// by the keys gilctl's other documents have.
func describe(doc map[string]json.RawMessage) string {
	has := func(k string) bool { _, ok := doc[k]; return ok }
	switch {
	case has("claims"):
		return "verdicts (what check --json and --save-verdicts write)"
	case has("latency") || has("io"):
		return "probe --json output (probe --save writes the results)"
	case has("free_threaded") || has("libpython"):
		return "info --json output"
	case len(doc) == 0:
		return "an empty JSON object"
	}
	keys := make([]string, 0, len(doc))
	for k := range doc {
		keys = append(keys, strconv.Quote(k))
	}
	slices.Sort(keys)
	return "a JSON object with " + strings.Join(keys, ", ")
}

// WriteFile saves results as JSON.
func WriteFile(path string, rs []Result) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("saving results: %w", err)
	}
	if err := WriteJSON(f, rs); err != nil {
		f.Close()
		return fmt.Errorf("saving results to %s: %w", path, err)
	}
	return f.Close()
}
