package handlers_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"tryggspor/internal/testkit"
)

// bokmalWords are common bokmål words that English text never uses. Names
// of Norwegian laws (politiloven …) and of organisations (Barnehuset) may
// stay, glossed in English.
var bokmalWords = []string{"og", "ikke", "saken", "saker", "sak", "slettes", "behandling", "behandlingen", "som", "eller",
	"til", "med", "av", "er", "den", "det", "etter", "når", "bare", "hver", "har", "ved", "fra", "på", "å", "ser",
	"gjelder", "politiet", "personopplysninger", "sletting", "lagring", "rolle", "egen", "uten", "kryptert", "nøkkel",
	"ja", "nei", "felt", "tilgang", "overføring", "samtykke", "foresatte", "utsatt", "enhet", "beholdes", "måneder", "dager"}

// TestPrivacyRecordInEnglish: the English record of processing activities
// is written in English, the bokmål one in bokmål, both from the same
// configuration.
func TestPrivacyRecordInEnglish(t *testing.T) {
	a := testkit.NewApp(t)
	admin := a.SignIn(t, "admin")
	main := regexp.MustCompile(`(?s)<main[^>]*>(.*)</main>`)
	pages := map[string]string{}
	for _, lang := range []string{"nb", "en"} {
		admin.Get("/admin/privacy?lang=" + lang)
		m := main.FindStringSubmatch(admin.Body)
		if admin.Status() != http.StatusOK || m == nil {
			t.Fatalf("%s: %d, no main text", lang, admin.Status())
		}
		pages[lang] = visibleText(m[1])
	}
	words := regexp.MustCompile(`[\pL]+`).FindAllString(strings.ToLower(pages["en"]), -1)
	found := map[string]int{}
	for _, w := range words {
		for _, nb := range bokmalWords {
			if w == nb {
				found[w]++
			}
		}
	}
	if len(found) > 0 {
		t.Errorf("the English record has bokmål words %v:\n%s", found, pages["en"])
	}
	if len(words) < 500 {
		t.Errorf("the English record has only %d words", len(words))
	}
	for _, want := range []string{"Record of processing activities", "politiloven (the Police Act)", "Preventive officer (police): case work."} {
		if !strings.Contains(pages["en"], want) {
			t.Errorf("the English record lacks %q", want)
		}
	}
	for _, want := range []string{"Protokoll over behandlingsaktiviteter", "Forebygger (politi): saksbehandling."} {
		if !strings.Contains(pages["nb"], want) {
			t.Errorf("the bokmål record lacks %q", want)
		}
	}
}
