package store

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
)

// cpLine is one line of a checkpoint file, read but perhaps not yet checked:
// checking an Ed25519 signature costs more than hashing a hundred entries,
// and a decade's file holds millions of lines. A line that agrees with the
// chain states a fact the chain proves anyway; the signature is checked on
// every line that disagrees with the log (forged, or the log was rewritten
// or cut) and on the newest line of each file, which anchors everything
// before it.
type cpLine struct {
	Checkpoint
	note    string
	signer  string // the key name on the note's signature line
	line    int
	checked bool
}

// parseCheckpointLine reads a line's signed text without checking the
// signature (the JSON fields beside it are for people; only the signed text
// counts).
func parseCheckpointLine(raw []byte) (cpLine, error) {
	var cl checkpointLine
	if err := json.Unmarshal(raw, &cl); err != nil {
		return cpLine{}, fmt.Errorf("not a checkpoint: %w", err)
	}
	i := strings.LastIndex(cl.Note, "\n\n")
	if i < 0 {
		return cpLine{}, errors.New("not a signed note")
	}
	cp, err := parseCheckpointText(cl.Note[:i+1])
	if err != nil {
		return cpLine{}, err
	}
	signer, _, _ := strings.Cut(strings.TrimPrefix(cl.Note[i+2:], "— "), " ")
	return cpLine{Checkpoint: cp, note: cl.Note, signer: signer}, nil
}

// parseCheckpointText reads the signed text of a checkpoint.
func parseCheckpointText(text string) (Checkpoint, error) {
	parts := strings.Split(strings.TrimPrefix(text, checkpointHeader), "\n")
	if !strings.HasPrefix(text, checkpointHeader) || len(parts) < 3 {
		return Checkpoint{}, errors.New("signed text is not a checkpoint")
	}
	size, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil || size < 0 {
		return Checkpoint{}, fmt.Errorf("checkpoint size %q", parts[0])
	}
	at, err := time.Parse(time.RFC3339, parts[2])
	if err != nil {
		return Checkpoint{}, fmt.Errorf("checkpoint time: %w", err)
	}
	return Checkpoint{Size: size, Hash: parts[1], At: at}, nil
}

// verify checks the line's signature against every audit key.
func (l *cpLine) verify(keys *Keyring) error {
	if l.checked {
		return nil
	}
	n, err := note.Open([]byte(l.note), auditVerifiers(keys.audit))
	if err != nil {
		return fmt.Errorf("signature does not verify with the audit key: %w", err)
	}
	cp, err := parseCheckpointText(n.Text)
	if err != nil || cp.Size != l.Size || cp.Hash != l.Hash {
		return errors.New("signed text is not a checkpoint")
	}
	l.checked = true
	return nil
}

// cpStream reads one checkpoint file line by line, in constant memory,
// keeping the line the walk waits for and the newest line seen.
type cpStream struct {
	path    string
	witness bool
	r       *bufio.Reader
	f       *os.File
	lineNo  int
	pending *cpLine
	latest  *cpLine
	lines   int
	queue   []*cpLine // a slice stream's lines
}

// openCPStream opens the checkpoint file at path; a missing file has no
// lines.
func openCPStream(path string, witness bool) (*cpStream, error) {
	s := &cpStream{path: path, witness: witness}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	} else if err != nil {
		return nil, fmt.Errorf("audit checkpoints: %w", err)
	}
	s.f, s.r = f, bufio.NewReaderSize(f, 64<<10)
	return s, s.advance()
}

// sliceStream serves checkpoints already read and checked (a backup's own).
func sliceStream(cps []Checkpoint) *cpStream {
	s := &cpStream{path: "checkpoints"}
	for _, cp := range cps {
		s.queue = append(s.queue, &cpLine{Checkpoint: cp, checked: true})
	}
	s.advance() // a slice stream's advance cannot fail
	return s
}

func (s *cpStream) close() {
	if s.f != nil {
		s.f.Close()
	}
}

// advance makes the next line pending (nil at the end). A last line cut
// short by a crash while it was written is not a checkpoint.
func (s *cpStream) advance() error {
	s.pending = nil
	if s.r == nil {
		if len(s.queue) > 0 {
			s.pending, s.queue = s.queue[0], s.queue[1:]
			s.note(s.pending)
		}
		return nil
	}
	for {
		raw, err := s.r.ReadBytes('\n')
		if len(raw) == 0 && err != nil {
			return eofNil(err)
		}
		s.lineNo++
		if strings.TrimSpace(string(raw)) == "" {
			continue
		}
		l, perr := parseCheckpointLine(raw)
		if perr != nil && err == io.EOF {
			return nil // the unfinished last line
		}
		if perr != nil {
			return fmt.Errorf("audit checkpoint %s line %d: %w", s.path, s.lineNo, perr)
		}
		l.line = s.lineNo
		s.pending = &l
		s.note(&l)
		return nil
	}
}

