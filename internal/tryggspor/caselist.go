package tryggspor

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// CaseQuery is a search of the officer's case list: status, a text that
// matches the reference or the person's name, a sort order and a page.
type CaseQuery struct {
	Status Status
	Text   string // part of the ref or of the person's name, any case
	Sort   string // "date" (default), "ref" or "status"
	Asc    bool   // ascending; the default is newest (or last) first
	Page   int    // from 1
}

// CaseKey is what the case list searches and sorts on: a few fields of a
// case, with the person's name decrypted.
type CaseKey struct {
	ID, Ref      string
	RegisteredOn time.Time
	Status       Status
	PersonName   string
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

// FindCases searches the officer's own unit's cases by reference or name. The
// names are encrypted at rest, so the search cannot be a SQL condition: the
// store returns the unit's cases (decrypted at its boundary), and the name is
// matched here, case-insensitively. Other units' cases are never read. The
// search is audited as one list view, without the search text (it may be a
// name).
func (s *Service) FindCases(ctx context.Context, a Actor, q CaseQuery) (CaseList, error) {
	if a.Role != RoleOfficer {
		return CaseList{}, s.deny(ctx, a, ActCaseList, "", Forbidden("Bare politiets forebyggere har en saksliste."))
	}
	scope := s.scope(a)
	keys, err := s.Store.ListCaseKeys(ctx, scope, q.Status)
	if err != nil {
		return CaseList{}, fmt.Errorf("find cases: %w", err)
	}
	found := matchCases(keys, q.Text)
	sortCases(found, q.Sort, q.Asc)
	out := CaseList{Total: len(found), Pages: max(1, (len(found)+CasesPerPage-1)/CasesPerPage)}
	out.Page = min(max(q.Page, 1), out.Pages)
	from := (out.Page - 1) * CasesPerPage
	var ids []string
	for _, k := range found[from:min(from+CasesPerPage, len(found))] {
		ids = append(ids, k.ID)
	}
	if out.Cases, err = s.Store.GetCases(ctx, scope, ids); err != nil {
		return CaseList{}, fmt.Errorf("find cases: page: %w", err)
	}
	e := NewEntry(a, ActCaseList, "", "").With(Det(DetStatus, q.Status), Det(DetSearch, strings.TrimSpace(q.Text) != ""),
		Det(DetCount, out.Total), Det(DetPage, out.Page))
	if err := s.Store.Audit(ctx, e); err != nil {
		return CaseList{}, fmt.Errorf("audit case list: %w", err)
	}
	return out, nil
}

// matchCases keeps the cases whose ref or person's name contains text, in
// any case; every case when text is empty.
func matchCases(cases []CaseKey, text string) []CaseKey {
	text = strings.ToLower(strings.Join(strings.Fields(text), " "))
	if text == "" {
		return cases
	}
	out := cases[:0:0]
	for _, c := range cases {
		if strings.Contains(strings.ToLower(c.Ref), text) ||
			strings.Contains(strings.ToLower(strings.Join(strings.Fields(c.PersonName), " ")), text) {
			out = append(out, c)
		}
	}
	return out
}

// sortCases orders the list by key; ties go by ref so pages are stable.
func sortCases(cases []CaseKey, key string, asc bool) {
	rank := map[Status]int{}
	for i, st := range Statuses {
		rank[st] = i
	}
	less := func(a, b *CaseKey) bool {
		switch key {
		case "ref":
			return refLess(a.Ref, b.Ref)
		case "status":
			if rank[a.Status] != rank[b.Status] {
				return rank[a.Status] < rank[b.Status]
			}
		default:
			if !a.RegisteredOn.Equal(b.RegisteredOn) {
				return a.RegisteredOn.Before(b.RegisteredOn)
			}
		}
		return refLess(a.Ref, b.Ref)
	}
	sort.SliceStable(cases, func(i, j int) bool {
		if asc {
			return less(&cases[i], &cases[j])
		}
		return less(&cases[j], &cases[i])
	})
}

// refLess orders TP-YYYY-NNNN refs by year and number (numbers may pass 9999).
func refLess(a, b string) bool {
	if len(a) > 8 && len(b) > 8 && a[:8] != b[:8] {
		return a[:8] < b[:8] // "TP-YYYY-"
	}
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}
