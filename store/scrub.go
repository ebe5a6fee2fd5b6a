package store

import (
	"context"
	"time"
)

// ScrubChunk is how many entries the scrubber reads per query: small enough
// that a chunk is a few milliseconds of one core, so requests never wait
// behind it.
const ScrubChunk = 5000

// ScrubAudit checks the whole audit chain once, as `audit verify` does, for
// the background scrubber: chunk entries per query (a short read each, never
// a long-held snapshot), pausing between chunks so that the pass takes about
// every (0: no pauses). Memory stays the same whatever the log's size. It
// holds the log against the local checkpoint file and the witness; entries
// and checkpoints added during the pass are the minute tick's, and a
// checkpoint line written meanwhile is checked against the log as it is.
func (s *Store) ScrubAudit(ctx context.Context, every time.Duration, chunk int) (VerifyResult, error) {
	streams, err := s.checkpointStreams("", false)
	if err != nil {
		return VerifyResult{}, err
	}
	if s.witness != "" {
		ws, err := openCPStream(s.witness, true)
		if err != nil {
			closeStreams(streams)
			return VerifyResult{}, err
		}
		streams = append(streams, ws)
	}
	defer closeStreams(streams)
	to, err := maxAuditID(ctx, s.chain)
	if err != nil {
		return VerifyResult{}, err
	}
	w := newWalker(s.chain, s.keys, streams...)
	if err := w.walk(ctx, to, chunk, pacer(ctx, time.Now(), every, to)); err != nil {
		return w.res, err
	}
	return w.conclude(ctx, s.checkpoints)
}

// pacer waits after each chunk until the share of every that the entries
// checked so far are of the whole has passed.
func pacer(ctx context.Context, start time.Time, every time.Duration, total int64) func(int64) error {
	return func(checked int64) error {
		if every <= 0 || total <= 0 {
			return ctx.Err()
		}
		due := start.Add(time.Duration(float64(every) * float64(checked) / float64(total)))
		wait := time.Until(due)
		if wait <= 0 {
			return ctx.Err()
		}
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