// note keeps l when it is the newest (largest) line so far.
func (s *cpStream) note(l *cpLine) {
	s.lines++
	if s.latest == nil || l.Size > s.latest.Size {
		c := *l
		s.latest = &c
	}
}

func eofNil(err error) error {
	if err == io.EOF {
		return nil
	}
	return fmt.Errorf("audit checkpoints: %w", err)
}

// where names a line for messages.
func (s *cpStream) where(l *cpLine) string {
	kind := "checkpoint file"
	if s.witness {
		kind = "witness"
	}
	if l.line == 0 {
		return kind + " " + s.path
	}
	return fmt.Sprintf("%s %s line %d", kind, s.path, l.line)
}

// reach compares every line counting up to the walker's position with the
// chain; hash is the hash of the entry just checked.
func (s *cpStream) reach(ctx context.Context, w *walker, hash []byte) (string, error) {
	for s.pending != nil && s.pending.Size <= w.n {
		l := s.pending
		got := string(hash)
		if l.Size < w.n { // a line out of order: look the entry up
			var err error
			if got, err = w.hashAt(ctx, l.Size); err != nil {
				return "", err
			}
		}
		if got != l.Hash {
			if err := l.verify(w.keys); err != nil {
				return "", fmt.Errorf("audit %s: %w", s.where(l), err)
			}
			return fmt.Sprintf("the chain differs from the signed checkpoint of %s at entry %d (%s): entries up to it were rewritten",
				l.At.Format(time.RFC3339), l.Size, s.where(l)), nil
		}
		if err := s.advance(); err != nil {
			return "", err
		}
	}
	return "", nil
}

// beyond reads the rest of the file once the walk has ended. A line
// counting more entries than were walked is held against the log as it is
// now (a server may have appended meanwhile): its entry missing means
// entries were removed, a different hash that the log was rewritten; either
// finding needs the line's signature to verify, or the line is forged.
func (s *cpStream) beyond(ctx context.Context, w *walker) (string, error) {
	for s.pending != nil {
		l := s.pending
		if l.Size > w.n {
			got, err := w.hashAt(ctx, l.Size)
			if err != nil {
				return "", err
			}
			if got != l.Hash {
				if err := l.verify(w.keys); err != nil {
					return "", fmt.Errorf("audit %s: %w", s.where(l), err)
				}
			}
			if got == "" {
				return fmt.Sprintf("the log ends at entry %d, but the signed checkpoint of %s in the %s counts %d entries: entries were removed",
					w.n, l.At.Format(time.RFC3339), s.where(l), l.Size), nil
			}
			if got != l.Hash {
				return fmt.Sprintf("the chain differs from the signed checkpoint of %s at entry %d (%s): entries up to it were rewritten",
					l.At.Format(time.RFC3339), l.Size, s.where(l)), nil
			}
		}
		if err := s.advance(); err != nil {
			return "", err
		}
	}
	return "", nil
}

// checkLatest checks the signature of the file's newest line.
func (s *cpStream) checkLatest(keys *Keyring) error {
	if s.latest == nil {
		return nil
	}
	if err := s.latest.verify(keys); err != nil {
		return fmt.Errorf("audit %s: %w", s.where(s.latest), err)
	}
	return nil
}

// Latest is the newest checkpoint the stream has read, nil when none.
func (s *cpStream) Latest() *Checkpoint {
	if s.latest == nil {
		return nil
	}
	cp := s.latest.Checkpoint
	return &cp
}

// checkpointStreams opens the local checkpoint file and, when dir is set,
// every witness file of this log in dir; required makes a witness directory
// without any an error.
func (s *Store) checkpointStreams(dir string, required bool) ([]*cpStream, error) {
	local, err := openCPStream(s.checkpoints, false)
	if err != nil {
		return nil, err
	}
	streams := []*cpStream{local}
	if dir == "" {
		return streams, nil
	}
	ws, err := witnessStreams(dir, s.keys)
	if err != nil {
		local.close()
		return nil, err
	}
	if len(ws) == 0 && required {
		local.close()
		return nil, fmt.Errorf("the witness %s holds no checkpoint signed by this log's audit key", dir)
	}
	return append(streams, ws...), nil
}

// witnessStreams opens every *.checkpoints file in dir whose first line is
// signed by one of this installation's audit keys: one witness directory may
// serve several installations, each with its own file.
func witnessStreams(dir string, keys *Keyring) ([]*cpStream, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.checkpoints"))
	if err != nil {
		return nil, fmt.Errorf("audit witness %s: %w", dir, err)
	}
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("audit witness: %w", err)
	}
	ours := map[string]bool{}
	for _, k := range keys.audit {
		ours[k.verify.Name()] = true
	}
	var out []*cpStream
	for _, n := range names {
		st, err := openCPStream(n, true)
		if err != nil {
			closeStreams(out)
			return nil, err
		}
		if st.pending == nil || !ours[st.pending.signer] {
			st.close()
			continue
		}
		out = append(out, st)
	}
	return out, nil
}

func closeStreams(ss []*cpStream) {
	for _, s := range ss {
		s.close()
	}
}
