package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSweepReadsOnlyTheIndex: the sweep's query is answered from the covering
// partial index cases_open_facts alone, never the case rows (migration 0013
// recreated it with suggested_on and handover_imported).
func TestSweepReadsOnlyTheIndex(t *testing.T) {
	keys, err := NewKeyring(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), keys, Options{Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, err := s.rd.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+openFactsQuery)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if got := strings.Join(plan, "; "); !strings.Contains(got, "USING COVERING INDEX cases_open_facts") {
		t.Errorf("the sweep's plan is %q, want the covering index only", got)
	}
}
