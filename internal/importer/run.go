package importer

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	"tryggspor/internal/tryggspor"
)

// Store is what an import reads from and writes to (store.Store).
type Store interface {
	tryggspor.Auditor
	ListOrganisations(ctx context.Context) ([]tryggspor.Organisation, error)
	// ImportCases calls rows inside one write transaction; rows calls add for
	// each case. Everything is rolled back if any call fails. Unless again,
	// a file whose SHA-256 was recorded before is refused with a Conflict.
	ImportCases(ctx context.Context, sha256 string, again bool,
		rows func(add func(*tryggspor.Case, []tryggspor.Event) error) error, a tryggspor.AuditEntry) (int, error)
	// FileImported says when a file with this SHA-256 was last imported.
	FileImported(ctx context.Context, sha256 string) (at time.Time, ok bool, err error)
}

// Options say what ImportFile does besides checking.
type Options struct {
	// DryRun checks every row and reports, and writes nothing.
	DryRun bool
	// Again imports a file even though a file with the same content (SHA-256)
	// was imported before; without it such a file is refused with a Conflict.
	Again bool
	// Places are the residences a row may have (nil: the official list
	// with the default extras).
	Places tryggspor.Places
}

// Result describes a checked or imported file.
type Result struct {
	Cases    int    // rows checked (dry run) or cases imported
	Encoding string // how the file was read: EncodingUTF8, EncodingUTF16, EncodingWindows1252 or EncodingXLSX
	SHA256   string // hex SHA-256 of the file's bytes
	// ImportedBefore is when a file with the same SHA-256 was last imported;
	// zero when never.
	ImportedBefore time.Time
}

// ImportFile checks the spreadsheet file r of size bytes (CSV or .xlsx) and,
// unless opt.DryRun, imports it. r is read three times from the start, never
// held whole: to hash it and find its encoding, to check every row (every
// error is collected, and nothing is written if there is one), and inside one
// write transaction to write the cases in chunks, checking each row again; if
// anything fails there, or the file changed since it was checked, the whole
// import is rolled back.
//
// An officer may import into their own unit only; the system (the command
// line) into any unit. Row errors come back as Errors; a file imported before
// without opt.Again as a Conflict (tryggspor.ErrorKind). The Result is filled
// in as far as the import got (Encoding and SHA256 even when rows are bad).
func ImportFile(ctx context.Context, st Store, a tryggspor.Actor, r io.ReaderAt, size int64, opt Options, now time.Time) (Result, error) {
	var res Result
	allow, err := allowUnits(a)
	if err != nil {
		return res, tryggspor.Deny(ctx, st, tryggspor.NewEntry(a, tryggspor.ActCaseImport, "", ""), err)
	}
	orgs, err := st.ListOrganisations(ctx)
	if err != nil {
		return res, fmt.Errorf("import: %w", err)
	}
	if res.SHA256, res.Encoding, err = survey(r, size); err != nil {
		return res, err
	}
	if res.ImportedBefore, _, err = st.FileImported(ctx, res.SHA256); err != nil {
		return res, err
	}
	today := tryggspor.Today(now)
	err = scan(io.NewSectionReader(r, 0, size), res.Encoding, newParser(orgs, allow, today, opt.Places), func(Row) error {
		res.Cases++
		return ctx.Err()
	})
	if err != nil || opt.DryRun {
		return res, err
	}
	checked := res.Cases
	entry := tryggspor.NewEntry(a, tryggspor.ActCaseImport, "", "").With(tryggspor.Det(tryggspor.DetCases, checked))
	if a.IsSystem() {
		entry = entry.For(tryggspor.PurposeImport)
	}
	n, err := st.ImportCases(ctx, res.SHA256, opt.Again, func(add func(*tryggspor.Case, []tryggspor.Event) error) error {
		return write(ctx, r, size, res, newParser(orgs, allow, today, opt.Places), a, now, checked, add)
	}, entry)
	if err != nil {
		return res, fmt.Errorf("import: %w", err)
	}
	res.Cases = n
	return res, nil
}

// write is the second reading, inside the write transaction: every row is
// checked again and handed to add. A file that is not the one checked (its
// hash or its number of rows differ) fails the import.
func write(ctx context.Context, r io.ReaderAt, size int64, res Result, p *parser, a tryggspor.Actor, now time.Time,
	checked int, add func(*tryggspor.Case, []tryggspor.Event) error) error {
	h := newHashReader(io.NewSectionReader(r, 0, size))
	n := 0
	err := scan(h, res.Encoding, p, func(row Row) error {
		c := row.Case
		c.CreatedBy, c.CreatedAt = a.UserID, now
		for j := range row.Events {
			row.Events[j].ActorID = a.UserID
			if row.Events[j].ActorRole == tryggspor.RoleOfficer && a.UserID != 0 {
				row.Events[j].ActorName = a.Name
			}
		}
		n++
		if n%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		return add(&c, row.Events)
	})
	if err != nil {
		return err
	}
	if sum, err := h.sum(); err != nil {
		return err
	} else if sum != res.SHA256 || n != checked {
		return fmt.Errorf("the file changed while it was imported; nothing imported")
	}
	return nil
}

// Import checks a whole file held in r and, unless dryRun, writes every case
// in one transaction, as ImportFile does (a file imported before is imported
// again). It returns the number of cases. It reads r into memory: use
// ImportFile for files of any size.
func Import(ctx context.Context, st Store, a tryggspor.Actor, r io.Reader, dryRun bool, now time.Time) (int, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return 0, err
	}
	res, err := ImportFile(ctx, st, a, bytes.NewReader(data), int64(len(data)), Options{DryRun: dryRun, Again: true}, now)
	return res.Cases, err
}

