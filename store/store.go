// Package store keeps Tryggspor's data in one SQLite file: organisations,
// users, cases with their append-only event timelines, sessions and the
// hash-chained audit log. Personal fields are encrypted at this boundary.
//
// All writes go through one writer connection owned by one goroutine, which
// commits whatever is queued together (group commit): with synchronous=FULL
// each commit costs an fsync, so sixteen concurrent audited page views share one
// instead of waiting in line for sixteen. Each queued job runs inside its own
// SAVEPOINT, so a job that fails leaves nothing behind and does not disturb
// the others in the batch.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"tryggspor/internal/tryggspor"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the SQLite database. Create it with Open; Close it once.
type Store struct {
	w  *sql.DB // exactly one connection, used only by the writer goroutine
	r  *sql.DB // reader pool
	rd *readDB // r with cached statements
	// wstmts are the writer's prepared statements (writer goroutine only).
	wstmts writeStmts
	// sessions are the sessions read in the last few seconds.
	sessions sessionCache
	orgs     atomic.Pointer[orgCache]
	path     string
	keys     *Keyring
	now      func() time.Time
	jobs     chan *job
	done     chan struct{}
	close    sync.Once
	lock     *fileLock // shared lock on <db>.lock for the store's lifetime; restore takes it exclusively
	// checkpoints is the file of signed audit checkpoints, outside the database.
	checkpoints string
	// appended says this process added audit entries (so it signs a
	// checkpoint when it closes).
	appended atomic.Bool
	// checkpointer, when set, empties the write-ahead log instead of a
	// checkpoint of the store's own (replication: SetCheckpointer).
	checkpointer func(context.Context) error
	// witness is the witness's checkpoint file ("": none).
	witness string
	// chain is one read connection for walks over the whole audit log
	// (verify, the scrubber): no memory map and a small page cache, so a
	// pass over gigabytes holds only a few megabytes, and it leaves the
	// readers' caches to the requests.
	chain *sql.DB
}

// Options tunes Open.
type Options struct {
	Readers int              // reader pool size; default 4
	Now     func() time.Time // clock; default time.Now
	// CheckpointFile holds the signed audit checkpoints (audit.checkpoint_file);
	// default <db>.audit-checkpoints.
	CheckpointFile string
	// WitnessFile receives a copy of every signed checkpoint
	// (<audit.witness_dir>/<audit.witness_name>.checkpoints); empty: none.
	WitnessFile string
}

// Open opens (creating if needed) the database at path (resolved first:
// ResolvePath), applies migrations, verifies the pragmas and starts the
// writer.
func Open(ctx context.Context, path string, keys *Keyring, opt Options) (s *Store, err error) {
	if opt.Readers <= 0 {
		opt.Readers = 4
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if path, err = ResolvePath(path); err != nil {
		return nil, err
	}
	lock, err := lockFile(path, false)
	if errors.Is(err, errLocked) {
		return nil, fmt.Errorf("%s is being restored from a backup; try again when the restore has finished", path)
	} else if err != nil {
		return nil, err
	}
	if err := createPrivate(path); err != nil {
		lock.release()
		return nil, err
	}
	w, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		lock.release()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s = &Store{w: w, path: path, keys: keys, now: opt.Now, jobs: make(chan *job, 256), done: make(chan struct{}), lock: lock,
		checkpoints: opt.CheckpointFile, witness: opt.WitnessFile,
		wstmts: writeStmts{m: map[string]*sql.Stmt{}}}
	if s.checkpoints == "" {
		s.checkpoints = tryggspor.CheckpointFileFor(path)
	}
	opened := s // the returns below set s to nil
	defer func() {
		if err != nil {
			if opened.r != nil {
				opened.r.Close()
			}
			if opened.chain != nil {
				opened.chain.Close()
			}
			w.Close()
			lock.release()
		}
	}()
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	// The writer gets a larger page cache: imports and sweeps write many pages
	// in one transaction, and spilling them early costs more syncs. 32 MiB, not
	// more: with the readers' (4 × 8 MiB, dsn) and the Go heap's soft limit it
	// keeps the service within 256 MB at national size (issue 19).
	if _, err := w.ExecContext(ctx, `PRAGMA cache_size = -32768`); err != nil {
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	s.r, err = sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return nil, err
	}
	s.rd = newReadDB(s.r)
	if s.chain, err = sql.Open("sqlite", dsnWith(path, true, "cache_size(-2048)", "mmap_size(0)")); err != nil {
		return nil, err
	}
	// Two for a walk (the rows, and a lookup while they are open), two walks
	// at once (verify's halves, or the scrubber and a verify).
	s.chain.SetMaxOpenConns(4)
	s.r.SetMaxOpenConns(opt.Readers)
	s.r.SetMaxIdleConns(opt.Readers)
	if err := s.verifyPragmas(ctx); err != nil {
		return nil, err
	}
	go s.writer()
	// A database older than the name search, or opened after a key
	// rotation, gets its case list index once, before the first search.
	if _, err = s.ReindexNames(ctx); err != nil {
		close(s.jobs)
		<-s.done
		return nil, err
	}
	return s, nil
}

// createPrivate creates the database file readable by its owner only, before
// SQLite opens it: SQLite creates the -wal and -shm files with the mode of the
// database file, so they are private too, whatever the process's umask. An
// existing file is left as it is.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	return f.Close()
}

