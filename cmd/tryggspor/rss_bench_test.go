package main

import (
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"tryggspor/internal/tryggspor"
)

// BenchmarkImportCheckPeakRSS measures the peak resident memory of a
// `tryggspor dev` process (its own process, so nothing of the client
// counts) that checks one 32 MiB spreadsheet on the import page and stages
// it, against the same process started and stopped without the upload. Run
// it alone (it ignores b.N):
//
//	go test ./cmd/tryggspor/ -run XXX -bench ImportCheckPeakRSS -benchtime 1x
//
// Peak RSS does not depend on the machine's speed; the figure is in
// docs/benchmarks.md (issue 17: ≤ 256 MB).
func BenchmarkImportCheckPeakRSS(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "tryggspor")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	idle := devPeakRSS(b, bin, filepath.Join(dir, "idle.db"), false)
	peak := devPeakRSS(b, bin, filepath.Join(dir, "check.db"), true)
	b.ReportMetric(float64(idle)/(1<<20), "idle-peak-MiB")
	b.ReportMetric(float64(peak)/(1<<20), "check-peak-MiB")
}

// devPeakRSS runs dev on db, optionally uploads a 32 MiB file for checking,
// stops it with SIGTERM and returns its peak RSS in bytes.
func devPeakRSS(b *testing.B, bin, db string, upload bool) int64 {
	b.Helper()
	addr := freeAddrB(b)
	dev := exec.Command(bin, "dev", "--addr", addr, "--db", db)
	if err := dev.Start(); err != nil {
		b.Fatal(err)
	}
	defer dev.Process.Kill()
	base := "http://" + addr
	for i := 0; ; i++ {
		if r, err := http.Get(base + "/healthz"); err == nil {
			r.Body.Close()
			break
		}
		if i == 1000 {
			b.Fatal("dev did not answer")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if upload {
		status, body := uploadStreamed(b, base, 32<<20)
		if status != http.StatusOK || !strings.Contains(body, `name="token"`) {
			b.Fatalf("the 32 MiB file was not checked and staged: %d %.300s", status, body)
		}
	}
	dev.Process.Signal(syscall.SIGTERM)
	if err := dev.Wait(); err != nil {
		b.Fatalf("dev: %v", err)
	}
	return dev.ProcessState.SysUsage().(*syscall.Rusage).Maxrss * 1024 // Linux: KiB
}

// uploadStreamed signs in as politi and posts a valid spreadsheet of about
// size bytes, generated as it is sent (the client holds none of it).
func uploadStreamed(b *testing.B, base string, size int) (int, string) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	if r, err := c.Get(base + "/login?login_hint=politi"); err != nil {
		b.Fatal(err)
	} else {
		r.Body.Close()
	}
	r, err := c.Get(base + "/cases/import")
	if err != nil {
		b.Fatal(err)
	}
	page, _ := io.ReadAll(r.Body)
	r.Body.Close()
	m := tokenRe.FindStringSubmatch(string(page))
	if m == nil {
		b.Fatal("no CSRF token on /cases/import")
	}
	pr, pw := io.Pipe()
	w := multipart.NewWriter(pw)
	go func() {
		w.WriteField("csrf_token", m[1])
		fw, _ := w.CreateFormFile("file", "stor.csv")
		day := tryggspor.FormatDate(tryggspor.Today(time.Now()).AddDate(0, 0, -10))
		notes := strings.Repeat("n", rssNotes)
		n, _ := io.WriteString(fw, "registered_on;unit;category;role;age;residence_municipality;reported;person_name;notes\n")
		for i := 0; ; i++ {
			row := fmt.Sprintf("%s;baerum;threats;victim;14;Bærum;yes;Person %d Nordmann;%s\n", day, i, notes)
			if n+len(row) > size {
				break
			}
			k, _ := io.WriteString(fw, row)
			n += k
		}
		pw.CloseWithError(w.Close())
	}()
	resp, err := c.Post(base+"/cases/import", w.FormDataContentType(), pr)
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, string(body)
}

// rssNotes is the notes length of the generated rows: long rows (about
// 12,000 cases in 32 MiB) by default; TRYGGSPOR_RSS_NOTES=10 gives short
// rows (about 450,000 cases).
var rssNotes = func() int {
	if n, err := strconv.Atoi(os.Getenv("TRYGGSPOR_RSS_NOTES")); err == nil && n >= 0 && n <= 2000 {
		return n
	}
	return 1900
}()
