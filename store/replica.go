package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
	"tryggspor/internal/tryggspor"
)

// SetCheckpointer makes Checkpoint (after anonymisation) go through f: with
// replication on, Litestream holds a read lock on the log and must copy its
// frames before they are gone, so it does the checkpoint itself.
func (s *Store) SetCheckpointer(f func(context.Context) error) { s.checkpointer = f }

// ReplicaRestore is what RestoreReplica put in place.
type ReplicaRestore struct {
	Replaced   string // the database set aside, or ""
	Entries    int64  // audit entries in the restored log
	Newest     int64  // entries in the newest checkpoint signed before the restore
	OldAnchors string // the checkpoint file set aside, or ""
}

// RestoreReplica puts a database restored from a replica at dst, checked
// as restore checks a backup: integrity_check and foreign_key_check, a
// schema this binary knows, an audit chain that verifies with keys and
// agrees with every signed checkpoint it reaches, and rows that decrypt.
// fetch writes the restored file to the path it is given; it runs while
// the exclusive lock is held, so no server has the database open. A replica
// has no signed checkpoint of its own (a backup does): the restored log is
// anchored afresh by its own head, and the checkpoints it does not reach —
// the writes after the restored point — stay in the file set aside.
// checkpoints is the file the restored log is checked against; anchor the
// file set aside and started afresh (both "": beside dst). A drill that
// restores to a scratch path checks against production's checkpoints and
// anchors beside the scratch copy, leaving production's file alone.
func RestoreReplica(ctx context.Context, dst string, keys *Keyring, checkpoints, anchor string, fetch func(ctx context.Context, out string) error) (ReplicaRestore, error) {
	var res ReplicaRestore
	if checkpoints == "" {
		checkpoints = tryggspor.CheckpointFileFor(dst)
	}
	if anchor == "" {
		anchor = tryggspor.CheckpointFileFor(dst)
	}
	lock, err := lockFile(dst, true)
	if errors.Is(err, errLocked) {
		return res, fmt.Errorf("%w: %s is open in a running tryggspor (serve, dev or another command); stop it, then restore", ErrInUse, dst)
	} else if err != nil {
		return res, err
	}
	defer lock.release()
	dir, err := os.MkdirTemp(filepath.Dir(dst), ".tryggspor-restore-")
	if err != nil {
		return res, fmt.Errorf("restore: %w", err)
	}
	defer os.RemoveAll(dir)
	tmp := filepath.Join(dir, "restore.db")
	if err := fetch(ctx, tmp); err != nil {
		return res, fmt.Errorf("restore from the replica: %w", err)
	}
	own, err := restoredHead(ctx, tmp)
	if err != nil {
		return res, fmt.Errorf("the replica's copy refused, nothing changed: %w", err)
	}
	if err := checkBackup(ctx, tmp, keys, checkpoints, own); err != nil {
		return res, fmt.Errorf("the replica's copy refused, nothing changed: %w", err)
	}
	res.Entries = own.Size
	if cps, err := readCheckpoints(checkpoints, keys); err == nil && len(cps) > 0 {
		res.Newest = cps[len(cps)-1].Size
	}
	own.At = time.Now().UTC().Truncate(time.Second)
	return res, swapRestored(ctx, tmp, dst, keys, anchor, own, &res)
}

// restoredHead is the head of the restored file's audit log.
func restoredHead(ctx context.Context, path string) (Checkpoint, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return Checkpoint{}, err
	}
	defer db.Close()
	cp, err := head(ctx, db)
	if err != nil {
		return cp, errors.New("it is damaged or not a Tryggspor database")
	}
	return cp, nil
}

// swapRestored puts the checked file tmp in place of dst: the current
// database and checkpoint file are set aside, the restored log's head is
// signed into a fresh checkpoint file, and tmp is renamed to dst.
func swapRestored(ctx context.Context, tmp, dst string, keys *Keyring, checkpoints string, own Checkpoint, res *ReplicaRestore) error {
	if err := syncFile(tmp); err != nil {
		return err
	}
	replaced, err := setAside(ctx, dst)
	if err != nil {
		return err
	}
	res.Replaced = replaced
	for _, suffix := range []string{"-wal", "-shm"} { // left by a server killed before its database was deleted
		if err := os.Remove(dst + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if _, err := os.Stat(checkpoints); err == nil {
		res.OldAnchors = checkpoints + ".replaced-" + time.Now().UTC().Format("20060102T150405.000Z")
		if err := os.Rename(checkpoints, res.OldAnchors); err != nil {
			return fmt.Errorf("restore: keep the audit checkpoints: %w", err)
		}
	}
	line, err := keys.signCheckpoint(own)
	if err != nil {
		return err
	}
	if err := appendLine(checkpoints, line); err != nil {
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return syncDir(filepath.Dir(dst))
}
