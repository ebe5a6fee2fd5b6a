package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"tryggspor/internal/tryggspor"
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
// reports whether it wrote one. The server calls it at start, every minute
// and at shutdown, every command when it closes the database after writing.
// It never signs a log that disagrees with the checkpoints already made (cut
// short, or rewritten up to one of them), nor a log whose checkpoint file
// has gone missing: that is for an operator to look into (`audit verify`),
// not for the next start to paper over.
func (s *Store) WriteAuditCheckpoint(ctx context.Context) (Checkpoint, bool, error) {
	old, err := readCheckpoints(s.checkpoints, s.keys)
	if err != nil {
		return Checkpoint{}, false, err
	}
	res, err := verifyAudit(ctx, s.r, s.keys, old)
	if err != nil {
		return Checkpoint{}, false, err
	}
	if err := checkCut(&res, old, s.checkpoints); err != nil {
		return Checkpoint{}, false, err
	}
	if res.BrokenAt != 0 {
		return Checkpoint{}, false, fmt.Errorf("audit log not signed: broken at entry %d: %s", res.BrokenAt, res.Reason)
	}
	if len(old) == 0 && res.Anchored > 0 {
		return Checkpoint{}, false, fmt.Errorf("audit log not signed: entry %d says checkpoints were written to %s, which now has none; "+
			"restore the checkpoint file (see docs/security.md) and run tryggspor audit verify", res.Anchored, s.checkpoints)
	}
	if len(old) == 0 && res.Entries > 0 {
		// The first checkpoint of this log: record in the chain itself that
		// checkpoints are kept from now on, so a checkpoint file emptied
		// later is noticed.
		if err := s.Audit(ctx, tryggspor.NewEntry(tryggspor.System("audit"), tryggspor.ActAuditAnchor, "", s.checkpoints)); err != nil {
			return Checkpoint{}, false, err
		}
	}
	cp, err := head(ctx, s.r)
	if err != nil || cp.Size == 0 {
		return cp, false, err
	}
	if n := len(old); n > 0 && old[n-1].Size >= cp.Size {
		return old[n-1], false, nil
	}
	cp.At = s.now().UTC().Truncate(time.Second)
	line, err := s.keys.signCheckpoint(cp)
	if err != nil {
		return cp, false, err
	}
	return cp, true, appendLine(s.checkpoints, line)
}

// head is the committed log's size and last hash.
func head(ctx context.Context, db querier) (Checkpoint, error) {
	var cp Checkpoint
	rows, err := db.QueryContext(ctx, `SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1`)
	if err != nil {
		return cp, fmt.Errorf("audit head: %w", err)
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&cp.Size, &cp.Hash); err != nil {
			return cp, fmt.Errorf("audit head: %w", err)
		}
	}
	return cp, wrap(rows.Err(), "audit head")
}

// signCheckpoint is cp as a signed line of the checkpoint file.
func (k *Keyring) signCheckpoint(cp Checkpoint) ([]byte, error) {
	text := fmt.Sprintf("%s%d\n%s\n%s\n", checkpointHeader, cp.Size, cp.Hash, cp.At.Format(time.RFC3339))
	signed, err := note.Sign(&note.Note{Text: text}, k.audit[k.auditCurrent].signer)
	if err != nil {
		return nil, fmt.Errorf("sign audit checkpoint: %w", err)
	}
	line, err := json.Marshal(checkpointLine{Size: cp.Size, Hash: cp.Hash, At: cp.At.Format(time.RFC3339), Note: string(signed)})
	if err != nil {
		return nil, fmt.Errorf("audit checkpoint: %w", err)
	}
	return line, nil
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
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("audit checkpoints: %w", err)
	}
	lines := strings.Split(string(data), "\n")
	var out []Checkpoint
	for n, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		cp, err := openCheckpoint([]byte(l), keys)
		var syntax *json.SyntaxError
		if n == len(lines)-1 && errors.As(err, &syntax) {
			break // a last line cut short by a crash while it was written: not a checkpoint
		}
		if err != nil {
			return nil, fmt.Errorf("audit checkpoint %s line %d: %w", path, n+1, err)
		}
		out = append(out, cp)
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
