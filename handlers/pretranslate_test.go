package handlers

import (
	"bytes"
	"html/template"
	"strings"
	"testing"
)

// TestPretranslatedPagesRenderAsBefore: the page templates with their
// literal {{.T "…"}} already translated render byte for byte what the
// templates as written render, in both languages.
func TestPretranslatedPagesRenderAsBefore(t *testing.T) {
	ps, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"nb", "en"} {
		asWritten, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/fields.html", "templates/case_show.html")
		if err != nil {
			t.Fatal(err)
		}
		p := sampleCasePage(lang)
		p.Prior = []priorCase{{UnitName: "Asker", RegisteredOn: p.Case.RegisteredOn}}
		var want, got bytes.Buffer
		if err := asWritten.Execute(&want, &p); err != nil {
			t.Fatal(err)
		}
		if err := ps.get(lang, "case_show").Execute(&got, &p); err != nil {
			t.Fatal(err)
		}
		if want.String() != got.String() {
			t.Errorf("%s: the pretranslated case page differs from the template as written", lang)
		}
		if lang == "en" && strings.Contains(got.String(), "Saksopplysninger") {
			t.Error("the English case page has a Norwegian heading")
		}
	}
	src := `{{.T "Ja"}} {{$.T "Nei"}} {{$P.T "Velg"}} {{.P.T "Logg ut"}} {{- $.P.T "Meny" -}} {{.T .Title}} {{.T (label "x" .Y)}}`
	got := pretranslate(src, "en")
	if want := `{{"Yes"}} {{"No"}} {{"Choose"}} {{"Sign out"}} {{- "Menu" -}} {{.T .Title}} {{.T (label "x" .Y)}}`; got != want {
		t.Errorf("pretranslate:\n got %s\nwant %s", got, want)
	}
	if pretranslate(src, "nb") != `{{"Ja"}} {{"Nei"}} {{"Velg"}} {{"Logg ut"}} {{- "Meny" -}} {{.T .Title}} {{.T (label "x" .Y)}}` {
		t.Errorf("pretranslate nb: %s", pretranslate(src, "nb"))
	}
}
