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
	tryggspor.Auditor
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
		return 0, tryggspor.Deny(ctx, st, tryggspor.NewEntry(a, tryggspor.ActCaseImport, "", ""),
			tryggspor.Forbidden("Bare politiets forebyggere kan importere saker."))
	}
	orgs, err := st.ListOrganisations(ctx)
	if err != nil {
		return 0, fmt.Errorf("import: %w", err)
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
	entry := tryggspor.NewEntry(a, tryggspor.ActCaseImport, "", fmt.Sprintf("%d saker", len(rows)))
	if a.IsSystem() {
		entry = entry.For(tryggspor.PurposeImport)
	}
	if err := st.ImportCases(ctx, cases, timelines, entry); err != nil {
		return 0, fmt.Errorf("import: %w", err)
	}
	return len(rows), nil
}

// Service is the import use case for the web page: check a file, then commit
// it. Both steps decide permission (officers, own unit only) through Import.
type Service struct {
	Store Store
	Now   func() time.Time
}

// Check parses and checks every row and writes nothing; it returns the number
// of cases the file would create, or every row's errors.
func (s *Service) Check(ctx context.Context, a tryggspor.Actor, r io.Reader) (int, error) {
	return Import(ctx, s.Store, a, r, true, s.Now())
}

// Commit checks the file again and imports every case, or nothing.
func (s *Service) Commit(ctx context.Context, a tryggspor.Actor, r io.Reader) (int, error) {
	return Import(ctx, s.Store, a, r, false, s.Now())
}