// dsn puts every pragma in the connection string so each pooled connection gets
// them, not just the first. No memory map: pages read through one stay in the
// process's resident memory, up to the map's size, on a database of many
// gigabytes (the audit log) that was most of the service's memory; each
// connection's own page cache (8 MiB) holds what pages use most.
func dsn(path string, readOnly bool) string {
	return dsnWith(path, readOnly, "cache_size(-8192)", "mmap_size(0)")
}

// dsnWith is the DSN with the given cache pragmas.
func dsnWith(path string, readOnly bool, cache ...string) string {
	q := url.Values{}
	for _, p := range append([]string{"journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(1)",
		"busy_timeout(10000)", "secure_delete(1)", "temp_store(2)"}, cache...) {
		q.Add("_pragma", p)
	}
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// verifyPragmas refuses to start on a connection that did not take the
// settings durability and privacy depend on.
func (s *Store) verifyPragmas(ctx context.Context) error {
	want := map[string]string{"journal_mode": "wal", "synchronous": "2", "foreign_keys": "1", "secure_delete": "1"}
	for _, db := range []*sql.DB{s.w, s.r} {
		for p, v := range want {
			var got string
			if err := db.QueryRowContext(ctx, "PRAGMA "+p).Scan(&got); err != nil {
				return fmt.Errorf("pragma %s: %w", p, err)
			}
			if strings.ToLower(got) != v {
				return fmt.Errorf("pragma %s is %q, want %q", p, got, v)
			}
		}
	}
	return nil
}

func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return wrap(err, "migrate")
	}
	sort.Strings(names)
	for _, name := range names {
		var n int
		if err := s.w.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, name).Scan(&n); err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		if n > 0 {
			continue
		}
		body, _ := migrations.ReadFile(name)
		tx, err := s.w.BeginTx(ctx, nil)
		if err != nil {
			return wrap(err, "migrate")
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations VALUES (?, ?)`, name, s.now().UTC().Format(time.RFC3339)); err != nil {
			tx.Rollback()
			return wrap(err, "migrate")
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
	}
	return nil
}

// loadHead reads the audit chain's head inside the batch's transaction. It is
// read afresh for every batch, never kept between them: other processes (the
// CLI's import, anonymise, orgs import beside a running server) append to the
// same chain, and the immediate transaction we hold is what makes the head we
// read the one we extend.
func (t *Tx) loadHead(ctx context.Context) error {
	err := t.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0), COALESCE((SELECT hash FROM audit ORDER BY id DESC LIMIT 1), '') FROM audit`).Scan(&t.headID, &t.head)
	if err != nil {
		return fmt.Errorf("read audit head: %w", err)
	}
	return nil
}

// Ping checks that the database answers reads.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.r.QueryRowContext(ctx, `SELECT 1`).Scan(&one)
}

// readyTimeout bounds how long Ready waits for the write lock.
const readyTimeout = 2 * time.Second

