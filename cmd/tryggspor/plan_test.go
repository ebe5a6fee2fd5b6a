package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tryggspor/internal/tryggspor"
)

// TestPlanEvaluationDueReminders (issue 21): the demo's followed-up case has
// a guide's measure continued until two days from now. Once that date has
// passed, `reminders run --now` gives the guide's organisation a
// plan_evaluation_due task; 14 days later the officer gets it; a second run
// at either time creates nothing new.
func TestPlanEvaluationDueReminders(t *testing.T) {
	db := filepath.Join(t.TempDir(), "plan.db")
	_, stop := startDevStop(t, db)
	stop()
	runAt := func(at time.Time) []map[string]string {
		var out bytes.Buffer
		if err := run(context.Background(), []string{"reminders", "run", "--db", db, "--now", at.UTC().Format(time.RFC3339), "--format", "json"},
			func(string) string { return "" }, &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		var res struct {
			Created []map[string]string `json:"created"`
		}
		if err := json.Unmarshal(out.Bytes(), &res); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, out.String())
		}
		var plan []map[string]string
		for _, c := range res.Created {
			if c["rule"] == "plan_evaluation_due" {
				plan = append(plan, c)
			}
		}
		return plan
	}
	today := tryggspor.Today(time.Now())
	officer := func(r string) bool { return strings.HasPrefix(r, "user:") || strings.HasPrefix(r, "officers:") }
	for _, tc := range []struct {
		days      int
		recipient func(string) bool
	}{{3, func(r string) bool { return r == "guides:bekkestua-ungdomsskole" }}, {17, officer}} {
		at := time.Now().AddDate(0, 0, tc.days)
		got := runAt(at)
		due := tryggspor.FormatDate(today.AddDate(0, 0, tc.days))
		found := false
		for _, c := range got {
			found = found || (tc.recipient(c["recipient"]) && c["due_on"] == due)
		}
		if !found {
			t.Errorf("day %d: no plan_evaluation_due due %s for the right recipient; created %v", tc.days, due, got)
		}
		if again := runAt(at); len(again) != 0 {
			t.Errorf("day %d: a second run created %v", tc.days, again)
		}
	}
}
