// Package a11y holds the result of the last recorded accessibility check of
// Tryggspor's pages, written by the browser test run (axe-core in headless
// Chromium at 375 and 1280 px) when asked to record it, and embedded at
// build. The accessibility statement shows this record — never a claim typed
// by hand.
package a11y

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"time"
)

//go:embed result.json
var recorded []byte

// Result is one recorded check.
type Result struct {
	CheckedOn  string   `json:"checked_on"` // YYYY-MM-DD
	Tool       string   `json:"tool"`
	Standard   string   `json:"standard"`
	Viewports  []int    `json:"viewports"`
	Pages      int      `json:"pages"`
	Violations int      `json:"violations"`
	Problems   []string `json:"problems,omitempty"` // page: rule, for every violation found
}

// Last is the recorded result embedded in this build; ok is false when no
// check has been recorded.
func Last() (Result, bool) {
	var r Result
	if err := json.Unmarshal(recorded, &r); err != nil || r.CheckedOn == "" {
		return Result{}, false
	}
	return r, true
}

// CheckedDate is the date of the check as Norwegian pages write dates.
func (r Result) CheckedDate() string {
	t, err := time.Parse("2006-01-02", r.CheckedOn)
	if err != nil {
		return r.CheckedOn
	}
	return t.Format("02.01.2006")
}

// Record writes r to path (the browser test passes internal/a11y/result.json
// when TRYGGSPOR_RECORD_A11Y is set, as a release step does).
func Record(path string, r Result, now time.Time) error {
	r.CheckedOn = now.Format("2006-01-02")
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("accessibility record: %w", err)
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
