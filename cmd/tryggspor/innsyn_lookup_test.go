package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// TestInnsynListsRepeatVictimLookup: Ola Oraklet (born 05.05.2011) has a case
// in Asker (imported); the Bærum officer registers him in `tryggspor dev` and
// sees the indicator; afterwards `tryggspor innsyn --ref` for the Asker case
// lists that officer's lookup with its time and purpose.
func TestInnsynListsRepeatVictimLookup(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	demoDB(t, db)
	earlier := tryggspor.FormatDate(tryggspor.Today(time.Now()).AddDate(0, 0, -30))
	sheet := filepath.Join(dir, "asker.csv")
	os.WriteFile(sheet, []byte("registered_on;unit;category;role;age;residence_municipality;reported;person_name;birth_date\n"+
		earlier+";asker;threats;victim;15;Asker;yes;Ola Oraklet;05.05.2011\n"), 0o600)
	if err := run(context.Background(), []string{"import", "--db", db, "--file", sheet}, noEnv, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	base, stop := startDevStop(t, db)
	c := signIn(t, base, "politi")
	_, page := get(t, c, base+"/cases/new")
	form := testkit.ValidCase()
	form.Set("csrf_token", tokenRe.FindStringSubmatch(page)[1])
	form.Set("person_name", "Ola Oraklet")
	form.Set("birth_date", "2011-05-05")
	r, err := c.PostForm(base+"/cases", form)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if !strings.Contains(string(body), "Personen er registrert før") {
		t.Fatalf("the Bærum officer was not shown the Asker case (%d at %s)", r.StatusCode, r.Request.URL)
	}
	stop()
	h := openRaw(t, db)
	var ref string
	err = h.QueryRow(`SELECT ref FROM cases WHERE unit = 'asker' AND registered_on = ?`, earlier).Scan(&ref)
	h.Close()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"innsyn", "--db", db, "--ref", ref}, noEnv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, entry := range strings.Split(out.String(), "},") {
		if strings.Contains(entry, `"action": "Sjekket om personen er registrert før"`) {
			found = strings.Contains(entry, `"who": "Politibetjent Per Politi"`) && strings.Contains(entry, `"purpose": "saksbehandling"`) &&
				strings.Contains(entry, `"at": "2`)
		}
	}
	if !found {
		t.Errorf("innsyn --ref %s does not list the Bærum officer's lookup with time and purpose:\n%s", ref, out.String())
	}
}
