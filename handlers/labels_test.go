package handlers

import (
	"sort"
	"testing"

	"tryggspor/internal/tryggspor"
)

// TestEveryLabelHasEnglish fails on any vocabulary term, event label, event
// action, message, confirmation or field label that an English-speaking user
// would see in bokmål.
func TestEveryLabelHasEnglish(t *testing.T) {
	need := map[string]string{}
	for _, dim := range tryggspor.Dimensions() {
		for _, term := range tryggspor.Terms(dim) {
			need[term.Label] = "vocabulary " + dim + "/" + term.Code
		}
	}
	for _, s := range tryggspor.EventSpecs() {
		where := "event " + string(s.Type)
		need[s.Label] = where + " label"
		need[s.Recorded] = where + " message"
		if s.Action != "" {
			need[s.Action] = where + " action"
		}
		if s.Confirm != nil {
			need[s.Confirm.Explain] = where + " confirmation"
			need[s.Confirm.Button] = where + " button"
		}
		for _, f := range s.Fields {
			need[f.Label] = where + " field " + f.Name
		}
	}
	for _, term := range tryggspor.Correctable() {
		need[term.Label] = "correctable " + term.Code
	}
	var missing []string
	for nb, where := range need {
		if nb == "" {
			continue
		}
		if _, ok := englishOf(nb); !ok {
			missing = append(missing, where+": «"+nb+"»")
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("no English for %s", m)
	}
}
