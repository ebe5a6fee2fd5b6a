package handlers

import (
	"slices"

	"tryggspor/internal/tryggspor"
)

// catalogueParts are the files' shares of the one English catalogue, keyed
// by the bokmål text. They are kept in the files of the pages they serve so
// that engineers working on different pages add entries without touching
// each other's files, but they are one catalogue: a bokmål text may appear
// in only one part, once (TestCatalogueHasEachTextOnce). Where the same
// bokmål means two things in English ("av": "by" or "of"), the two uses are
// given two texts (a whole phrase such as "side %d av %d" for one of them).
var catalogueParts = []struct {
	name    string
	entries map[string]string
}{
	{"labels.go english", english}, {"labels_case.go caseEnglish", caseEnglish},
	{"labels_pages.go pageEnglish", pageEnglish}, {"signin_labels.go signinEnglish", signinEnglish},
	{"stats.go statsEnglish", statsEnglish}, {"labels_messages.go messageEnglish", messageEnglish},
	{"auditdetail.go detailEnglish", detailEnglish},
	{"tryggspor.CaseFields", caseFieldEnglish()}, {"labels_plan.go planEnglish", planEnglish},
}

// caseFieldEnglish is the case fields' English, kept with each field in the
// domain's one table of them.
func caseFieldEnglish() map[string]string {
	out := map[string]string{}
	for _, f := range tryggspor.CaseFields() {
		out[f.Label] = f.English
	}
	return out
}

// catalogue is the English catalogue, the parts merged once when the
// package is loaded and never changed after. catalogueClashes names every
// bokmål text found in more than one part (the first part's English is
// kept); the test fails on any.
var catalogue, catalogueClashes = mergeCatalogue()

// mergeCatalogue builds the one map from the parts and reports each text
// that appears twice, so a clash is a test failure rather than whichever
// English happened to be looked up first.
func mergeCatalogue() (map[string]string, []string) {
	n := 0
	for _, p := range catalogueParts {
		n += len(p.entries)
	}
	out := make(map[string]string, n)
	from := make(map[string]string, n)
	var clashes []string
	for _, p := range catalogueParts {
		for nb, en := range p.entries {
			if first, ok := from[nb]; ok {
				clashes = append(clashes, "«"+nb+"» in "+first+" and "+p.name)
				continue
			}
			out[nb], from[nb] = en, p.name
		}
	}
	slices.Sort(clashes)
	return out, clashes
}

// englishOf is the English of a bokmål UI string as the catalogue has it
// whole (translate also tries the patterns).
func englishOf(s string) (string, bool) {
	en, ok := catalogue[s]
	return en, ok
}

// English is the English of a bokmål text from the one catalogue (whole or
// by pattern), or the text itself when the catalogue has none. It lets the
// composition root give other packages (the privacy record) the
// vocabulary's English without a second catalogue.
func English(s string) string {
	if en, ok := translate(s, 0); ok {
		return en
	}
	return s
}
