package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"tryggspor/internal/tryggspor"
)

// SearchCases returns one page of the officer's case list and how many cases
// match, with the work of the page asked for rather than of the unit: the
// plain list is read from an index (cases_unit_*, migration 0019) with LIMIT
// and OFFSET and counted from the unit's counts by status; a text is matched
// as part of the ref or through the name's blind index (namesearch.go), so no
// name is decrypted but the page's. The text matches a case when it is part of its ref, or when
// each of its words is the start of a word of the person's name (any case,
// any order). Ties sort by ref, so pages are stable.
func (s *Store) SearchCases(ctx context.Context, sc tryggspor.Scope, q tryggspor.CaseQuery) (tryggspor.CaseList, error) {
	lq, err := s.listQuery(ctx, sc, q)
	if err != nil || lq == nil {
		return tryggspor.CaseList{Page: 1, Pages: 1}, wrap(err, "search cases")
	}
	counted := lq.plain && !sc.All && sc.Unit != "" // scopeWhere is then c.unit = ?
	if q.Sort == "status" && q.Status == "" && counted {
		return s.pageByStatus(ctx, lq, sc.Unit, q)
	}
	if !counted {
		out, err := s.searchPage(ctx, lq, q)
		return out, wrap(err, "search cases")
	}
	var out tryggspor.CaseList
	counts, err := s.unitCounts(ctx, sc.Unit)
	if err != nil {
		return out, wrap(err, "count cases")
	}
	for st, n := range counts {
		if q.Status == "" || st == q.Status {
			out.Total += n
		}
	}
	var offset int
	out.Page, out.Pages, offset = tryggspor.PageOf(out.Total, q.Page)
	out.Cases, err = s.casePage(ctx, lq, caseOrder(q), offset, tryggspor.CasesPerPage, nil)
	return out, wrap(err, "search cases")
}

// searchPage reads a search's page and its number of hits in one pass over
// the hits (count(*) OVER () beside the sort); a page past the last finds no
// row, so the hits are counted and the last page read instead.
func (s *Store) searchPage(ctx context.Context, lq *listQuery, q tryggspor.CaseQuery) (tryggspor.CaseList, error) {
	var out tryggspor.CaseList
	page, order := max(q.Page, 1), caseOrder(q)
	cases, err := s.casePage(ctx, lq, order, (page-1)*tryggspor.CasesPerPage, tryggspor.CasesPerPage, &out.Total)
	if err != nil {
		return out, err
	}
	if len(cases) == 0 && page > 1 {
		if err := s.queryRow(ctx, lq.cached, `SELECT count(*) FROM `+lq.from+` WHERE `+lq.where, lq.args...).Scan(&out.Total); err != nil {
			return out, fmt.Errorf("count cases: %w", err)
		}
		var offset int
		page, _, offset = tryggspor.PageOf(out.Total, page)
		if cases, err = s.casePage(ctx, lq, order, offset, tryggspor.CasesPerPage, nil); err != nil {
			return out, err
		}
	}
	out.Cases = cases
	out.Page, out.Pages, _ = tryggspor.PageOf(out.Total, page)
	return out, nil
}

// listQuery is the FROM and WHERE of a case list query, with their
// arguments. plain says there is no text; cached, that the statements are few
// enough in kind to keep prepared.
type listQuery struct {
	from, where   string
	args          []any
	plain, cached bool
}

// listQuery builds the list's FROM and WHERE from the scope, the status and
// the text; nil when the text can match nothing.
func (s *Store) listQuery(ctx context.Context, sc tryggspor.Scope, q tryggspor.CaseQuery) (*listQuery, error) {
	where, args := scopeWhere(sc)
	if q.Status != "" {
		where += ` AND c.status = ?`
		args = append(args, string(q.Status))
	}
	text := strings.ToLower(strings.Join(strings.Fields(q.Text), " "))
	if text == "" {
		return &listQuery{from: `cases c`, where: where, args: args, plain: true, cached: true}, nil
	}
	hits, hargs, n, err := s.textHits(ctx, sc, text)
	if err != nil || hits == "" {
		return nil, err
	}
	return &listQuery{from: `(` + hits + `) h CROSS JOIN cases c ON c.ref_year = h.ref_year AND c.ref_seq = h.ref_seq`,
		where: where, args: append(hargs, args...), cached: n <= 4}, nil
}

