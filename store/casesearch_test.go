package store_test

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"tryggspor/internal/demo"
	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
	"tryggspor/store"
)

// found is the refs a search of the officer's list shows on its first page.
func found(t *testing.T, st *store.Store, unit, text string) []string {
	t.Helper()
	l, err := st.SearchCases(ctx, tryggspor.Scope{Unit: unit}, tryggspor.CaseQuery{Text: text})
	if err != nil {
		t.Fatalf("search %q: %v", text, err)
	}
	var refs []string
	for _, c := range l.Cases {
		refs = append(refs, c.Ref)
	}
	if l.Total != len(refs) {
		t.Fatalf("search %q: total %d for %d cases on one page", text, l.Total, len(refs))
	}
	return refs
}

// TestCaseSearchFollowsTheName: the search finds a case by the words of its
// person's name and by part of its ref; a corrected name is found and the old
// one is not; an anonymised case is found by its ref but never by its old
// name; another unit's case of the same name never appears.
func TestCaseSearchFollowsTheName(t *testing.T) {
	clock := &testkit.Clock{T: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)}
	st, _ := testkit.MustOpenStore(t, clock.Now)
	svc := &tryggspor.Service{Store: st, Now: clock.Now}
	a := tryggspor.Actor{Name: "t", Role: tryggspor.RoleOfficer, Org: "baerum"}
	kari := newCase(t, svc, "baerum", "Kari Demo-Lie Nordmann")
	other := newCase(t, svc, "asker", "Kari Demo-Lie Nordmann")
	ola := newCase(t, svc, "baerum", "Ola Ødegård")
	for _, q := range []string{"kari", "KARI nord", "nordmann kari", "lie", "demo-lie", "  Kari   Demo ", kari.Ref,
		strings.TrimPrefix(kari.Ref, "TP-"), kari.Ref[len(kari.Ref)-4:]} {
		if got := found(t, st, "baerum", q); !slices.Equal(got, []string{kari.Ref}) {
			t.Errorf("%q finds %v, want only %s (never %s of asker)", q, got, kari.Ref, other.Ref)
		}
	}
	for _, q := range []string{"ari", "kari ola", "nordmannen", "x"} {
		if got := found(t, st, "baerum", q); len(got) != 0 {
			t.Errorf("%q finds %v, want nothing", q, got)
		}
	}
	if got := found(t, st, "baerum", "ØDEGÅRD"); !slices.Equal(got, []string{ola.Ref}) {
		t.Errorf("ØDEGÅRD finds %v", got)
	}
	if _, err := svc.RecordEvent(ctx, a, kari.ID, tryggspor.EventInput{Type: "correction", Date: "2026-03-10",
		Field: "person_name", Value: "Sara Berg", Reason: "Feil navn"}); err != nil {
		t.Fatal(err)
	}
	if got := found(t, st, "baerum", "kari"); len(got) != 0 {
		t.Errorf("the old name still finds %v after the correction", got)
	}
	if got := found(t, st, "baerum", "sara berg"); !slices.Equal(got, []string{kari.Ref}) {
		t.Errorf("the new name finds %v", got)
	}
	if got := found(t, st, "asker", "kari"); !slices.Equal(got, []string{other.Ref}) {
		t.Errorf("asker's own case is not found by its name: %v", got)
	}
	if _, err := svc.RecordEvent(ctx, a, ola.ID, tryggspor.EventInput{Type: "declined", Date: "2026-03-10", By: "guardian",
		Reason: "Nei", Confirmed: "yes"}); err != nil {
		t.Fatal(err)
	}
	clock.T = clock.T.AddDate(1, 1, 0)
	if refs, err := svc.Anonymise(ctx, 12, false); err != nil || !slices.Equal(refs, []string{ola.Ref}) {
		t.Fatalf("anonymise: %v %v", refs, err)
	}
	for _, q := range []string{"ola", "ødegård", "ola ødegård"} {
		if got := found(t, st, "baerum", q); len(got) != 0 {
			t.Errorf("the anonymised case is found by its old name %q: %v", q, got)
		}
	}
	if got := found(t, st, "baerum", ola.Ref); !slices.Equal(got, []string{ola.Ref}) {
		t.Errorf("the anonymised case is no longer in the list by its ref: %v", got)
	}
}

