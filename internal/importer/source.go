package importer

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// The encodings a Result names, as the import page shows them.
const (
	EncodingUTF8        = "UTF-8"
	EncodingUTF16       = "UTF-16"
	EncodingWindows1252 = "Windows-1252"
	EncodingXLSX        = "Excel (.xlsx)"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
	zipMagic   = []byte("PK\x03\x04")
)

// maxXLSXUnzipped bounds what an .xlsx may unpack to, so a zip bomb is refused
// instead of filling memory or the temporary directory.
const maxXLSXUnzipped = 1 << 30

// survey reads the whole file once and returns its SHA-256 (hex) and its
// encoding: an .xlsx by its zip signature; a byte order mark decides UTF-8 or
// UTF-16; otherwise a file that is valid UTF-8 throughout is UTF-8 and any
// other is taken as Windows-1252 (what Excel writes as "CSV" on a Norwegian
// Windows).
func survey(r io.ReaderAt, size int64) (sum, enc string, err error) {
	h := sha256.New()
	buf := make([]byte, 3+64<<10)
	sr := io.NewSectionReader(r, 0, size)
	var head []byte
	valid, carry := true, 0
	for {
		n, rerr := sr.Read(buf[carry:])
		h.Write(buf[carry : carry+n])
		if len(head) < 4 {
			head = append(head, buf[carry:carry+min(n, 4-len(head))]...)
		}
		b := buf[:carry+n]
		// A rune cut at the end of the buffer is carried into the next read.
		cut := len(b)
		for j := len(b) - 1; j >= 0 && j >= len(b)-3; j-- {
			if utf8.RuneStart(b[j]) {
				if !utf8.FullRune(b[j:]) {
					cut = j
				}
				break
			}
		}
		if valid && !utf8.Valid(b[:cut]) {
			valid = false
		}
		carry = copy(buf, b[cut:])
		if rerr == io.EOF {
			break
		} else if rerr != nil {
			return "", "", fmt.Errorf("read the file: %w", rerr)
		}
	}
	sum = hex.EncodeToString(h.Sum(nil))
	switch {
	case bytes.HasPrefix(head, zipMagic):
		return sum, EncodingXLSX, nil
	case bytes.HasPrefix(head, bomUTF8):
		return sum, EncodingUTF8, nil
	case bytes.HasPrefix(head, bomUTF16LE), bytes.HasPrefix(head, bomUTF16BE):
		return sum, EncodingUTF16, nil
	case valid && carry == 0:
		return sum, EncodingUTF8, nil
	}
	return sum, EncodingWindows1252, nil
}

// records reads a spreadsheet one row at a time. line is the row number a
// spreadsheet shows (the header is row 1); the slice is only valid until the
// next call.
type records interface {
	next() (line int, rec []string, err error)
	close() error
	// serialDates tells whether date cells may hold spreadsheet serial numbers.
	serialDates() bool
}

// open starts reading r, of the encoding survey found, from the beginning.
func open(r io.Reader, enc string) (records, error) {
	switch enc {
	case EncodingXLSX:
		return openXLSX(r)
	case EncodingUTF16:
		// ExpectBOM: the mark decides little or big endian, and is removed.
		r = transform.NewReader(r, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder())
	case EncodingWindows1252:
		r = transform.NewReader(r, charmap.Windows1252.NewDecoder())
	}
	br := bufio.NewReaderSize(r, 64<<10)
	if b, _ := br.Peek(3); bytes.Equal(b, bomUTF8) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	// Excel in Norway separates with ';': whichever is more common in the
	// header line wins.
	peek, _ := br.Peek(br.Size())
	first, _, _ := bytes.Cut(peek, []byte("\n"))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true
	return &csvRecords{cr: cr}, nil
}

type csvRecords struct {
	cr   *csv.Reader
	line int
}

func (c *csvRecords) next() (int, []string, error) {
	rec, err := c.cr.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return 0, nil, Errors{fmt.Sprintf("row %d, column %d: %v", pe.StartLine, pe.Column, pe.Err)}
		}
		return 0, nil, err
	}
	c.line++
	return c.line, rec, nil
}

func (c *csvRecords) close() error      { return nil }
func (c *csvRecords) serialDates() bool { return false }

type xlsxRecords struct {
	f    *excelize.File
	rows *excelize.Rows
	line int
}

// openXLSX reads the first sheet of a workbook. excelize holds the zipped
// file in memory and streams the sheet's rows from it (a sheet larger than
// its limit is unzipped to a temporary file that close removes).
func openXLSX(r io.Reader) (records, error) {
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: maxXLSXUnzipped})
	if err != nil {
		return nil, Errors{"row 1, column -: kan ikke lese Excel-filen (" + err.Error() + ")"}
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, Errors{"row 1, column -: Excel-filen har ingen ark"}
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("read sheet %q: %w", sheets[0], err)
	}
	return &xlsxRecords{f: f, rows: rows}, nil
}

func (x *xlsxRecords) next() (int, []string, error) {
	if !x.rows.Next() {
		if err := x.rows.Error(); err != nil {
			return 0, nil, fmt.Errorf("read sheet: %w", err)
		}
		return 0, nil, io.EOF
	}
	x.line++
	// Raw values: a date cell gives its serial number whatever its display
	// format, and the parser converts it; a formatted value would follow the
	// sheet's locale.
	rec, err := x.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return 0, nil, fmt.Errorf("read sheet row %d: %w", x.line, err)
	}
	return x.line, rec, nil
}

func (x *xlsxRecords) close() error {
	return errors.Join(x.rows.Close(), x.f.Close())
}

func (x *xlsxRecords) serialDates() bool { return true }

// serialDate turns a spreadsheet date serial number ("44230") into
// YYYY-MM-DD; other values are returned unchanged.
func serialDate(s string) string {
	if s == "" || strings.ContainsAny(s, "-./") {
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 1 || f > 2958465 {
		return s
	}
	t, err := excelize.ExcelDateToTime(f, false)
	if err != nil {
		return s
	}
	return t.Format("2006-01-02")
}

// hashReader hashes what is read through it, and what is left unread when
// sum is called, so the sum is of the whole file whatever the parser read.
type hashReader struct {
	r io.Reader
	h hash.Hash
}

func newHashReader(r io.Reader) *hashReader { return &hashReader{r: r, h: sha256.New()} }

func (h *hashReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.h.Write(p[:n])
	return n, err
}

func (h *hashReader) sum() (string, error) {
	if _, err := io.Copy(h.h, h.r); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.h.Sum(nil)), nil
}
