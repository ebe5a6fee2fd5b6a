package store

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
)

// Checkpoint is a signed statement, kept outside the database, of how many
// entries the audit log had and the hash of the last one. Whoever holds the
// database file alone cannot cut the log back, rewrite it or extend a
// checkpoint: the signature needs the audit key.
type Checkpoint struct {
	Size int64
	Hash string
	At   time.Time
}

// checkpointLine is one line of the checkpoint file (JSON lines, appended).
type checkpointLine struct {
	Size int64  `json:"size"`
	Hash string `json:"hash"`
	At   string `json:"at"`
	Note string `json:"note"` // the signed note (golang.org/x/mod/sumdb/note)
}

const checkpointHeader = "tryggspor audit checkpoint\n"

// WriteAuditCheckpoint appends a signed checkpoint of the committed audit log
// to the checkpoint file when entries were added since the last one; it
// reports whether it wrote one. The server calls it every few minutes and at
// shutdown, every command when it closes the database.
func (s *Store) WriteAuditCheckpoint(ctx context.Context) (Checkpoint, bool, error) {
	var cp Checkpoint
	err := s.r.QueryRowContext(ctx, `SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1`).Scan(&cp.Size, &cp.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		return cp, false, nil
	} else if err != nil {
		return cp, false, fmt.Errorf("audit checkpoint: %w", err)
	}
	old, err := readCheckpoints(s.checkpoints, s.keys)
	if err != nil {
		return cp, false, err
	}
	if n := len(old); n > 0 && old[n-1].Size >= cp.Size {
		return old[n-1], false, nil
	}
	cp.At = s.now().UTC().Truncate(time.Second)
	text := fmt.Sprintf("%s%d\n%s\n%s\n", checkpointHeader, cp.Size, cp.Hash, cp.At.Format(time.RFC3339))
	signed, err := note.Sign(&note.Note{Text: text}, s.keys.audit[s.keys.auditCurrent].signer)
	if err != nil {
		return cp, false, fmt.Errorf("sign audit checkpoint: %w", err)
	}
	line, err := json.Marshal(checkpointLine{Size: cp.Size, Hash: cp.Hash, At: cp.At.Format(time.RFC3339), Note: string(signed)})
	if err != nil {
		return cp, false, fmt.Errorf("audit checkpoint: %w", err)
	}
	return cp, true, appendLine(s.checkpoints, line)
}

// appendLine appends one line with one write and syncs it; the file is
// created private.
func appendLine(path string, line []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("audit checkpoint file: %w", err)
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("write audit checkpoint: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync audit checkpoint: %w", err)
	}
	return wrap(f.Close(), "close audit checkpoint file")
}

// readCheckpoints reads and checks every checkpoint in the file, smallest
// first; a missing file has none. A line whose signature does not verify
// with the audit keys is an error: someone wrote it without the key.
func readCheckpoints(path string, keys *Keyring) ([]Checkpoint, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("audit checkpoints: %w", err)
	}
	defer f.Close()
	var out []Checkpoint
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		cp, err := openCheckpoint(sc.Bytes(), keys)
		if err != nil {
			return nil, fmt.Errorf("audit checkpoint %s line %d: %w", path, n, err)
		}
		out = append(out, cp)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("audit checkpoints: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Size < out[j].Size })
	return out, nil
}

// openCheckpoint checks one line's signature and reads the signed text (the
// JSON fields beside it are for people; only the signed text counts).
func openCheckpoint(line []byte, keys *Keyring) (Checkpoint, error) {
	var cl checkpointLine
	if err := json.Unmarshal(line, &cl); err != nil {
		return Checkpoint{}, fmt.Errorf("not a checkpoint: %w", err)
	}
	n, err := note.Open([]byte(cl.Note), auditVerifiers(keys.audit))
	if err != nil {
		return Checkpoint{}, fmt.Errorf("signature does not verify with the audit key: %w", err)
	}
	parts := strings.Split(strings.TrimPrefix(n.Text, checkpointHeader), "\n")
	if !strings.HasPrefix(n.Text, checkpointHeader) || len(parts) < 3 {
		return Checkpoint{}, errors.New("signed text is not a checkpoint")
	}
	size, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("checkpoint size: %w", err)
	}
	at, err := time.Parse(time.RFC3339, parts[2])
	if err != nil {
		return Checkpoint{}, fmt.Errorf("checkpoint time: %w", err)
	}
	return Checkpoint{Size: size, Hash: parts[1], At: at}, nil
}