// refChars are the characters a ref (TP-YYYY-NNNN) is made of, in lower case:
// a text with any other can be no part of one.
const refChars = "tp-0123456789"

// textHits is a query of the ref (year, number) of the cases text matches:
// by ref (refHits), and by name, from the blind index driven by the rarest
// word, each further word one lookup per hit. n is the number of words.
func (s *Store) textHits(ctx context.Context, sc tryggspor.Scope, text string) (q string, args []any, n int, err error) {
	var parts []string
	if sc.Unit == "" {
		return "", nil, 0, errors.New("the name search is for one unit's cases")
	}
	tokens, err := s.rarestFirst(ctx, s.keys.searchTokens(sc.Unit, text))
	if err != nil {
		return "", nil, 0, err
	}
	if len(tokens) > 0 {
		part := `SELECT t0.ref_year, t0.ref_seq FROM case_name_tokens t0 WHERE t0.token = ?`
		for i := 1; i < len(tokens); i++ {
			part += fmt.Sprintf(` AND EXISTS (SELECT 1 FROM case_name_tokens t%[1]d WHERE t%[1]d.token = ?
				AND t%[1]d.ref_year = t0.ref_year AND t%[1]d.ref_seq = t0.ref_seq)`, i)
		}
		for _, t := range tokens {
			args = append(args, t)
		}
		parts, n = append(parts, part), len(tokens)
	}
	if strings.Trim(text, refChars) == "" {
		part, pargs := refHits(sc, text)
		parts, args = append(parts, part), append(args, pargs...)
	}
	return strings.Join(parts, ` UNION `), args, n, nil
}

// rarityCap bounds how far rarestFirst counts a word's cases: enough to tell
// a rare word from a common one.
const rarityCap = 500

// rarestFirst orders a search's tokens by how many cases have them (counted
// up to rarityCap), rarest first, so the lookup walks the fewest cases: the
// person's full name is found through their rarer word, whatever the
// unit's size.
func (s *Store) rarestFirst(ctx context.Context, tokens []int64) ([]int64, error) {
	if len(tokens) < 2 {
		return tokens, nil
	}
	counts := make(map[int64]int, len(tokens))
	for _, t := range tokens {
		var n int
		if err := s.rd.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM case_name_tokens WHERE token = ? LIMIT ?)`,
			t, rarityCap).Scan(&n); err != nil {
			return nil, fmt.Errorf("count a word's cases: %w", err)
		}
		counts[t] = n
	}
	slices.SortStableFunc(tokens, func(a, b int64) int { return counts[a] - counts[b] })
	return tokens, nil
}

// refHits is a query of the ref (year, number) of the cases whose ref holds
// text (made of ref characters only, so no LIKE wildcard): from the refs'
// trigram index (case_refs, migration 0019) when text is three characters
// or more, each hit checked against the ref itself; a shorter text, which
// matches most refs anyway, from the unit's ref index.
func refHits(sc tryggspor.Scope, text string) (string, []any) {
	like := "%" + text + "%"
	where, args := scopeWhere(sc)
	if len(text) >= 3 {
		return `SELECT c.ref_year, c.ref_seq FROM case_refs r CROSS JOIN cases c
			ON c.ref_year = r.ref_year AND c.ref_seq = r.ref_seq WHERE r.ref LIKE ? AND c.ref LIKE ? AND ` + where,
			append([]any{like, like}, args...)
	}
	return `SELECT c.ref_year, c.ref_seq FROM cases c WHERE ` + where + ` AND c.ref LIKE ?`, append(args, like)
}

// caseOrder is the list's ORDER BY: by registration date (the default),
// ref or status (in the vocabulary's order), then by ref (year, number);
// every key in the same direction, newest or last first unless Asc.
func caseOrder(q tryggspor.CaseQuery) string {
	dir := ` DESC`
	if q.Asc {
		dir = ``
	}
	ref := `c.ref_year` + dir + `, c.ref_seq` + dir
	switch q.Sort {
	case "ref":
		return ref
	case "status":
		if q.Status != "" {
			return ref // one status: the rank is the same for all
		}
		return statusRank + dir + `, ` + ref
	}
	return `c.registered_on` + dir + `, ` + ref
}

// statusRank is a status's place in the vocabulary, in SQL.
var statusRank = func() string {
	var b strings.Builder
	b.WriteString(`CASE c.status`)
	for i, st := range tryggspor.Statuses {
		fmt.Fprintf(&b, ` WHEN '%s' THEN %d`, strings.ReplaceAll(string(st), `'`, `''`), i)
	}
	b.WriteString(` ELSE 0 END`)
	return b.String()
}()

