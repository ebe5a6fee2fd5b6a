package stats

import (
	"context"
	"fmt"
	"time"

	"tryggspor/internal/tryggspor"
)

// Query is what a reader asks of the statistics. Zero values mean the
// defaults: this year, the reader's own unit, and the reader's default
// suppression.
type Query struct {
	Year     int
	Unit     string
	Suppress *int
}

// Service is the statistics use case: one door for the leader's page, its
// downloads and report section, and the summary command. Scope (which units),
// the suppression default and the audit entry are decided here, once, for
// every published figure.
type Service struct {
	Store Counter
	Audit tryggspor.Auditor
	Now   func() time.Time
	// Suppress is the deployment's publishing level (`[privacy] suppress`):
	// the default for every page, download, report and command, so a
	// figure leaves the service suppressed unless a reader asks otherwise,
	// and whatever is made below it says "not for publication" (SPEC §13).
	Suppress int
}

// Units returns the police units the actor may read statistics for: a
// leader's own unit and the units below it; every unit for the system.
func (s *Service) Units(ctx context.Context, a tryggspor.Actor) ([]tryggspor.Organisation, error) {
	orgs, err := s.Store.ListOrganisations(ctx)
	if err != nil {
		return nil, fmt.Errorf("statistics units: %w", err)
	}
	allowed := map[string]bool{}
	for _, code := range tryggspor.Subtree(a.Org, orgs) {
		allowed[code] = true
	}
	var out []tryggspor.Organisation
	for _, o := range orgs {
		if o.Kind == tryggspor.OrgPoliceUnit && (allowed[o.Code] || a.IsSystem()) {
			out = append(out, o)
		}
	}
	return out, nil
}

// resolve fills in the query's defaults and checks the actor may ask it: a
// leader for their own unit and the units below it, the system (the command
// line) for any unit or the whole installation.
func (s *Service) resolve(ctx context.Context, a tryggspor.Actor, q Query, act tryggspor.Action) (Query, error) {
	entry := tryggspor.NewEntry(a, act, "", "").With(tryggspor.Det(tryggspor.DetYear, q.Year), tryggspor.Det(tryggspor.DetUnit, q.Unit))
	if a.Role != tryggspor.RoleLeader && !a.IsSystem() {
		return q, tryggspor.Deny(ctx, s.Audit, entry, tryggspor.Forbidden("Bare ledere kan se statistikk."))
	}
	if q.Year == 0 {
		q.Year = tryggspor.Today(s.Now()).Year()
	}
	if q.Year < 2000 || q.Year > 2100 {
		return q, tryggspor.FieldErrors{"year": "Velg et år mellom 2000 og 2100."}.Err()
	}
	if q.Suppress == nil {
		level := s.Suppress
		q.Suppress = &level
	}
	if *q.Suppress < 0 || *q.Suppress > 100 {
		return q, tryggspor.FieldErrors{"suppress": "Prikkegrensen må være et tall fra 0 til 100."}.Err()
	}
	if a.IsSystem() {
		return q, nil
	}
	if q.Unit == "" {
		q.Unit = a.Org
	}
	units, err := s.Units(ctx, a)
	if err != nil {
		return q, err
	}
	for _, u := range units {
		if u.Code == q.Unit {
			return q, nil
		}
	}
	entry = entry.With(tryggspor.Det(tryggspor.DetUnit, q.Unit))
	return q, tryggspor.Deny(ctx, s.Audit, entry, tryggspor.Forbidden("Du kan se statistikk for din enhet og enhetene under den."))
}

// Summary is the year's summary the actor asked for, suppressed, with the
// previous year beside it, the sections below the unit and the residents of
// its municipality — and, for the page (stats.view), the five years up to
// it. It is audited as act (stats.view, stats.export or stats.report).
func (s *Service) Summary(ctx context.Context, a tryggspor.Actor, q Query, act tryggspor.Action) (*Summary, error) {
	q, err := s.resolve(ctx, a, q, act)
	if err != nil {
		return nil, err
	}
	years := 2
	if act == tryggspor.ActStatsView {
		years = 5
	}
	sum, err := build(ctx, s.Store, q.Year, q.Unit, *q.Suppress, years)
	if err != nil {
		return nil, fmt.Errorf("summary %d %s: %w", q.Year, q.Unit, err)
	}
	sum.Configured = s.Suppress
	e := tryggspor.NewEntry(a, act, "", "").With(tryggspor.Det(tryggspor.DetYear, q.Year),
		tryggspor.Det(tryggspor.DetUnit, q.Unit), tryggspor.Det(tryggspor.DetSuppress, *q.Suppress))
	if err := s.Audit.Audit(ctx, e.For(tryggspor.PurposeStatistics)); err != nil {
		return nil, fmt.Errorf("audit summary: %w", err)
	}
	return sum, nil
}

// build suppresses each of the years up to year as a whole (see world) and
// returns unit's summary with the previous year, and with Years when years
// is more than 2.
func build(ctx context.Context, st Counter, year int, unit string, suppress, years int) (*Summary, error) {
	orgs, err := st.ListOrganisations(ctx)
	if err != nil {
		return nil, fmt.Errorf("statistics organisations: %w", err)
	}
	var sums []*Summary
	for y := year - years + 1; y <= year; y++ {
		w, err := buildWorld(ctx, st, orgs, y, suppress)
		if err != nil {
			return nil, err
		}
		s, err := w.summary(unit)
		if err != nil {
			return nil, err
		}
		sums = append(sums, s)
	}
	sum := sums[len(sums)-1]
	sum.PrevYear = sums[len(sums)-2]
	sum.Prev, sum.PrevHidden = sum.PrevYear.Total, sum.PrevYear.TotalHidden
	if years > 2 {
		sum.Years = sums
	}
	return sum, nil
}

// Report is the summary for the annual report's section, with the figures for
// the residents of the unit's own municipality beside it (nil when the unit
// has none).
func (s *Service) Report(ctx context.Context, a tryggspor.Actor, q Query) (sum, local *Summary, err error) {
	sum, err = s.Summary(ctx, a, q, tryggspor.ActStatsReport)
	if err != nil {
		return nil, nil, err
	}
	return sum, sum.Local, nil
}
