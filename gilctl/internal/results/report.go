package results

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
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

// ReadFile reads results saved by bench --save or compare --save.
func ReadFile(path string) ([]Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading results: %w", err)
	}
	var rep Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, fmt.Errorf("reading results from %s: %w", path, err)
	}
	return append(rep.Results, rep.Probes...), nil
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