// casePage reads limit cases of the list from offset, in order: the order is
// found from the sort keys alone (an index, or the hits' index entries), and
// only the page's rows are read whole and decrypted. With total, it also
// counts every row of the list (count(*) OVER (), the whole list's work:
// for searches only).
func (s *Store) casePage(ctx context.Context, lq *listQuery, order string, offset, limit int, total *int) ([]tryggspor.Case, error) {
	count, tail := ``, ``
	if total != nil {
		count, tail = `, count(*) OVER () AS total`, `, p.total`
	}
	rows, err := s.query(ctx, lq.cached, `SELECT `+caseColumns+tail+` FROM (SELECT c.rowid AS rid`+count+` FROM `+lq.from+
		` WHERE `+lq.where+` ORDER BY `+order+` LIMIT ? OFFSET ?) p CROSS JOIN cases c ON c.rowid = p.rid ORDER BY `+order,
		append(slices.Clip(lq.args), limit, offset)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []tryggspor.Case
	for rows.Next() {
		c, err := s.scanCase(withTotal{rows, total})
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

// withTotal scans a row of case columns followed, when total is set, by the
// list's count.
type withTotal struct {
	rows  *sql.Rows
	total *int
}

// Scan reads the case's columns and the count.
func (w withTotal) Scan(dest ...any) error {
	if w.total != nil {
		dest = append(dest, w.total)
	}
	return w.rows.Scan(dest...)
}

// pageByStatus is the plain list of a unit sorted by status: the unit's
// counts by status, then the page read from the status groups it spans, each
// from its index in ref order, so neither count nor sort walks the unit.
func (s *Store) pageByStatus(ctx context.Context, lq *listQuery, unit string, q tryggspor.CaseQuery) (tryggspor.CaseList, error) {
	counts, err := s.unitCounts(ctx, unit)
	if err != nil {
		return tryggspor.CaseList{}, wrap(err, "count cases by status")
	}
	order := slices.Clone(tryggspor.Statuses)
	if !q.Asc {
		slices.Reverse(order)
	}
	var out tryggspor.CaseList
	for _, n := range counts {
		out.Total += n
	}
	var offset int
	out.Page, out.Pages, offset = tryggspor.PageOf(out.Total, q.Page)
	want := tryggspor.CasesPerPage
	for _, st := range order {
		if want == 0 {
			break
		}
		if n := counts[st]; offset >= n {
			offset -= n
			continue
		}
		group := &listQuery{from: lq.from, where: lq.where + ` AND c.status = ?`, args: append(slices.Clip(lq.args), string(st)), cached: true}
		cases, err := s.casePage(ctx, group, caseOrder(tryggspor.CaseQuery{Sort: "ref", Asc: q.Asc}), offset, want, nil)
		if err != nil {
			return out, wrap(err, "search cases")
		}
		out.Cases, want, offset = append(out.Cases, cases...), want-len(cases), 0
	}
	return out, nil
}

// unitCounts is the unit's cases by status, from case_status_counts (kept by
// triggers, migration 0019): a handful of rows, whatever the unit's size.
func (s *Store) unitCounts(ctx context.Context, unit string) (map[tryggspor.Status]int, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT status, n FROM case_status_counts WHERE unit = ?`, unit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[tryggspor.Status]int{}
	for rows.Next() {
		var st tryggspor.Status
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}

// query runs q on the reader pool, as a kept prepared statement when cached
// (the plain list and short searches: a handful of shapes), else prepared
// for this call only (a search of many words, whose shapes have no bound).
func (s *Store) query(ctx context.Context, cached bool, q string, args ...any) (*sql.Rows, error) {
	if cached {
		return s.rd.QueryContext(ctx, q, args...)
	}
	return s.r.QueryContext(ctx, q, args...)
}

// queryRow is query for one row.
func (s *Store) queryRow(ctx context.Context, cached bool, q string, args ...any) *sql.Row {
	if cached {
		return s.rd.QueryRowContext(ctx, q, args...)
	}
	return s.r.QueryRowContext(ctx, q, args...)
}