// Ready reports whether this store can write now (for /readyz): it runs an
// empty job through the writer, which begins an immediate transaction (taking
// the database's write lock) and commits it. It fails when the writer is
// wedged, the file is read-only or gone, or another process has held the write
// lock for longer than readyTimeout; a server that answers reads but cannot
// write is not ready.
func (s *Store) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	j := &job{ctx: ctx, fn: func(*Tx) error { return nil }, err: make(chan error, 1)}
	select {
	case s.jobs <- j:
	case <-ctx.Done():
		return fmt.Errorf("database not writable: the writer is busy: %w", ctx.Err())
	}
	select {
	case err := <-j.err:
		if err != nil {
			return fmt.Errorf("database not writable: %w", err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("database not writable within %v: %w", readyTimeout, ctx.Err())
	}
}

// Close stops the writer after the queued work and closes the database. When
// this process added audit entries, it signs a last checkpoint first (the
// writer still running, for a first checkpoint's anchor entry) and again once
// the queue is drained, so a database at rest has its log anchored. A process
// that only read (audit verify, summary) signs nothing: checking a log never
// re-signs it.
func (s *Store) Close() error {
	var err error
	s.close.Do(func() {
		var cerr error
		if s.appended.Load() {
			_, _, cerr = s.WriteAuditCheckpoint(context.Background())
		}
		close(s.jobs)
		<-s.done
		if cerr == nil && s.appended.Load() {
			_, _, cerr = s.WriteAuditCheckpoint(context.Background())
		}
		s.rd.close()
		s.wstmts.close()
		err = errors.Join(cerr, s.chain.Close(), s.r.Close(), s.w.Close(), s.lock.release())
	})
	return err
}

// Tx is one job's view of the shared write transaction.
type Tx struct {
	tx   *sql.Tx
	s    *Store
	now  time.Time
	prep map[string]*sql.Stmt
	// refSeq caches the last case ref number per year within the batch.
	refSeq map[int]int
	// The audit chain's head as this batch has extended it.
	head   string
	headID int64
	// shared are the writer's statements kept between batches; nil for a
	// transaction outside the writer goroutine (they are its alone).
	shared *writeStmts
}

type job struct {
	ctx context.Context
	fn  func(*Tx) error
	// audit, for a job that only appends to the audit log (fn nil): such
	// jobs of one batch are appended together with one statement.
	audit []tryggspor.AuditEntry
	err   chan error
}

// write runs fn in the writer's next transaction and waits until it has been
// committed (or rolled back). fn must not block on anything but the database.
func (s *Store) write(ctx context.Context, fn func(*Tx) error) error {
	return s.submit(ctx, &job{ctx: ctx, fn: fn, err: make(chan error, 1)})
}

// submit queues j for the writer and waits for its outcome.
func (s *Store) submit(ctx context.Context, j *job) error {
	select {
	case s.jobs <- j:
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-j.err
}

const maxBatch = 128

func (s *Store) writer() {
	defer close(s.done)
	for j := range s.jobs {
		batch := []*job{j}
	fill:
		for len(batch) < maxBatch {
			select {
			case j, ok := <-s.jobs:
				if !ok {
					break fill
				}
				batch = append(batch, j)
			default:
				break fill
			}
		}
		s.runBatch(batch)
	}
}

// runBatch commits a batch of jobs in one transaction, each in a savepoint.
// The jobs that only append to the audit log (every audited view) go last,
// together, in one savepoint; should that fail, each is tried on its own so
// one bad entry cannot take the others with it.
func (s *Store) runBatch(batch []*job) {
	errs := make([]error, len(batch))
	ctx := context.Background()
	defer s.wstmts.prepare(ctx, s.w)
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		for _, j := range batch {
			j.err <- fmt.Errorf("begin: %w", err)
		}
		return
	}
	t := &Tx{tx: tx, s: s, now: s.now().UTC(), prep: map[string]*sql.Stmt{}, refSeq: map[int]int{}, shared: &s.wstmts}
	if err := t.loadHead(ctx); err != nil {
		tx.Rollback()
		for _, j := range batch {
			j.err <- err
		}
		return
	}
	var audits []int
	for i, j := range batch {
		if j.fn == nil {
			audits = append(audits, i)
			continue
		}
		errs[i] = s.runJob(ctx, t, j)
	}
	s.runAudits(ctx, t, batch, audits, errs)
	if err := tx.Commit(); err != nil {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = fmt.Errorf("commit: %w", err)
			}
		}
	}
	for i, j := range batch {
		j.err <- errs[i]
	}
}

// runAudits appends the entries of the batch's audit-only jobs (at the
// indexes given) with one statement; if that fails, job by job.
func (s *Store) runAudits(ctx context.Context, t *Tx, batch []*job, idx []int, errs []error) {
	var live []int
	var all []tryggspor.AuditEntry
	for _, i := range idx {
		if errs[i] = batch[i].ctx.Err(); errs[i] == nil {
			live, all = append(live, i), append(all, batch[i].audit...)
		}
	}
	if len(live) == 0 {
		return
	}
	together := &job{ctx: ctx, fn: func(t *Tx) error { return t.auditMany(ctx, all) }}
	if len(live) == 1 || s.runJob(ctx, t, together) != nil {
		for _, i := range live {
			entries := batch[i].audit
			errs[i] = s.runJob(ctx, t, &job{ctx: batch[i].ctx, fn: func(t *Tx) error { return t.auditMany(ctx, entries) }})
		}
	}
}

func (s *Store) runJob(ctx context.Context, t *Tx, j *job) (err error) {
	if err := j.ctx.Err(); err != nil {
		return err
	}
	if _, err := t.ExecContext(ctx, `SAVEPOINT job`); err != nil {
		return err
	}
	head, headID := t.head, t.headID
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("write job panicked: %v", p)
		}
		if err != nil {
			t.head, t.headID = head, headID
			if _, rerr := t.ExecContext(ctx, `ROLLBACK TO job`); rerr != nil {
				err = errors.Join(err, rerr)
			}
		}
		if _, rerr := t.ExecContext(ctx, `RELEASE job`); rerr != nil && err == nil {
			err = rerr
		}
	}()
	return mapErr(j.fn(t))
}

// mapErr turns driver errors into domain kinds in one place.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return tryggspor.NotFound("Finnes ikke.")
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &tryggspor.Error{Kind: tryggspor.KindConflict, Message: "Finnes allerede."}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return tryggspor.Invalid("Viser til noe som ikke finnes.")
		}
	}
	return err
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
