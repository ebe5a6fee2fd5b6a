package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
	"tryggspor/internal/tryggspor"
)

// Checkpoint copies everything in the write-ahead log into the database file
// and truncates the log (wal_checkpoint(TRUNCATE)), waiting up to the busy
// timeout for readers to move on. It fails when the log could not be emptied.
func (s *Store) Checkpoint(ctx context.Context) error {
	if s.checkpointer != nil {
		return s.checkpointer(ctx)
	}
	return checkpoint(ctx, s.path)
}

func checkpoint(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	var busy, logFrames, done int
	if err := db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &done); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if busy != 0 {
		return errors.New("checkpoint: the database stayed busy")
	}
	return nil
}

// Backup writes a consistent copy of the database to path (which must not
// exist) with VACUUM INTO, while the service keeps running. The copy is
// private from its first byte: VACUUM INTO writes it in a new directory only
// the owner can enter, and it is linked to its name only after it is synced to
// disk and has passed integrity_check. The copy holds the personal fields
// encrypted; the key is not in it.
func (s *Store) Backup(ctx context.Context, path string) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s exists; a backup never overwrites", path)
	}
	dir, err := os.MkdirTemp(filepath.Dir(path), ".tryggspor-backup-")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(dir)
	tmp := filepath.Join(dir, "backup.db")
	// VACUUM INTO reads one snapshot; it needs a connection of its own that is
	// neither the writer nor a query-only reader.
	db, err := sql.Open("sqlite", "file:"+s.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return wrap(err, "backup")
	}
	_, err = db.ExecContext(ctx, `VACUUM INTO ?`, tmp)
	db.Close()
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return wrap(err, "backup")
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := checkIntegrity(ctx, tmp); err != nil {
		return fmt.Errorf("backup: the copy failed its check, nothing written: %w", err)
	}
	if err := s.signBackup(ctx, tmp, signature(tmp)); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	// A hard link never replaces an existing file, unlike rename.
	if err := os.Link(signature(tmp), signature(path)); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Link(tmp, path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return syncDir(filepath.Dir(path))
}

// ErrInUse says that a process has the database open.
var ErrInUse = errors.New("the database is in use")

// Restore replaces the database at dst with the backup at src. It refuses
// while any process holds the database (a server, or any command: each holds
// <db>.lock shared), refuses a backup whose bytes are not the ones its
// signature (<backup>.signature) names, before it opens it, and one that fails integrity_check or
// foreign_key_check, was made by a newer Tryggspor, or whose audit chain is
// broken. The checked copy is put in place with one rename; the database it
// replaces is kept beside it as <db>.replaced-<time>, its write-ahead log
// checkpointed into it first. The backup's audit chain must verify with keys
// and agree with every signed checkpoint it reaches (checkpoints is the live
// checkpoint file, "" for the default beside dst); the live checkpoint file
// is then kept beside it too, as the replaced log's anchor, and the restored
// log is anchored afresh when the database is next opened and closed. It
// returns the replaced file's name, or "".
func Restore(ctx context.Context, src, dst string, keys *Keyring, checkpoints string) (string, error) {
	dst, err := ResolvePath(dst)
	if err != nil {
		return "", err
	}
	if checkpoints == "" {
		checkpoints = tryggspor.CheckpointFileFor(dst)
	}
	lock, err := lockFile(dst, true) // on the resolved path: the one every Open locks
	if errors.Is(err, errLocked) {
		return "", fmt.Errorf("%w: %s is open in a running tryggspor (serve, dev or another command); stop it, then restore", ErrInUse, dst)
	} else if err != nil {
		return "", err
	}
	defer lock.release()
	dir, err := os.MkdirTemp(filepath.Dir(dst), ".tryggspor-restore-")
	if err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	defer os.RemoveAll(dir)
	tmp := filepath.Join(dir, "restore.db")
	signed, err := readBackupNote(src, keys)
	if err != nil {
		return "", fmt.Errorf("%s refused, nothing changed: %w", src, err)
	}
	if err := copySigned(src, tmp, signed); err != nil {
		return "", fmt.Errorf("%s refused, nothing changed: %w", src, err)
	}
	own := signed.Audit
	if err := checkBackup(ctx, tmp, keys, checkpoints, own); err != nil {
		return "", fmt.Errorf("%s refused, nothing changed: %w", src, err)
	}
	if err := syncFile(tmp); err != nil {
		return "", err
	}
	replaced, err := setAside(ctx, dst)
	if err != nil {
		return "", err
	}
	if replaced != "" {
		err := os.Rename(checkpoints, checkpoints+strings.TrimPrefix(replaced, dst))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("restore: keep the audit checkpoints: %w", err)
		}
	}
	// The restored log is anchored by the backup's own signed checkpoint.
	if line, err := keys.signCheckpoint(own); err != nil {
		return "", err
	} else if err := appendLine(checkpoints, line); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dst); err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	return replaced, syncDir(filepath.Dir(dst))
}

