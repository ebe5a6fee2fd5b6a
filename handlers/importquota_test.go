package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"tryggspor/internal/importer"
	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// bigImport is a valid spreadsheet of about size bytes for Bærum: rows with
// long notes, so that 32 MiB is some twelve thousand cases.
func bigImport(size int) []byte {
	var b bytes.Buffer
	b.WriteString(importHeader)
	notes := strings.Repeat("n", 1900)
	for i := 0; ; i++ {
		row := fmt.Sprintf("%s;baerum;threats;victim;14;Bærum;yes;Person %d Nordmann;%s\n", day(10), i, notes)
		if b.Len()+len(row) > size {
			return b.Bytes()
		}
		b.WriteString(row)
	}
}

// TestStagedImportsHaveAQuota is issue 17's disk filler: nine 32 MiB uploads
// by one officer, checked and never confirmed. The first two are checked and
// wait; the third and every later one is refused with 429 and a page naming
// the limit (and audited), before the file is checked; the database grows by
// no more than the two waiting files; an hour later the periodic purge has
// removed them without any new upload; the officer can discard waiting
// files to make room at once.
func TestStagedImportsHaveAQuota(t *testing.T) {
	app := testkit.NewApp(t)
	ctx := context.Background()
	officer := app.SignIn(t, "politi")
	data := bigImport(32 << 20)
	dbSize := func() int64 {
		t.Helper()
		if err := app.Store.Checkpoint(ctx); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(app.DBPath)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := dbSize()
	for i := 1; i <= 9; i++ {
		uploadFile(t, app, officer, fmt.Sprintf("stor-%d.csv", i), data)
		switch {
		case i <= 2 && (officer.Status() != http.StatusOK || !tokenRe.MatchString(officer.Body)):
			t.Fatalf("upload %d: %d, want the confirmation: %.300s", i, officer.Status(), visibleText(officer.Body))
		case i > 2 && (officer.Status() != http.StatusTooManyRequests || !strings.Contains(visibleText(officer.Body), "høyst 2 kan vente per bruker")):
			t.Fatalf("upload %d: %d, want 429 naming the limit: %.300s", i, officer.Status(), visibleText(officer.Body))
		}
	}
	grew := dbSize() - before
	t.Logf("database grew by %.1f MiB for nine %.1f MiB uploads", float64(grew)/(1<<20), float64(len(data))/(1<<20))
	if quota := int64(importer.StagedPerUser) * int64(len(data)) * 105 / 100; grew > quota {
		t.Errorf("the database grew by %d bytes; the quota allows %d", grew, quota)
	}
	refused, _, _ := app.Store.SearchAudit(ctx, tryggspor.AuditFilter{Action: tryggspor.ActCaseImport, Outcome: tryggspor.OutcomeDenied})
	if len(refused) != 7 {
		t.Errorf("%d refused uploads audited, want 7", len(refused))
	}

	app.Clock.T = app.Clock.T.Add(61 * time.Minute)
	if err := app.Store.PurgeSessions(ctx); err != nil { // the periodic job (serve: every 10 minutes)
		t.Fatal(err)
	}
	if n, size, err := app.Store.StagedImports(ctx); err != nil || n != 0 || size != 0 {
		t.Fatalf("an hour later, with no upload, %d staged files (%d bytes) remain: %v", n, size, err)
	}
	officer = app.SignIn(t, "politi")

	small := bigImport(64 << 10)
	for range 2 {
		uploadFile(t, app, officer, "liten.csv", small)
	}
	uploadFile(t, app, officer, "liten.csv", small)
	if officer.Status() != http.StatusTooManyRequests || !strings.Contains(officer.Body, `name="discard"`) {
		t.Fatalf("the refusal offers no way to discard the waiting files: %d", officer.Status())
	}
	officer.Post("/cases/import", url.Values{"discard": {"yes"}})
	if officer.Status() != http.StatusOK || !strings.Contains(visibleText(officer.Body), "er forkastet: 2") {
		t.Fatalf("discard: %d %.300s", officer.Status(), visibleText(officer.Body))
	}
	uploadFile(t, app, officer, "liten.csv", small)
	if officer.Status() != http.StatusOK || !tokenRe.MatchString(officer.Body) {
		t.Fatalf("after discarding, an upload is still refused: %d", officer.Status())
	}
	confirmImport(t, officer, nil)
	if officer.Status() != http.StatusOK || !strings.Contains(officer.Path(), "/cases/import") {
		t.Errorf("confirming a staged file after the quota work: %d at %s", officer.Status(), officer.Path())
	}
}
