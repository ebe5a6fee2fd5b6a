package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"tryggspor/internal/tryggspor"
)

// sidecar is the name of a backup's own signed checkpoint: the size and head
// of its audit log when it was made. A backup without it, or whose log does
// not end exactly there, is refused by restore: nobody without the audit key
// can cut a backup's log and make it look whole.
func sidecar(backup string) string { return backup + ".audit-checkpoint" }

// signBackup writes the signed checkpoint of the copy at tmp to side.
func (s *Store) signBackup(ctx context.Context, tmp, side string) error {
	db, err := sql.Open("sqlite", "file:"+tmp)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer db.Close()
	cp, err := head(ctx, db)
	if err != nil {
		return err
	}
	cp.At = s.now().UTC().Truncate(time.Second)
	line, err := s.keys.signCheckpoint(cp)
	if err != nil {
		return err
	}
	return appendLine(side, line)
}

// backupCheckpoint reads and checks a backup's own signed checkpoint.
func backupCheckpoint(src string, keys *Keyring) (Checkpoint, error) {
	b, err := os.ReadFile(sidecar(src))
	if errors.Is(err, fs.ErrNotExist) {
		return Checkpoint{}, fmt.Errorf("its signed checkpoint %s is missing (every backup gets one)", sidecar(src))
	} else if err != nil {
		return Checkpoint{}, fmt.Errorf("its signed checkpoint: %w", err)
	}
	cp, err := openCheckpoint([]byte(strings.TrimSpace(string(b))), keys)
	if err != nil {
		return cp, fmt.Errorf("its signed checkpoint %s: %w", sidecar(src), err)
	}
	return cp, nil
}

// checkRows reads every case and event of the database at db as the service
// would — dates, encrypted fields (whose authentication catches a changed
// byte), coded values — so a backup damaged inside a row's values, which
// integrity_check cannot see, is refused.
func checkRows(ctx context.Context, db querier, keys *Keyring) error {
	s := &Store{keys: keys}
	rows, err := db.QueryContext(ctx, `SELECT `+caseColumns+` FROM cases c`)
	if err != nil {
		return fmt.Errorf("read cases: %w", err)
	}
	var ids []string
	for rows.Next() {
		c, err := s.scanCase(rows)
		if err == nil && (!tryggspor.Known("category", string(c.Category)) || !tryggspor.Known("status", string(c.Status))) {
			err = fmt.Errorf("case %s has an unknown category or status", c.Ref)
		}
		if err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, c.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		evs, err := s.events(ctx, db, id)
		if err != nil {
			return err
		}
		for _, e := range evs {
			if _, ok := e.Type.Spec(); !ok || (e.ActorRole != "" && !e.ActorRole.Valid()) {
				return fmt.Errorf("event %d of case %s has an unknown type or role", e.ID, id)
			}
		}
	}
	return nil
}
