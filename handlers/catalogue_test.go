package handlers

import (
	"testing"

	"tryggspor/internal/tryggspor"
)

// TestCatalogueHasEachTextOnce: the English catalogue is one map, and a
// bokmål text given English in two of its parts (or twice over) fails here
// instead of getting whichever English is met first. A text that needs two
// meanings in English needs two texts.
func TestCatalogueHasEachTextOnce(t *testing.T) {
	for _, c := range catalogueClashes {
		t.Errorf("catalogued twice: %s", c)
	}
	n := 0
	for _, p := range catalogueParts {
		n += len(p.entries)
	}
	if len(catalogue) != n {
		t.Errorf("the catalogue has %d entries, its parts %d", len(catalogue), n)
	}
}

// TestEveryAuditDetailHasEnglish: every word the audit log's details are
// said with has English, so an English log page shows no bokmål detail.
func TestEveryAuditDetailHasEnglish(t *testing.T) {
	for _, s := range tryggspor.DetailSpecs() {
		for _, nb := range []string{s.Label, s.Yes, s.No} {
			if _, ok := englishOf(nb); nb != "" && !ok {
				t.Errorf("audit detail %s: no English for «%s»", s.Key, nb)
			}
		}
	}
}

// TestEveryPageNameHasEnglish: the pages a refusal names in the audit log
// (routeNames) have English, like the refusals themselves.
func TestEveryPageNameHasEnglish(t *testing.T) {
	for route, nb := range routeNames {
		if _, ok := englishOf(nb); !ok {
			t.Errorf("%s: no English for «%s»", route, nb)
		}
	}
	if _, ok := englishOf("Ukjent side"); !ok {
		t.Error("no English for «Ukjent side»")
	}
}