func allowUnits(a tryggspor.Actor) (func(string) bool, error) {
	switch {
	case a.IsSystem():
		return nil, nil
	case a.Role == tryggspor.RoleOfficer:
		return func(unit string) bool { return unit == a.Org }, nil
	}
	return nil, tryggspor.Forbidden("Bare politiets forebyggere kan importere saker.")
}

// Stager keeps a checked file for its uploader until the import is confirmed
// (store.Store: encrypted in chunks, one use, an hour at most, within the
// limits it is given).
type Stager interface {
	StageRoom(ctx context.Context, userID, size int64, perUser int, total int64) error
	StageImport(ctx context.Context, userID int64, name string, r io.ReaderAt, size int64, perUser int, total int64) (string, error)
	TakeStagedImport(ctx context.Context, userID int64, token string) (string, []byte, error)
	DiscardStagedImports(ctx context.Context, userID int64) (int, error)
}

// Staging quotas: a checked file waits in the database (encrypted) until it
// is confirmed or an hour has passed, so an officer who checks files and
// never confirms them could otherwise fill the disk. Two files per user
// (check one, correct it, check again) and 128 MiB in all (four officers
// with the largest files at once) bound the database's growth by staging
// to 128 MiB, whatever anyone uploads.
const (
	StagedPerUser = 2
	StagedTotal   = 128 << 20
)

// Service is the import use case for the web page: check a file, then
// confirm it. Both steps decide permission (officers, own unit only) through
// ImportFile. The checked file waits server-side, encrypted, under a token
// that works once: the browser does not send it twice, and reloading the
// confirmation cannot import it twice.
type Service struct {
	Store interface {
		Store
		Stager
	}
	Now    func() time.Time
	Places tryggspor.Places // the deployment's residences (nil: the official list)
}

// Checked is a checked file waiting for confirmation.
type Checked struct {
	Result
	Name  string
	Token string // confirms the import; "" when the file has errors
}

// File imports a spreadsheet file for the command line: ImportFile with
// the service's store, clock and residences.
func (s *Service) File(ctx context.Context, a tryggspor.Actor, r io.ReaderAt, size int64, opt Options) (Result, error) {
	if opt.Places == nil {
		opt.Places = s.Places
	}
	return ImportFile(ctx, s.Store, a, r, size, opt, s.Now())
}

// Check checks every row of the uploaded file (r, size bytes, read as it
// is: never copied whole) and writes no case; a file without errors is
// staged for confirmation. A file that could not be staged (the officer
// already has StagedPerUser files waiting, or StagedTotal is full) is
// refused with a Limit error before it is read, and the refusal audited.
func (s *Service) Check(ctx context.Context, a tryggspor.Actor, name string, r io.ReaderAt, size int64) (Checked, error) {
	c := Checked{Name: name}
	if err := s.Store.StageRoom(ctx, a.UserID, size, StagedPerUser, StagedTotal); err != nil {
		if tryggspor.ErrorKind(err) == tryggspor.KindLimit {
			return c, tryggspor.Deny(ctx, s.Store, tryggspor.NewEntry(a, tryggspor.ActCaseImport, "", ""), err)
		}
		return c, err
	}
	res, err := ImportFile(ctx, s.Store, a, r, size, Options{DryRun: true, Places: s.Places}, s.Now())
	c.Result = res
	if err != nil {
		return c, err
	}
	c.Token, err = s.Store.StageImport(ctx, a.UserID, name, r, size, StagedPerUser, StagedTotal)
	if tryggspor.ErrorKind(err) == tryggspor.KindLimit {
		return c, tryggspor.Deny(ctx, s.Store, tryggspor.NewEntry(a, tryggspor.ActCaseImport, "", ""), err)
	}
	return c, err
}

// Discard removes the files the officer has waiting for confirmation.
func (s *Service) Discard(ctx context.Context, a tryggspor.Actor) (int, error) {
	if _, err := allowUnits(a); err != nil {
		return 0, tryggspor.Deny(ctx, s.Store, tryggspor.NewEntry(a, tryggspor.ActCaseImport, "", ""), err)
	}
	n, err := s.Store.DiscardStagedImports(ctx, a.UserID)
	if err != nil {
		return 0, err
	}
	return n, s.Store.Audit(ctx, tryggspor.NewEntry(a, tryggspor.ActCaseImport, "", fmt.Sprintf("forkastet %d kontrollerte filer", n)))
}

// Commit imports the file staged under token, checking it again, or nothing.
// A file imported before is refused with a Conflict unless again; it is then
// staged afresh, under the returned Checked's token, for the officer to
// confirm deliberately.
func (s *Service) Commit(ctx context.Context, a tryggspor.Actor, token string, again bool) (Checked, error) {
	name, data, err := s.Store.TakeStagedImport(ctx, a.UserID, token)
	if err != nil {
		return Checked{}, err
	}
	res, err := ImportFile(ctx, s.Store, a, bytes.NewReader(data), int64(len(data)), Options{Again: again, Places: s.Places}, s.Now())
	c := Checked{Result: res, Name: name}
	if tryggspor.ErrorKind(err) == tryggspor.KindConflict {
		var serr error
		if c.ImportedBefore, _, serr = s.Store.FileImported(ctx, res.SHA256); serr != nil {
			return c, serr
		}
		if c.Token, serr = s.Store.StageImport(ctx, a.UserID, name, bytes.NewReader(data), int64(len(data)), StagedPerUser, StagedTotal); serr != nil {
			return c, serr
		}
	}
	return c, err
}
