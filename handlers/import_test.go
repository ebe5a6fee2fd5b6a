package handlers_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

func upload(t *testing.T, app *testkit.App, c *testkit.Client, csv string) string {
	t.Helper()
	c.Get("/cases/import")
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("csrf_token", c.CSRF())
	fw, _ := w.CreateFormFile("file", "saker.csv")
	io.WriteString(fw, csv)
	w.Close()
	resp, err := c.HTTP.Post(app.URL+"/cases/import", w.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	c.Body, c.Resp = string(b), resp
	return c.Body
}

func TestImportPageChecksThenImports(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.SignIn(t, "politi")
	page := upload(t, app, c, "registered_on;unit;category;role;age;residence_municipality;reported\n2021-03-01;baerum;violence;victim;14;Bærum;ja\n2021-03-01;asker;violence;victim;44;Asker;ja\n")
	if c.Status() != http.StatusUnprocessableEntity || !strings.Contains(page, "row 3, column age") || !strings.Contains(page, "row 3, column unit") {
		t.Fatalf("bad file: %d\n%s", c.Status(), page)
	}
	page = upload(t, app, c, "registered_on;unit;category;role;age;residence_municipality;reported\n2021-03-01;baerum;violence;victim;14;Bærum;ja\n")
	if c.Status() != http.StatusOK || !strings.Contains(page, "1 sak er klar til import") {
		t.Fatalf("good file: %d", c.Status())
	}
	if cs, _ := app.Store.ListCases(context.Background(), tryggspor.Scope{All: true}, tryggspor.CaseFilter{}); len(cs) != 0 {
		t.Fatal("the check step wrote cases")
	}
	token := regexp.MustCompile(`name="token" value="([^"]+)"`).FindStringSubmatch(page)
	c.Post("/cases/import", url.Values{"confirm": {"yes"}, "token": {token[1]}})
	if c.Status() != http.StatusOK || !strings.Contains(c.Body, "1 sak er importert") {
		t.Fatalf("confirm: %d", c.Status())
	}
	if cs, _ := app.Store.ListCases(context.Background(), tryggspor.Scope{Unit: "baerum"}, tryggspor.CaseFilter{}); len(cs) != 1 {
		t.Errorf("%d cases after import", len(cs))
	}
}
