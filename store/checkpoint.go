package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
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
// to the checkpoint file, and to the witness, when entries were added since
// the last one; it reports whether it wrote one. The server calls it at
// start, every minute and at shutdown, every command when it closes the
// database after writing.
//
// Its cost follows the entries added since the last checkpoint, not the
// size of the log (a Certificate Transparency log extends its tree head the
// same way): it reads the newest checkpoint from the end of the file, checks
// that the entry it counts still has its hash, and checks the new entries
// from there. Edits further back are the scrubber's (ScrubAudit) and `audit
// verify`'s to find. It never signs a log cut short of the last checkpoint,
// nor one whose checkpoint file has gone missing: that is for an operator to
// look into, not for the next start to paper over.
func (s *Store) WriteAuditCheckpoint(ctx context.Context) (Checkpoint, bool, error) {
	last, line, err := tailCheckpoint(s.checkpoints, s.keys)
	if err != nil {
		return Checkpoint{}, false, err
	}
	if last == nil {
		return s.firstCheckpoint(ctx)
	}
	cp, err := head(ctx, s.r)
	if err != nil {
		return Checkpoint{}, false, err
	}
	if err := s.checkSince(ctx, *last, cp); err != nil {
		return Checkpoint{}, false, err
	}
	if cp.Size == last.Size {
		return *last, false, s.witnessCatchUp(*last, line)
	}
	return s.sign(cp)
}

// checkSince checks the entries added after the checkpoint last up to the
// head cp: the log still reaches last with last's hash, and every new entry
// is linked and keyed.
func (s *Store) checkSince(ctx context.Context, last, cp Checkpoint) error {
	if cp.Size < last.Size {
		return fmt.Errorf("audit log not signed: the log ends at entry %d, but the signed checkpoint of %s counts %d entries: entries were removed",
			cp.Size, last.At.Format(time.RFC3339), last.Size)
	}
	w := newWalker(s.r, s.keys)
	reason, err := w.startAt(ctx, last)
	if err == nil && reason == "" {
		err = w.walk(ctx, cp.Size, 0, nil)
		reason = w.res.Reason
	}
	if err != nil {
		return err
	}
	if reason != "" {
		return fmt.Errorf("audit log not signed: broken at entry %d: %s", max(w.res.BrokenAt, last.Size), reason)
	}
	return nil
}

// firstCheckpoint signs a log that has no checkpoint yet. It checks the
// whole log once (the only time a checkpoint walks it all), and records in
// the chain itself that checkpoints are kept from now on, so a checkpoint
// file emptied later is noticed.
func (s *Store) firstCheckpoint(ctx context.Context) (Checkpoint, bool, error) {
	res, err := s.VerifyAudit(ctx)
	if err != nil {
		return Checkpoint{}, false, err
	}
	if res.BrokenAt != 0 {
		return Checkpoint{}, false, fmt.Errorf("audit log not signed: broken at entry %d: %s", res.BrokenAt, res.Reason)
	}
	if res.Entries > 0 {
		if err := s.Audit(ctx, tryggspor.NewEntry(tryggspor.System("audit"), tryggspor.ActAuditAnchor, "", s.checkpoints)); err != nil {
			return Checkpoint{}, false, err
		}
	}
	cp, err := head(ctx, s.r)
	if err != nil || cp.Size == 0 {
		return cp, false, err
	}
	return s.sign(cp)
}

// sign appends a signed checkpoint of cp to the checkpoint file and the
// witness.
func (s *Store) sign(cp Checkpoint) (Checkpoint, bool, error) {
	cp.At = s.now().UTC().Truncate(time.Second)
	line, err := s.keys.signCheckpoint(cp)
	if err != nil {
		return cp, false, err
	}
	if err := appendLine(s.checkpoints, line); err != nil {
		return cp, false, err
	}
	return cp, true, s.witnessWrite(line)
}

// witnessWrite appends a signed line to the witness file, when there is one.
func (s *Store) witnessWrite(line []byte) error {
	if s.witness == "" {
		return nil
	}
	if err := appendLine(s.witness, line); err != nil {
		return fmt.Errorf("audit witness %s (the local checkpoint was written; the next checkpoint tries again): %w", s.witness, err)
	}
	return nil
}

// witnessCatchUp gives the witness the newest local checkpoint when it is
// behind (the witness was unreachable when the checkpoint was written).
func (s *Store) witnessCatchUp(last Checkpoint, line []byte) error {
	if s.witness == "" {
		return nil
	}
	wl, _, err := tailLine(s.witness)
	if err != nil {
		return fmt.Errorf("audit witness %s: %w", s.witness, err)
	}
	if wl != nil && wl.Size >= last.Size {
		return nil
	}
	return s.witnessWrite(line)
}

// tailCheckpoint is the newest checkpoint at the end of the file at path,
// its signature checked, and its line; nil when the file has none. Only the
// end of the file is read, so the minute's tick does not grow with the file.
func tailCheckpoint(path string, keys *Keyring) (*Checkpoint, []byte, error) {
	l, raw, err := tailLine(path)
	if err != nil || l == nil {
		return nil, nil, err
	}
	if err := l.verify(keys); err != nil {
		return nil, nil, fmt.Errorf("audit checkpoint %s, last line: %w", path, err)
	}
	cp := l.Checkpoint
	return &cp, raw, nil
}

// tailLine reads the largest checkpoint among the complete lines at the end
// of the file (lines from two processes may land slightly out of order), its
// signature not yet checked.
func tailLine(path string) (*cpLine, []byte, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	} else if err != nil {
		return nil, nil, fmt.Errorf("audit checkpoints: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("audit checkpoints: %w", err)
	}
	for n := int64(16 << 10); ; n *= 4 {
		off := max(fi.Size()-n, 0)
		buf := make([]byte, fi.Size()-off)
		if _, err := f.ReadAt(buf, off); err != nil && !errors.Is(err, io.EOF) {
			return nil, nil, fmt.Errorf("audit checkpoints: %w", err)
		}
		best, raw := largestLine(buf, off > 0)
		if best != nil || off == 0 {
			return best, raw, nil
		}
	}
}

// largestLine parses the complete lines in buf (skipping the first when it
// may be cut) and returns the one with the largest size.
func largestLine(buf []byte, skipFirst bool) (*cpLine, []byte) {
	lines := bytes.Split(buf, []byte("\n"))
	lines = lines[:len(lines)-1] // after the last newline: empty, or a line still being written
	if skipFirst && len(lines) > 0 {
		lines = lines[1:]
	}
	var best *cpLine
	var raw []byte
	for _, b := range lines {
		l, err := parseCheckpointLine(b)
		if err != nil {
			continue
		}
		if best == nil || l.Size > best.Size {
			best, raw = &l, b
		}
	}
	return best, raw
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
	return parseCheckpointText(n.Text)
}