// TestCaseListBuiltAtOpen: a database whose cases have no name tokens (one
// older than the name search) gets them when it is opened, once; after a key
// rotation they are made again with the new key, and the names are found.
func TestCaseListBuiltAtOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	oldKey, newKey := testKey(t), testKey(t)
	st := openWith(t, path, oldKey)
	svc := &tryggspor.Service{Store: st, Now: time.Now}
	c := newCase(t, svc, "baerum", "Kari Nordmann")
	st.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM case_name_tokens; UPDATE cases SET name_key = ''`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	st = openWith(t, path, oldKey)
	if got := found(t, st, "baerum", "nordmann"); !slices.Equal(got, []string{c.Ref}) {
		t.Errorf("after open the name finds %v", got)
	}
	if n, err := st.ReindexNames(ctx); err != nil || n != 0 {
		t.Errorf("a second build did %d cases (%v), want none", n, err)
	}
	st.Close()
	st = openWith(t, path, newKey, oldKey)
	defer st.Close()
	if got := found(t, st, "baerum", "kari"); !slices.Equal(got, []string{c.Ref}) {
		t.Errorf("after a key rotation the name finds %v", got)
	}
}

// testKey is a fresh random field key.
func testKey(t *testing.T) []byte {
	k := make([]byte, 32)
	for i := range k {
		k[i] = byte(rand.IntN(256))
	}
	return k
}

// openWith opens the database at path with these keys (the first encrypts).
func openWith(t *testing.T, path string, keys ...[]byte) *store.Store {
	t.Helper()
	ring, err := store.NewKeyring(keys...)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, path, ring, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.UpsertOrganisations(ctx, demo.Organisations, tryggspor.NewEntry(tryggspor.System("test"), tryggspor.ActOrgImport, "", "")); err != nil {
		t.Fatal(err)
	}
	return st
}

// listed is what the reference search needs of a case.
type listed struct {
	id, ref, name string
	on            time.Time
	status        tryggspor.Status
}

// TestCaseSearchMatchesAPlainReference: on a few hundred random cases (two
// units, names sharing words and prefixes, statuses, many equal dates),
// every page of every kind of search has exactly the cases, total and page
// count of a plain Go search over the unit's decrypted cases.
func TestCaseSearchMatchesAPlainReference(t *testing.T) {
	clock := &testkit.Clock{T: time.Date(2026, 6, 10, 12, 0, 0, 0, time.UTC)}
	st, _ := testkit.MustOpenStore(t, clock.Now)
	svc := &tryggspor.Service{Store: st, Now: clock.Now}
	rng := rand.New(rand.NewPCG(19, 2026))
	first := []string{"Kari", "Karin", "Ola", "Ole", "Åse", "Per", "Pål", "Sara", "Sander", "Ida"}
	last := []string{"Nordmann", "Nordby", "Hansen", "Berg", "Berge", "Lie", "Demo-Lie", "Øvrebø", "Ås"}
	cases := seedRandom(t, svc, rng, 320, first, last)
	var texts []string
	for range 60 {
		c := cases[rng.IntN(len(cases))]
		words := strings.Fields(strings.ReplaceAll(c.name, "-", " "))
		w := words[rng.IntN(len(words))]
		switch rng.IntN(6) {
		case 0:
			texts = append(texts, c.ref[rng.IntN(4):])
		case 1:
			texts = append(texts, c.ref[len(c.ref)-1-rng.IntN(4):])
		case 2:
			r := []rune(w)
			texts = append(texts, strings.ToUpper(string(r[:1+rng.IntN(len(r))])))
		case 3:
			texts = append(texts, words[0]+" "+words[len(words)-1][:2])
		case 4:
			texts = append(texts, w+"x")
		default:
			texts = append(texts, "")
		}
	}
	texts = append(texts, "-", "tp", "2026", "a b", "ø")
	statuses := append([]tryggspor.Status{""}, tryggspor.Statuses...)
	for _, sort := range tryggspor.SortKeys { // every page of the plain list, each way
		for page := range 8 {
			checkAgainstReference(t, st, cases, tryggspor.CaseQuery{Sort: sort, Page: page, Asc: page%2 == 0})
			checkAgainstReference(t, st, cases, tryggspor.CaseQuery{Sort: sort, Page: page, Asc: page%2 == 1})
		}
	}
	for _, text := range texts {
		for range 3 {
			q := tryggspor.CaseQuery{Text: text, Status: statuses[rng.IntN(len(statuses))], Sort: tryggspor.SortKeys[rng.IntN(3)],
				Asc: rng.IntN(2) == 0, Page: rng.IntN(9) - 1}
			if rng.IntN(3) == 0 {
				q.Status = ""
			}
			checkAgainstReference(t, st, cases, q)
		}
	}
}

// seedRandom registers n cases (a tenth in another unit) with names from the
// lists and dates from 30 days, and moves some on (contacting, closed).
func seedRandom(t *testing.T, svc *tryggspor.Service, rng *rand.Rand, n int, first, last []string) []listed {
	type job struct {
		unit string
		in   tryggspor.CaseInput
		ev   string
	}
	jobs := make([]job, n)
	for i := range jobs {
		unit := "baerum"
		if i%10 == 0 {
			unit = "asker"
		}
		name := first[rng.IntN(len(first))] + " " + last[rng.IntN(len(last))]
		if rng.IntN(4) == 0 {
			name = first[rng.IntN(len(first))] + " " + name
		}
		jobs[i] = job{unit, tryggspor.CaseInput{RegisteredOn: tryggspor.FormatDate(time.Date(2026, 5, 1+rng.IntN(30), 0, 0, 0, 0, time.UTC)),
			Category: "threats", Role: "victim", Age: "14", Residence: "Bærum", Reported: "no", IntraFamily: "no",
			PersonName: name, GuardianName: "G", GuardianPhone: "900"}, []string{"", "", "contact_attempt", "declined"}[rng.IntN(4)]}
	}
	out := make([]listed, n)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < n; i += 8 {
				a := tryggspor.Actor{Name: "t", Role: tryggspor.RoleOfficer, Org: jobs[i].unit}
				c, err := svc.RegisterCase(ctx, a, jobs[i].in)
				if err != nil {
					t.Error(err)
					return
				}
				switch jobs[i].ev {
				case "contact_attempt":
					c, err = svc.RecordEvent(ctx, a, c.ID, tryggspor.EventInput{Type: "contact_attempt", Date: "2026-06-01",
						Channel: "sms", Reached: "no", With: "guardian"})
				case "declined":
					c, err = svc.RecordEvent(ctx, a, c.ID, tryggspor.EventInput{Type: "declined", Date: "2026-06-01", By: "guardian",
						Reason: "Nei", Confirmed: "yes"})
				}
				if err != nil {
					t.Error(err)
					return
				}
				out[i] = listed{id: c.ID, ref: c.Ref, name: jobs[i].in.PersonName, on: c.RegisteredOn, status: c.Status}
				if jobs[i].unit != "baerum" {
					out[i].id = ""
				}
			}
		})
	}
	wg.Wait()
	return slices.DeleteFunc(out, func(l listed) bool { return l.id == "" })
}

// checkAgainstReference compares one search of baerum's list with the plain
// Go search over cases (baerum's).
func checkAgainstReference(t *testing.T, st *store.Store, cases []listed, q tryggspor.CaseQuery) {
	t.Helper()
	want := referenceSearch(cases, q)
	pages := max(1, (len(want)+tryggspor.CasesPerPage-1)/tryggspor.CasesPerPage)
	page := min(max(q.Page, 1), pages)
	want = want[(page-1)*tryggspor.CasesPerPage : min(page*tryggspor.CasesPerPage, len(want))]
	got, err := st.SearchCases(ctx, tryggspor.Scope{Unit: "baerum"}, q)
	if err != nil {
		t.Fatalf("%+v: %v", q, err)
	}
	var ids []string
	for _, c := range got.Cases {
		ids = append(ids, c.ID)
	}
	total := len(referenceSearch(cases, q))
	if got.Total != total || got.Page != page || got.Pages != pages || !slices.Equal(ids, want) {
		t.Errorf("%+v: total %d page %d/%d %d cases; the reference: total %d page %d/%d, %d cases (equal lists: %v)",
			q, got.Total, got.Page, got.Pages, len(ids), total, page, pages, len(want), slices.Equal(ids, want))
	}
}

// referenceSearch is the case list as a plain Go search: the text part of
// the ref, or each of its words the start of a word of the name, any case;
// sorted by date, ref or status with ties by ref, every key in one direction.
func referenceSearch(cases []listed, q tryggspor.CaseQuery) []string {
	split := func(s string) []string {
		return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	}
	text := strings.ToLower(strings.Join(strings.Fields(q.Text), " "))
	match := func(c listed) bool {
		if text == "" || strings.Contains(strings.ToLower(c.ref), text) {
			return true
		}
		words, name := split(text), split(c.name)
		for _, w := range words {
			if !slices.ContainsFunc(name, func(n string) bool { return strings.HasPrefix(n, w) }) {
				return false
			}
		}
		return len(words) > 0
	}
	var hits []listed
	for _, c := range cases {
		if (q.Status == "" || c.status == q.Status) && match(c) {
			hits = append(hits, c)
		}
	}
	rank := func(s tryggspor.Status) int { return slices.Index(tryggspor.Statuses, s) }
	byRef := func(a, b listed) int {
		var ay, as, by, bs int
		fmt.Sscanf(a.ref, "TP-%d-%d", &ay, &as)
		fmt.Sscanf(b.ref, "TP-%d-%d", &by, &bs)
		if ay != by {
			return ay - by
		}
		return as - bs
	}
	slices.SortFunc(hits, func(a, b listed) int {
		d := 0
		switch q.Sort {
		case "status":
			d = rank(a.status) - rank(b.status)
		case "ref":
		default:
			d = a.on.Compare(b.on)
		}
		if d == 0 {
			d = byRef(a, b)
		}
		if !q.Asc {
			d = -d
		}
		return d
	})
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.id
	}
	return ids
}
