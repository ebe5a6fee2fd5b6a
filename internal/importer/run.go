package importer

import (
	"context"
	"fmt"
	"io"
	"time"

	"tryggspor/internal/tryggspor"
)

// Store is what an import writes to.
type Store interface {
	ListOrganisations(ctx context.Context) ([]tryggspor.Organisation, error)
	ImportCases(ctx context.Context, cases []*tryggspor.Case, timelines [][]tryggspor.Event, a tryggspor.AuditEntry) error
}

// Import checks the whole file and, unless dryRun, writes every case in one
// transaction. An officer may import into their own unit only; the system
// (the command line) into any unit. It returns the number of cases.
func Import(ctx context.Context, st Store, a tryggspor.Actor, r io.Reader, dryRun bool, now time.Time) (int, error) {
	var allow func(string) bool
	switch {
	case a.IsSystem():
	case a.Role == tryggspor.RoleOfficer:
		allow = func(unit string) bool { return unit == a.Org }
	default:
		return 0, tryggspor.Forbidden("Bare politiets forebyggere kan importere saker.")
	}
	orgs, err := st.ListOrganisations(ctx)
	if err != nil {
		return 0, err
	}
	rows, err := Parse(r, orgs, allow, tryggspor.Today(now))
	if err != nil || dryRun {
		return len(rows), err
	}
	cases := make([]*tryggspor.Case, len(rows))
	timelines := make([][]tryggspor.Event, len(rows))
	for i := range rows {
		c := rows[i].Case
		c.CreatedBy, c.CreatedAt = a.UserID, now
		cases[i], timelines[i] = &c, rows[i].Events
		for j := range timelines[i] {
			timelines[i][j].ActorID = a.UserID
			if timelines[i][j].ActorRole == tryggspor.RoleOfficer && a.UserID != 0 {
				timelines[i][j].ActorName = a.Name
			}
		}
	}
	entry := tryggspor.AuditEntry{Actor: a, Action: "case.import", Purpose: "saksbehandling", Outcome: "ok",
		Detail: fmt.Sprintf("%d saker", len(rows))}
	if a.IsSystem() {
		entry.Purpose = "import fra regneark"
	}
	if err := st.ImportCases(ctx, cases, timelines, entry); err != nil {
		return 0, fmt.Errorf("import: %w", err)
	}
	return len(rows), nil
}
