package importer_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"tryggspor/internal/importer"
	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// BenchmarkImportLarge imports a 500,000-row CSV with personal fields (about
// 70 MB, the size that once peaked at 3.94 GB) from a file on disk through
// ImportFile, as the command line does, into an empty database. It reports
// the process's peak resident memory during the import (VmHWM, reset just
// before it) and the file's size. Run it alone:
//
//	go test ./internal/importer/ -run XXX -bench ImportLarge -benchtime 1x
func BenchmarkImportLarge(b *testing.B) {
	const rows = 500000
	path := filepath.Join(b.TempDir(), "large.csv")
	size := writeLargeCSV(b, path, rows)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st, _ := testkit.MustOpenStore(b, time.Now)
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		resetPeakRSS(b)
		b.StartTimer()
		res, err := importer.ImportFile(context.Background(), st, tryggspor.System("bench"), f, size, importer.Options{}, time.Now())
		if err != nil || res.Cases != rows {
			b.Fatalf("imported %d: %v", res.Cases, err)
		}
		b.StopTimer()
		f.Close()
		b.ReportMetric(peakRSSMB(b), "peak-RSS-MB")
	}
	b.ReportMetric(float64(size)/1e6, "file-MB")
}

// writeLargeCSV writes rows of the kind the issue measured: Excel's ';',
// DD.MM.YYYY dates, a name, birth date, guardian, phone and a note per row.
func writeLargeCSV(b *testing.B, path string, rows int) int64 {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("registered_on;unit;category;role;age;residence_municipality;reported;outcome;outcome_on;handover_to;handover_on;person_name;birth_date;guardian_name;guardian_phone;notes\n")
	for i := 0; i < rows; i++ {
		reg := time.Date(2016+i%10, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%360)
		outcome := []string{"conversation", "declined", "no_response", ""}[i%4]
		on, dest, hon := "", "", ""
		if outcome != "" {
			on = reg.AddDate(0, 0, 5).Format("02.01.2006")
		}
		if outcome == "conversation" && i%40 == 0 {
			dest, hon = "barnehuset-oslo", on
		}
		age := 8 + i%10
		fmt.Fprintf(w, "%s;%s;%s;victim;%d;%s;ja;%s;%s;%s;%s;Person Ås %d;%s;Foresatt %d;+47 900 %05d;Notat %d\n",
			reg.Format("02.01.2006"), []string{"baerum", "asker", "majorstua"}[i%3], tryggspor.Categories[i%6], age,
			[]string{"Bærum", "Asker", "Oslo"}[i%3], outcome, on, dest, hon, i,
			reg.AddDate(-age, 0, -1).Format("02.01.2006"), i, i%100000, i)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	fi, err := f.Stat()
	if err != nil {
		b.Fatal(err)
	}
	f.Close()
	return fi.Size()
}

// resetPeakRSS sets VmHWM back to the current resident size (Linux).
func resetPeakRSS(b *testing.B) {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Logf("cannot reset the peak RSS (%v): it then covers the whole process", err)
	}
}

// peakRSSMB reads VmHWM, the peak resident set size, in MB.
func peakRSSMB(b *testing.B) float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			if err != nil {
				b.Fatal(err)
			}
			return float64(kb) * 1024 / 1e6
		}
	}
	b.Fatal("no VmHWM in /proc/self/status")
	return 0
}
