package importer_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"

	"tryggspor/internal/demo"
	"tryggspor/internal/importer"
	"tryggspor/internal/stats"
	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
	"tryggspor/store"
)

func mustOpenStore(t *testing.T) *store.Store {
	t.Helper()
	st, _ := testkit.MustOpenStore(t, time.Now)
	return st
}

// importBytes imports file as the system actor.
func importBytes(t *testing.T, st *store.Store, file []byte, opt importer.Options) (importer.Result, error) {
	t.Helper()
	return importer.ImportFile(ctx, st, sys, bytes.NewReader(file), int64(len(file)), opt, today)
}

func allCases(t *testing.T, st *store.Store) []tryggspor.Case {
	t.Helper()
	cs, err := st.ListCases(ctx, tryggspor.Scope{All: true}, tryggspor.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// TestWindows1252FileCountsWithUTF8Rows: a file as Excel on a Norwegian
// Windows saves "CSV" (';', CRLF, "Bærum" with æ as the single byte 0xE6) is
// read as Windows-1252, and its Bærum residents are counted together with
// those of a UTF-8 file, not as a separate "B\ufffdrum".
func TestWindows1252FileCountsWithUTF8Rows(t *testing.T) {
	st := mustOpenStore(t)
	cp1252 := []byte("registered_on;unit;category;role;age;residence_municipality;reported;person_name\r\n" +
		"03.02.2021;baerum;violence;victim;14;B\xe6rum;ja;Kj\xe6re \xd8ystein\r\n" +
		"04.02.2021;baerum;threats;victim;15;B\xe6rum;nei;\r\n")
	res, err := importBytes(t, st, cp1252, importer.Options{})
	if err != nil || res.Encoding != importer.EncodingWindows1252 || res.Cases != 2 {
		t.Fatalf("Windows-1252 file: %+v %v", res, err)
	}
	utf8 := []byte("registered_on,unit,category,role,age,residence_municipality,reported\n2021-03-01,baerum,robbery,victim,13,Bærum,yes\n")
	if res, err := importBytes(t, st, utf8, importer.Options{}); err != nil || res.Encoding != importer.EncodingUTF8 {
		t.Fatalf("UTF-8 file: %+v %v", res, err)
	}
	s, err := stats.Build(ctx, st, 2021, "baerum", 0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, c := range s.Table("by_residence").Cells {
		got[c.Key] = c.Value
	}
	if diff := cmp.Diff(map[string]int{"Bærum": 3}, got); diff != "" {
		t.Errorf("residence counts (-want +got):\n%s", diff)
	}
	names := map[string]bool{}
	for _, c := range allCases(t, st) {
		names[c.Personal.PersonName] = true
	}
	if !names["Kjære Øystein"] {
		t.Errorf("person names read: %v", names)
	}
}

// TestUTF16WithBOMImports: Excel's "Unicode text" is UTF-16 with a byte order
// mark, little or big endian; both import, and the encoding is reported.
func TestUTF16WithBOMImports(t *testing.T) {
	text := "registered_on;unit;category;role;age;residence_municipality;reported;notes\r\n" +
		"2021-02-03;baerum;violence;victim;14;Bærum;ja;\"Første samtale:\tmor ringte\r\nløst\"\r\n"
	for _, e := range []unicode.Endianness{unicode.LittleEndian, unicode.BigEndian} {
		file, err := unicode.UTF16(e, unicode.UseBOM).NewEncoder().Bytes([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		st := mustOpenStore(t)
		res, err := importBytes(t, st, file, importer.Options{})
		if err != nil || res.Encoding != importer.EncodingUTF16 || res.Cases != 1 {
			t.Fatalf("endianness %v: %+v %v", e, res, err)
		}
		cs := allCases(t, st)
		c, _, _ := st.GetCase(ctx, tryggspor.Scope{All: true}, cs[0].ID)
		if c.Residence != "Bærum" || c.Personal.Notes != "Første samtale:\tmor ringte\nløst" {
			t.Errorf("endianness %v: %q %q", e, c.Residence, c.Personal.Notes)
		}
	}
}

// TestUTF8WithBOMIsReported: the BOM Excel writes for "CSV UTF-8" is read
// and named; a file without one that is valid UTF-8 is UTF-8 too.
func TestUTF8WithBOMIsReported(t *testing.T) {
	st := mustOpenStore(t)
	for _, bom := range []string{"\ufeff", ""} {
		file := []byte(bom + "registered_on;unit;category;role;age;residence_municipality;reported\n2021-02-03;baerum;violence;victim;14;Bærum;ja\n")
		res, err := importBytes(t, st, file, importer.Options{DryRun: true})
		if err != nil || res.Encoding != importer.EncodingUTF8 || res.Cases != 1 || len(res.SHA256) != 64 {
			t.Errorf("BOM %q: %+v %v", bom, res, err)
		}
	}
}

// TestDuplicatedColumnIsRefused: which of two "unit" columns was meant cannot
// be known, so the file is refused, naming the column.
func TestDuplicatedColumnIsRefused(t *testing.T) {
	st := mustOpenStore(t)
	file := []byte("registered_on;unit;category;role;age;residence_municipality;reported;Unit\n" +
		"2021-02-03;baerum;violence;victim;14;Bærum;ja;asker\n")
	_, err := importBytes(t, st, file, importer.Options{})
	var errs importer.Errors
	if !errors.As(err, &errs) || len(errs) != 1 || !strings.HasPrefix(errs[0], "row 1, column unit: kolonnen finnes to ganger (kolonne 2 og 8)") {
		t.Errorf("duplicated column: %v", err)
	}
	if n := len(allCases(t, st)); n != 0 {
		t.Errorf("%d cases written", n)
	}
}

// TestBadTextIsRefusedAndNothingWritten: NUL bytes, other control characters,
// invalid UTF-8 in a file that says it is UTF-8, and UTF-16 that does not
// decode are refused with row and column, in any text column; line breaks
// and tabs are allowed in notes only. The good rows of the file are not
// written either.
func TestBadTextIsRefusedAndNothingWritten(t *testing.T) {
	head := "registered_on;unit;category;role;age;residence_municipality;reported;person_name;guardian_name;notes\n"
	good := "2021-02-03;baerum;violence;victim;14;Bærum;ja;Kari;Ola;\"linje 1\nlinje 2\tmed tab\"\n"
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(head + good))
	utf16 = append(utf16, []byte("2\x000\x002\x001\x00-\x000\x002\x00-\x000\x003\x00;\x00b\x00a\x00e\x00r\x00u\x00m\x00;\x00v\x00i\x00o\x00l\x00e\x00n\x00c\x00e\x00;\x00"+
		"v\x00i\x00c\x00t\x00i\x00m\x00;\x001\x004\x00;\x00\x00\xd8;\x00j\x00a\x00;\x00;\x00;\x00\n\x00")...) // an unpaired surrogate as residence
	for name, tc := range map[string]struct {
		file []byte
		want string
	}{
		"NUL in residence":        {[]byte(head + good + "2021-02-03;baerum;violence;victim;14;B\x00rum;ja;Kari;Ola;\n"), "row 3, column residence_municipality: Teksten har et kontrolltegn (U+0000)"},
		"bell in guardian name":   {[]byte(head + good + "2021-02-03;baerum;violence;victim;14;Bærum;ja;Kari;O\x07la;\n"), "row 3, column guardian_name: Teksten har et kontrolltegn (U+0007)"},
		"escape in notes":         {[]byte(head + good + "2021-02-03;baerum;violence;victim;14;Bærum;ja;Kari;Ola;\x1b[31m\n"), "row 3, column notes: Teksten har et kontrolltegn (U+001B)"},
		"newline in person name":  {[]byte(head + good + "2021-02-03;baerum;violence;victim;14;Bærum;ja;\"Kari\nNordmann\";Ola;\n"), "row 3, column person_name: Teksten har et kontrolltegn (U+000A)"},
		"NUL in unit":             {[]byte(head + good + "2021-02-03;baer\x00um;violence;victim;14;Bærum;ja;Kari;Ola;\n"), "row 3, column unit: Teksten har et kontrolltegn (U+0000)"},
		"invalid UTF-8 after BOM": {[]byte("\ufeff" + head + good + "2021-02-03;baerum;violence;victim;14;Bærum;ja;K\xe6ri;Ola;\n"), "row 3, column person_name: Teksten har ugyldige tegn (ikke gyldig UTF-8)"},
		"unpaired UTF-16":         {utf16, "row 3, column residence_municipality: Teksten har tegn som ikke kunne leses (U+FFFD)"},
	} {
		st := mustOpenStore(t)
		_, err := importBytes(t, st, tc.file, importer.Options{})
		var errs importer.Errors
		if !errors.As(err, &errs) || len(errs) != 1 || !strings.HasPrefix(errs[0], tc.want) {
			t.Errorf("%s: got %q, want %q", name, err, tc.want)
		}
		if n := len(allCases(t, st)); n != 0 {
			t.Errorf("%s: %d cases written", name, n)
		}
	}
}

// TestXLSXImportsTheSameCasesAsCSV: the demo history with personal columns,
// as CSV and as an .xlsx written with excelize (ages as numbers, registration
// dates as real date cells, the rest as text), gives the same cases.
func TestXLSXImportsTheSameCasesAsCSV(t *testing.T) {
	recs, err := csv.NewReader(strings.NewReader(demoWithPersonalColumns())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		for i := range r {
			r[i] = strings.ReplaceAll(r[i], `"`, "")
		}
	}
	var csvFile bytes.Buffer
	w := csv.NewWriter(&csvFile)
	w.Comma = ';'
	w.WriteAll(recs)
	x := excelize.NewFile()
	defer x.Close()
	for i, r := range recs {
		row := make([]any, len(r))
		for j, v := range r {
			row[j] = v
			if i > 0 && recs[0][j] == "age" {
				row[j], _ = strconv.Atoi(v)
			}
			if i > 0 && recs[0][j] == "registered_on" {
				row[j], _ = tryggspor.ParseDate(v)
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	style, _ := x.NewStyle(&excelize.Style{NumFmt: 14})
	x.SetColStyle("Sheet1", "A", style)
	if v, _ := x.GetCellValue("Sheet1", "A2", excelize.Options{RawCellValue: true}); strings.Contains(v, "-") {
		t.Fatalf("the registration date is not a date cell: %q", v)
	}
	var xlsxFile bytes.Buffer
	if err := x.Write(&xlsxFile); err != nil {
		t.Fatal(err)
	}
	got := map[string][]tryggspor.Case{}
	for name, file := range map[string][]byte{importer.EncodingUTF8: csvFile.Bytes(), importer.EncodingXLSX: xlsxFile.Bytes()} {
		st := mustOpenStore(t)
		res, err := importBytes(t, st, file, importer.Options{})
		if err != nil || res.Encoding != name || res.Cases != len(recs)-1 {
			t.Fatalf("%s: %+v %v", name, res, err)
		}
		for _, c := range allCases(t, st) {
			full, _, err := st.GetCase(ctx, tryggspor.Scope{All: true}, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			got[name] = append(got[name], *full)
		}
	}
	if len(got[importer.EncodingXLSX]) != len(recs)-1 || got[importer.EncodingXLSX][0].Personal.PersonName == "" {
		t.Fatalf("xlsx: %d cases", len(got[importer.EncodingXLSX]))
	}
	ignore := cmpopts.IgnoreFields(tryggspor.Case{}, "ID", "CreatedAt", "LastEventAt")
	if diff := cmp.Diff(got[importer.EncodingUTF8], got[importer.EncodingXLSX], ignore, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("xlsx cases differ from csv cases (-csv +xlsx):\n%s", diff)
	}
}

// demoWithPersonalColumns is the demo history with a name, birth date,
// guardian and notes (with a line break) on every row, and ',' as separator.
func demoWithPersonalColumns() string {
	lines := strings.Split(strings.TrimSpace(demo.HistoryCSV()), "\n")
	var b strings.Builder
	b.WriteString(strings.ReplaceAll(lines[0], ";", ",") + ",person_name,birth_date,guardian_name,guardian_phone,notes\n")
	for i, l := range lines[1:] {
		fmt.Fprintf(&b, "%s,Person %d Ås,%s,Foresatt %d,+47 900 %05d,\"Notat %d\nandre linje\"\n",
			strings.ReplaceAll(l, ";", ","), i, time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format("2006-01-02"), i, i, i)
	}
	return b.String()
}

// TestUTF16WithoutBOMIsExplained: UTF-16 without a byte order mark cannot be
// told apart reliably; its NUL bytes in the header give one clear message
// instead of a NUL error per column.
func TestUTF16WithoutBOMIsExplained(t *testing.T) {
	file, _ := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().Bytes(
		[]byte("registered_on;unit;category;role;age;residence_municipality;reported\n2021-02-03;baerum;violence;victim;14;Bærum;ja\n"))
	_, err := importBytes(t, mustOpenStore(t), file, importer.Options{})
	var errs importer.Errors
	if !errors.As(err, &errs) || len(errs) != 1 || !strings.Contains(errs[0], "UTF-16 uten byte order mark") {
		t.Errorf("UTF-16 without BOM: %v", err)
	}
}
