package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/gilkit/gilkit/gilctl/internal/check"
	"github.com/gilkit/gilkit/gilctl/internal/results"
)

// resultsFileHint says what --results takes, after an error saying what a
// file holds instead.
const resultsFileHint = "--results takes the file that bench, compare or probe --save wrote"

// readResults reads the file --results names.
func readResults(path string) ([]results.Result, error) {
	rs, err := results.ReadFile(path)
	var pathErr *fs.PathError
	if err != nil && !errors.As(err, &pathErr) {
		return nil, fmt.Errorf("%w; %s", err, resultsFileHint)
	}
	return rs, err
}

// verdictsFileHint says what --verdicts takes.
const verdictsFileHint = "--verdicts takes the file that check --save-verdicts wrote"

// readVerdicts reads the file --verdicts names.
func readVerdicts(path string) (*check.Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading verdicts: %w", err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s is not a JSON object of verdicts (%v); %s", path, err, verdictsFileHint)
	}
	_, hasClaims := doc["claims"]
	_, hasResults := doc["results"]
	switch {
	case hasResults && !hasClaims:
		return nil, fmt.Errorf("%s holds results, not verdicts: pass it as --results; %s", path, verdictsFileHint)
	case !hasClaims:
		return nil, fmt.Errorf("%s holds no verdicts (no \"claims\"); %s", path, verdictsFileHint)
	}
	var rep check.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, fmt.Errorf("reading verdicts from %s: %w", path, err)
	}
	if len(rep.Claims) == 0 {
		return nil, fmt.Errorf("%s holds no verdicts (its \"claims\" list is empty); %s", path, verdictsFileHint)
	}
	return &rep, nil
}
