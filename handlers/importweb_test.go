package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

const importHeader = "registered_on;unit;category;role;age;residence_municipality;reported;person_name;notes\n"

// uploadFile posts a file to the import page as a browser does.
func uploadFile(t *testing.T, app *testkit.App, c *testkit.Client, name string, data []byte) {
	t.Helper()
	c.Get("/cases/import")
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("csrf_token", c.CSRF())
	fw, _ := w.CreateFormFile("file", name)
	fw.Write(data)
	w.Close()
	resp, err := c.HTTP.Post(app.URL+"/cases/import", w.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	c.Body, c.Resp = string(b), resp
}

var tokenRe = regexp.MustCompile(`name="token" value="([^"]+)"`)

func confirmImport(t *testing.T, c *testkit.Client, extra url.Values) {
	t.Helper()
	m := tokenRe.FindStringSubmatch(c.Body)
	if m == nil {
		t.Fatalf("no confirmation on the page (%d): %.500s", c.Status(), c.Body)
	}
	form := url.Values{"confirm": {"yes"}, "token": {m[1]}}
	for k, v := range extra {
		form[k] = v
	}
	c.Post("/cases/import", form)
}

func countCases(t *testing.T, app *testkit.App) int {
	t.Helper()
	counts, err := app.Store.SummaryCounts(context.Background(), 2026, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	return counts.Total
}

// bigCSV is a spreadsheet of about size bytes: rows with long notes.
func bigCSV(size int) ([]byte, int) {
	var b bytes.Buffer
	b.WriteString(importHeader)
	note := strings.Repeat("Notat om oppfølging. ", 95) // ~2,000 characters
	n := 0
	for b.Len() < size {
		n++
		fmt.Fprintf(&b, "2026-03-%02d;baerum;threats;victim;%d;Bærum;nei;Person %d;%s\n", 1+n%28, 10+n%8, n, note)
	}
	return b.Bytes(), n
}

// TestWebImportOfA20MBFileImportsEveryRow: a 20 MB spreadsheet is checked
// and imported whole through the page — no silent truncation at any limit.
func TestWebImportOfA20MBFileImportsEveryRow(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.SignIn(t, "politi")
	data, rows := bigCSV(20 << 20)
	uploadFile(t, app, c, "stor.csv", data)
	if c.Status() != http.StatusOK || !strings.Contains(c.Body, fmt.Sprintf("%s saker er klare", thin(rows))) {
		t.Fatalf("20 MB file: %d, want %d rows ready: %.400s", c.Status(), rows, c.Body)
	}
	confirmImport(t, c, nil)
	if got := countCases(t, app); got != rows {
		t.Fatalf("%d cases imported from a file of %d rows", got, rows)
	}
}

// thin writes n as the pages do (thin spaces between thousands).
func thin(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "\u202f" + s[i:]
	}
	return s
}

// TestWebImportOver32MBIsRefusedWithTheLimit: a 40 MB upload gets a 413 page
// naming the limit, is audited as too large (not as a form expiry), and
// writes nothing.
func TestWebImportOver32MBIsRefusedWithTheLimit(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.SignIn(t, "politi")
	data, _ := bigCSV(40 << 20)
	uploadFile(t, app, c, "for-stor.csv", data)
	if c.Status() != http.StatusRequestEntityTooLarge || !strings.Contains(c.Body, "32 MB") || !strings.Contains(c.Body, "Filen er for stor") {
		t.Fatalf("40 MB file: %d: %.400s", c.Status(), c.Body)
	}
	if n := countCases(t, app); n != 0 {
		t.Fatalf("%d cases written from a refused file", n)
	}
	recs, _ := app.Store.ListAudit(context.Background(), "", 10)
	for _, r := range recs {
		if r.Entry.Action == tryggspor.ActCSRFDenied {
			t.Errorf("a too large file was audited as a CSRF refusal")
		}
	}
}

// TestImportResultReloadAndResubmitImportNothing: the result page is reached
// by redirect, so reloading it imports nothing; sending the confirmation
// again (the back button) finds its token used; the same file uploaded again
// needs a deliberate second confirmation.
func TestImportResultReloadAndResubmitImportNothing(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.SignIn(t, "politi")
	file := []byte(importHeader + "2026-03-01;baerum;violence;victim;14;Bærum;ja;Kari;\n2026-03-02;baerum;robbery;victim;15;Bærum;nei;Ola;\n")
	uploadFile(t, app, c, "saker.csv", file)
	m := tokenRe.FindStringSubmatch(c.Body)
	confirmImport(t, c, nil)
	if c.Resp.Request.Method != http.MethodGet || !strings.Contains(c.Body, "2 saker er importert") {
		t.Fatalf("confirm did not end on a GET result page: %s %d", c.Resp.Request.Method, c.Status())
	}
	c.Get(c.Resp.Request.URL.RequestURI()) // reload
	c.Post("/cases/import", url.Values{"confirm": {"yes"}, "token": {m[1]}})
	if c.Status() != http.StatusConflict || !strings.Contains(c.Body, "Last opp filen på nytt") {
		t.Errorf("resubmitted confirmation: %d", c.Status())
	}
	if n := countCases(t, app); n != 2 {
		t.Fatalf("%d cases after reload and resubmit, want 2", n)
	}
	uploadFile(t, app, c, "saker.csv", file)
	if !strings.Contains(c.Body, "Den samme filen er importert før") || !strings.Contains(c.Body, `name="again"`) {
		t.Fatalf("the same file again was not noticed: %.500s", c.Body)
	}
	confirmImport(t, c, nil) // without ticking "again"
	if n := countCases(t, app); n != 2 || c.Status() != http.StatusConflict {
		t.Fatalf("the same file imported again without the deliberate confirmation: %d cases, %d", n, c.Status())
	}
	confirmImport(t, c, url.Values{"again": {"yes"}})
	if n := countCases(t, app); n != 4 {
		t.Fatalf("%d cases after a deliberate second import, want 4", n)
	}
}

// TestWebImportReadsExcelFiles: a Windows-1252 CSV as Excel writes it is
// read as such (the page says so) and Bærum is counted with the UTF-8 rows;
// an .xlsx with the same rows imports the same cases.
func TestWebImportReadsExcelFiles(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.SignIn(t, "politi")
	cp1252 := []byte("registered_on;unit;category;role;age;residence_municipality;reported\r\n2026-03-01;baerum;violence;victim;14;B\xe6rum;ja\r\n")
	uploadFile(t, app, c, "excel.csv", cp1252)
	if !strings.Contains(c.Body, "Windows-1252") {
		t.Fatalf("the page does not say the file was read as Windows-1252: %.400s", c.Body)
	}
	confirmImport(t, c, nil)
	uploadFile(t, app, c, "utf8.csv", []byte("registered_on;unit;category;role;age;residence_municipality;reported\n2026-03-02;baerum;violence;victim;13;Bærum;nei\n"))
	confirmImport(t, c, nil)
	x := excelize.NewFile()
	for i, row := range [][]any{{"registered_on", "unit", "category", "role", "age", "residence_municipality", "reported"},
		{"2026-03-03", "baerum", "threats", "victim", 15, "Bærum", "ja"}} {
		x.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &row)
	}
	var xb bytes.Buffer
	x.Write(&xb)
	uploadFile(t, app, c, "saker.xlsx", xb.Bytes())
	if !strings.Contains(c.Body, "Excel") {
		t.Fatalf("xlsx: %d %.400s", c.Status(), c.Body)
	}
	confirmImport(t, c, nil)
	counts, err := app.Store.SummaryCounts(context.Background(), 2026, []string{"baerum"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if counts.Residence["Bærum"] != 3 || len(counts.Residence) != 1 {
		t.Errorf("residences after three files: %v, want Bærum 3", counts.Residence)
	}
}

// TestImportErrorsInEnglish: with English chosen, a row error whose message
// comes from the register form's rules reads in English.
func TestImportErrorsInEnglish(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.SignIn(t, "politi")
	c.Get("/cases/import?lang=en")
	uploadFile(t, app, c, "feil.csv", []byte("registered_on;unit;category;role;age;residence_municipality;reported\n2026-03-01;baerum;;victim;14;Bærum;ja\n"))
	body := visibleText(c.Body)
	if !strings.Contains(body, "row 2, column category:") || strings.Contains(body, "Velg en kategori") {
		t.Fatalf("the row error is not in English: %.600s", body)
	}
}

// TestEnglishImportAndErrorPagesHaveNoBokmål: with English chosen, the
// import page and an error page read in English.
func TestEnglishImportAndErrorPagesHaveNoBokmål(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.SignIn(t, "politi")
	c.Get("/cases?lang=en")
	bokmål := regexp.MustCompile(`\b(Saken|saker|Siden|finnes ikke|Last opp|Kontroller filen|Velg|Regneark|Største|Tilbake|tilgang|Hopp til)\b`)
	for _, path := range []string{"/cases/import", "/cases/0000000000000000000000000000", "/no-such-page"} {
		c.Get(path)
		if m := bokmål.FindString(visibleText(c.Body)); m != "" {
			t.Errorf("%s in English shows the bokmål %q", path, m)
		}
	}
}
