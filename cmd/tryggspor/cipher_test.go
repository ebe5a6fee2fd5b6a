package main

import (
	"crypto/aes"
	"crypto/cipher"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tryggspor/store"
)

// writeCasesCSV writes n importable cases of 2019, all concluded (declined,
// conversation with and without a handover, no response), each with personal
// fields, a third of them intra-family.
func writeCasesCSV(t *testing.T, n int, tag string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("registered_on;unit;category;role;age;residence_municipality;reported;outcome;outcome_on;handover_to;handover_on;" +
		"intra_family;person_name;birth_date;guardian_name;guardian_phone;police_report_ref;notes\n")
	outcomes := []string{"declined;2019-%02d-20;;", "conversation;2019-%02d-20;;", "conversation;2019-%02d-20;bekkestua-ungdomsskole;2019-%02d-25",
		"no_response;2019-%02d-20;;"}
	for i := 0; i < n; i++ {
		m := i%11 + 1
		o := outcomes[i%len(outcomes)]
		if strings.Count(o, "%") == 2 {
			o = fmt.Sprintf(o, m, m)
		} else {
			o = fmt.Sprintf(o, m)
		}
		intra := "no"
		if i%3 == 0 {
			intra = "yes"
		}
		fmt.Fprintf(&b, "2019-%02d-%02d;baerum;threats;victim;14;Bærum;no;%s;%s;Person%s%d;2005-01-01;Verge%s%d;+47 900 %05d;REF-%s-%d;Notat om %s %d\n",
			m, i%19+1, o, intra, tag, i, tag, i, i, tag, i, tag, i)
	}
	path := filepath.Join(t.TempDir(), "cases-"+tag+".csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// devKey reads the key `tryggspor dev` keeps beside its database.
func devKey(t *testing.T, db string) cipher.AEAD {
	t.Helper()
	k, err := store.ReadKeyFile(db + ".key")
	if err != nil {
		t.Fatal(err)
	}
	block, err := aes.NewCipher(k)
	if err != nil {
		t.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	return aead
}

// sealed is one ciphertext found in the database, with the associated data it
// was sealed to (store/crypto.go: nonce ‖ AES-GCM(JSON), bound to the row).
type sealed struct {
	blob []byte
	aad  string
}

// ciphertexts lists every personal ciphertext in the database now, by nonce.
func ciphertexts(t *testing.T, db string, into map[string]sealed) {
	t.Helper()
	h := openRaw(t, db)
	defer h.Close()
	for _, q := range []string{`SELECT personal, 'case:' || id FROM cases WHERE personal IS NOT NULL`,
		`SELECT secret, 'event:' || case_id || ':' || seq FROM events WHERE secret IS NOT NULL`} {
		rows, err := h.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s sealed
			if err := rows.Scan(&s.blob, &s.aad); err != nil {
				t.Fatal(err)
			}
			if len(s.blob) > 12 {
				into[string(s.blob[:12])] = s
			}
		}
		rows.Close()
	}
}

func openRaw(t *testing.T, db string) *sql.DB {
	t.Helper()
	h, err := sql.Open("sqlite", "file:"+db+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// recoverable returns the plaintexts that can still be decrypted from what
// is left of the database: any earlier ciphertext whose bytes are still in
// the database file or its WAL (page versions, free space), and any value in
// any BLOB or TEXT column of any table that opens with the key and the
// identity of its row.
func recoverable(t *testing.T, db string, aead cipher.AEAD, known map[string]sealed) []string {
	t.Helper()
	var found []string
	open := func(blob []byte, aad string) bool {
		if len(blob) < 12+16 {
			return false
		}
		plain, err := aead.Open(nil, blob[:12], blob[12:], []byte(aad))
		if err == nil {
			found = append(found, aad+" "+string(plain))
		}
		return err == nil
	}
	for _, f := range []string{db, db + "-wal"} {
		raw, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for i := 0; i+12 <= len(raw); i++ {
			s, ok := known[string(raw[i:i+12])]
			if ok && i+len(s.blob) <= len(raw) {
				open(raw[i:i+len(s.blob)], s.aad)
			}
		}
	}
	h := openRaw(t, db)
	defer h.Close()
	tables := queryStrings(t, h, `SELECT name FROM sqlite_schema WHERE type = 'table'`)
	for _, tbl := range tables {
		cols := queryStrings(t, h, fmt.Sprintf(`SELECT name FROM pragma_table_info('%s')`, tbl))
		for _, col := range cols {
			rows, err := h.Query(fmt.Sprintf(`SELECT "%s", typeof("%s") FROM "%s" WHERE typeof("%s") IN ('blob', 'text')`, col, col, tbl, col))
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var v []byte
				var typ string
				rows.Scan(&v, &typ)
				if len(v) < 12+16 {
					continue
				}
				if s, ok := known[string(v[:12])]; ok {
					open(v, s.aad)
				}
			}
			rows.Close()
		}
	}
	return found
}

func queryStrings(t *testing.T, h *sql.DB, q string) []string {
	t.Helper()
	rows, err := h.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, s)
	}
	return out
}
