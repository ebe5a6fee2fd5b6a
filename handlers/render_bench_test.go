package handlers

import (
	"bytes"
	"html/template"
	"strings"
	"testing"
	"time"

	"tryggspor/internal/tryggspor"
)

// BenchmarkRenderCasePage is the case page's template alone (no database),
// with an open case, three events and its form sections already made: the
// part of a view that html/template costs.
func BenchmarkRenderCasePage(b *testing.B) {
	ps, err := parsePages()
	if err != nil {
		b.Fatal(err)
	}
	for _, lang := range []string{"nb", "en"} {
		b.Run(lang, func(b *testing.B) {
			p := sampleCasePage(lang)
			p.Menu = (&menus{}).get(&Handler{pages: ps}, &p.Page)
			t := ps.get(lang, "case_show")
			var buf bytes.Buffer
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				buf.Reset()
				if err := t.Execute(&buf, &p); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len()), "bytes")
		})
	}
}

func sampleCasePage(lang string) casePage {
	u := tryggspor.User{ID: 1, Name: "Politi Betjent", Role: tryggspor.RoleOfficer, Org: "baerum"}
	c := &tryggspor.Case{ID: "0d08a4b20002ee0139a110889070", Ref: "TP-2026-0042", Unit: "baerum", Category: "threats",
		Role: "victim", Age: 14, Residence: "Bærum", RegisteredOn: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC),
		Personal: tryggspor.Personal{PersonName: "Kari Nordmann", GuardianName: "Ola Nordmann", GuardianPhone: "+47 912 34 567", Notes: "Notat"}}
	c.Status, c.Outcome = "open", "pending"
	p := casePage{Page: Page{Title: c.Ref, User: &u, CSRF: strings.Repeat("x", 43), Lang: lang, RequestID: "abc", Path: "/cases/" + c.ID, getURL: "/cases/" + c.ID},
		Case: c, UnitName: "Bærum", Today: time.Now()}
	for i := 0; i < 3; i++ {
		p.Timeline = append(p.Timeline, timelineItem{Date: "01.12.2026", Label: "Kontaktforsøk", Actor: "Politi Betjent", Detail: "telefon, nådd: ja"})
	}
	p.Next = &eventForm{Type: "offer_made", Title: "Registrer tilbud"}
	p.Forms = renderedForms{Next: template.HTML(strings.Repeat("<p>form</p>", 200)), Others: template.HTML(strings.Repeat("<p>form</p>", 1000))}
	return p
}

func BenchmarkRenderLayoutOnly(b *testing.B) {
	ps, _ := parsePages()
	p := sampleCasePage("nb")
	t := ps.get("nb", "noaccess")
	var buf bytes.Buffer
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf.Reset()
		if err := t.Execute(&buf, &p.Page); err != nil {
			b.Fatal(err)
		}
	}
}
