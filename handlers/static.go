package handlers

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/labstack/echo/v4"

	"tryggspor/static"
)

// asset is one embedded public file with its fingerprinted name and its
// compressed forms, made on first request (brotli at its best level takes a
// quarter of a second for Designsystemet's stylesheet, once per process).
type asset struct {
	name        string // "designsystemet/theme.css"
	hashed      string // "designsystemet/theme.3f2a9c1b.css"
	etag        string
	contentType string
	body        []byte
	once        sync.Once
	br, gz      []byte
}

// assets indexes the embedded files by logical and by fingerprinted name. The
// files are compiled in, so the index is made once per process.
type assets struct {
	byName, byHashed map[string]*asset
}

var loadAssets = sync.OnceValues(func() (*assets, error) { return indexAssets(static.FS) })

func indexAssets(fsys fs.FS) (*assets, error) {
	a := &assets{byName: map[string]*asset{}, byHashed: map[string]*asset{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) == ".go" {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		h := hex.EncodeToString(sum[:4])
		ext := path.Ext(p)
		hashed := strings.TrimSuffix(p, ext) + "." + h + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = http.DetectContentType(body)
		}
		as := &asset{name: p, hashed: hashed, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, contentType: ct, body: body}
		a.byName[p], a.byHashed[hashed] = as, as
		return nil
	})
	return a, err
}

// URL is the fingerprinted URL of a logical asset name, for templates
// ({{asset "app.css"}}): a name that is not embedded is an error, so a
// mistyped asset fails the page rather than loading nothing.
func (a *assets) URL(name string) (string, error) {
	as, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("asset %q is not embedded in package static", name)
	}
	return "/static/" + as.hashed, nil
}

// compressible says whether compressing a content type pays: text, not
// images already compressed or zip archives (XLSX).
func compressible(ct string) bool {
	ct, _, _ = strings.Cut(ct, ";")
	return strings.HasPrefix(ct, "text/") || ct == "application/json" || ct == "image/svg+xml" ||
		ct == "application/javascript" || ct == "image/x-icon" || ct == "image/vnd.microsoft.icon"
}

func (as *asset) compress() {
	as.once.Do(func() {
		var b bytes.Buffer
		bw := brotli.NewWriterLevel(&b, brotli.BestCompression)
		_, _ = bw.Write(as.body)
		_ = bw.Close()
		as.br = bytes.Clone(b.Bytes())
		b.Reset()
		gw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		_, _ = gw.Write(as.body)
		_ = gw.Close()
		as.gz = bytes.Clone(b.Bytes())
	})
}

// serve writes the asset in the best encoding the client accepts (brotli,
// gzip, none), answering a matching If-None-Match with 304.
func (as *asset) serve(w http.ResponseWriter, r *http.Request, cacheControl string) {
	hd := w.Header()
	hd.Set("Cache-Control", cacheControl)
	hd.Set("Content-Type", as.contentType)
	body, etag := as.body, as.etag
	if compressible(as.contentType) {
		hd.Add("Vary", "Accept-Encoding")
		if enc := negotiate(r.Header.Get("Accept-Encoding")); enc != "" {
			as.compress()
			body = as.gz
			if enc == "br" {
				body = as.br
			}
			if len(body) < len(as.body) {
				hd.Set("Content-Encoding", enc)
				etag = strings.TrimSuffix(etag, `"`) + "-" + enc + `"`
			} else {
				body = as.body
			}
		}
	}
	hd.Set("ETag", etag)
	if inm := r.Header.Get("If-None-Match"); inm != "" && strings.Contains(inm, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	hd.Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

const (
	// immutable is for fingerprinted URLs: the content of a URL never
	// changes, so a browser keeps it a year without asking again.
	immutable = "public, max-age=31536000, immutable"
	// revalidate is for the plain names (kept for the dev provider's page
	// and old links): cached, but checked with the ETag each time.
	revalidate = "public, no-cache"
)

// static serves the embedded public assets (CSS, images). They hold no data,
// so they may be cached: for a year under their fingerprinted names, which
// change when the content does.
func (h *Handler) static(c echo.Context) error {
	a, err := loadAssets()
	if err != nil {
		return err
	}
	name := c.Param("*")
	if as, ok := a.byHashed[name]; ok {
		as.serve(c.Response(), c.Request(), immutable)
		return nil
	}
	if as, ok := a.byName[name]; ok {
		as.serve(c.Response(), c.Request(), revalidate)
		return nil
	}
	return echo.ErrNotFound
}

// favicon answers browsers that ask for /favicon.ico before (or without)
// reading the page's icon link.
func (h *Handler) favicon(c echo.Context) error {
	a, err := loadAssets()
	if err != nil {
		return err
	}
	as, ok := a.byName["favicon.ico"]
	if !ok {
		return echo.ErrNotFound
	}
	as.serve(c.Response(), c.Request(), "public, max-age=86400")
	return nil
}