// setAside checkpoints the database at dst (no process has it open: the
// caller holds the exclusive lock), keeps it as dst.replaced-<time> by a hard
// link, and removes its emptied -wal and -shm, which must not be paired with
// the restored file.
func setAside(ctx context.Context, dst string) (string, error) {
	if _, err := os.Stat(dst); errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err := checkpoint(ctx, dst); err != nil {
		return "", fmt.Errorf("restore: the current database: %w", err)
	}
	replaced := dst + ".replaced-" + time.Now().UTC().Format("20060102T150405.000Z")
	if err := os.Link(dst, replaced); err != nil {
		return "", fmt.Errorf("restore: keep the current database: %w", err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(dst + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
	}
	return replaced, nil
}

// checkBackup opens a copy of a backup and checks it is a whole Tryggspor
// database this binary can run.
func checkBackup(ctx context.Context, path string, keys *Keyring, checkpoints string, own Checkpoint) error {
	if err := checkIntegrity(ctx, path); err != nil {
		return err
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
	if err != nil {
		return err
	}
	defer db.Close()
	versions, err := appliedMigrations(ctx, db)
	if err != nil {
		return errors.New("it is not a Tryggspor database")
	}
	known := map[string]bool{}
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	for _, n := range names {
		known[n] = true
	}
	for _, v := range versions {
		if !known[v] {
			return fmt.Errorf("it was made by a newer Tryggspor (schema %s); restore it with that version", strings.TrimPrefix(v, "migrations/"))
		}
	}
	cps, err := readCheckpoints(checkpoints, keys)
	if err != nil {
		return err
	}
	res, err := verifyAudit(ctx, db, keys, append(cps, own))
	if err != nil {
		return fmt.Errorf("audit verify: %w", err)
	}
	if res.BrokenAt != 0 {
		return fmt.Errorf("its audit log is broken at entry %d: %s", res.BrokenAt, res.Reason)
	}
	if int64(res.Entries) != own.Size {
		return fmt.Errorf("its audit log has %d entries, but the backup's signed checkpoint counts %d: entries were removed", res.Entries, own.Size)
	}
	if err := checkRows(ctx, db, keys); err != nil {
		return fmt.Errorf("a row cannot be read, the backup is damaged: %w", err)
	}
	return nil
}

// checkIntegrity runs integrity_check and foreign_key_check on the database
// file at path.
func checkIntegrity(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, check := range []string{"integrity_check", "foreign_key_check"} {
		rows, err := db.QueryContext(ctx, `PRAGMA `+check)
		if err != nil {
			return fmt.Errorf("it is damaged or not a database (%s: %v)", check, err)
		}
		var problems []string
		for rows.Next() {
			cols, _ := rows.Columns()
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return err
			}
			line := strings.ReplaceAll(fmt.Sprint(vals...), "*** in database main ***", "")
			if line = strings.Join(strings.Fields(line), " "); line != "ok" {
				problems = append(problems, line)
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return fmt.Errorf("it is damaged (%s: %v)", check, err)
		}
		if len(problems) > 0 {
			return fmt.Errorf("it is damaged (%s: %d problems, first: %s)", check, len(problems), problems[0])
		}
	}
	return nil
}

func appliedMigrations(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		return nil, wrap(err, "read migrations")
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, wrap(err, "read migrations")
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, errors.New("no migrations")
	}
	return out, wrap(rows.Err(), "read migrations")
}

// copyFile copies src to a new file dst, private from its first byte and
// synced to disk.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return wrap(err, "copy file")
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return wrap(err, "copy file")
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return wrap(err, "copy file")
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return wrap(err, "copy file")
	}
	return out.Close()
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return wrap(err, "sync file")
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return wrap(err, "sync file")
	}
	return f.Close()
}

// syncDir makes a rename or link in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return wrap(err, "sync folder")
	}
	defer d.Close()
	return d.Sync()
}
