package tryggspor

import (
	"context"
	"fmt"
	"strings"
)

// CaseQuery is a search of the officer's case list: status, a text that
// matches the reference or the person's name, a sort order and a page.
type CaseQuery struct {
	Status Status
	// Text matches a case when it is part of the ref ("TP-2026-0042",
	// "2026-0042", "0042"), or when each of its words is the start of a word
	// of the person's name, in any case and order ("kari nord" finds "Kari
	// Nordmann"; "ari" does not): the names are encrypted, and a keyed index
	// of word starts is what can be searched without decrypting the unit.
	Text string
	Sort string // "date" (default), "ref" or "status"
	Asc  bool   // ascending; the default is newest (or last) first
	Page int    // from 1
}

// CasesPerPage is the length of one page of the case list.
const CasesPerPage = 50

// CaseList is one page of a case search.
type CaseList struct {
	Cases []Case
	Total int // matching cases on every page
	Page  int // the page shown, from 1
	Pages int // at least 1
}

// SortKeys are the case list's sort orders.
var SortKeys = []string{"date", "ref", "status"}

// PageOf is the page of the case list shown when page is asked for and total
// cases match: the last when it is beyond it, the first when below it; with
// the number of pages (at least one) and the first case's offset.
func PageOf(total, page int) (shown, pages, offset int) {
	pages = max(1, (total+CasesPerPage-1)/CasesPerPage)
	shown = min(max(page, 1), pages)
	return shown, pages, (shown - 1) * CasesPerPage
}

// FindCases searches the officer's own unit's cases by reference or name and
// returns one page. The store matches, counts, sorts and pages in SQL, so the
// cost follows the page and the hits, not the unit's size; other units'
// cases are never read. The search is audited as one list view, without the
// search text (it may be a name).
func (s *Service) FindCases(ctx context.Context, a Actor, q CaseQuery) (CaseList, error) {
	if a.Role != RoleOfficer {
		return CaseList{}, s.deny(ctx, a, ActCaseList, "", Forbidden("Bare politiets forebyggere har en saksliste."))
	}
	out, err := s.Store.SearchCases(ctx, s.scope(a), q)
	if err != nil {
		return CaseList{}, fmt.Errorf("find cases: %w", err)
	}
	e := NewEntry(a, ActCaseList, "", "").With(Det(DetStatus, q.Status), Det(DetSearch, strings.TrimSpace(q.Text) != ""),
		Det(DetCount, out.Total), Det(DetPage, out.Page))
	if err := s.Store.Audit(ctx, e); err != nil {
		return CaseList{}, fmt.Errorf("audit case list: %w", err)
	}
	return out, nil
}
