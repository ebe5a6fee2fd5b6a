package handlers

import (
	"html/template"
	"reflect"
	"testing"
)

// TestSectionKeyCoversEveryField: changing any one field of a form changes
// the key the rendered sections are cached under, so a new field added to
// eventForm without a line in writeFormKey fails here.
func TestSectionKeyCoversEveryField(t *testing.T) {
	base := eventForm{Type: "t", Title: "T", Fields: []formField{{Name: "n", Label: "L", Kind: "text", Options: [][2]string{{"a", "A"}}}},
		Values: map[string]string{"date": "2026-01-01"}, Errors: map[string]string{}, Choose: [][2]string{{"c", "C"}}}
	key := func(f eventForm) string { return sectionKey("nb", nil, []eventForm{f}) }
	k0 := key(base)
	ft := reflect.TypeOf(base)
	for i := 0; i < ft.NumField(); i++ {
		f := base
		f.Fields = append([]formField(nil), base.Fields...)
		f.Values = map[string]string{"date": "2026-01-01"}
		name := ft.Field(i).Name
		switch name {
		case "Body":
			f.Body, f.bodyKey = template.HTML("<x>"), "k" // a cached body stands for the fields by its key
		case "bodyKey":
			f.Body, f.bodyKey = template.HTML("<x>"), "other"
			if key(f) == key(eventForm{Type: "t", Title: "T", Body: "<x>", bodyKey: "k", Values: f.Values, Errors: f.Errors, Choose: f.Choose}) {
				t.Error("bodyKey is not in the key")
			}
			continue
		case "Type":
			f.Type = "u"
		case "Title":
			f.Title = "U"
		case "Fields":
			f.Fields[0].Options = [][2]string{{"a", "B"}}
		case "Values":
			f.Values["date"] = "2026-01-02"
		case "Errors":
			f.Errors = map[string]string{"n": "feil"}
		case "Summary":
			f.Summary = []summaryItem{{ID: "x", Message: "m"}}
		case "Error":
			f.Error = "e"
		case "Open":
			f.Open = true
		case "Correct":
			f.Correct = "age"
		case "Choose":
			f.Choose = [][2]string{{"c", "D"}}
		default:
			t.Errorf("eventForm.%s is new: add it to writeFormKey and to this test", name)
			continue
		}
		if key(f) == k0 {
			t.Errorf("changing eventForm.%s leaves the key unchanged", name)
		}
	}
	if sectionKey("nb", nil, nil) == sectionKey("en", nil, nil) || sectionKey("nb", &base, nil) == sectionKey("nb", nil, []eventForm{base}) {
		t.Error("the language or the next step is not in the key")
	}
}
