package main

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"tryggspor/internal/metrics"
	"tryggspor/internal/tryggspor"
	"tryggspor/store"
)

// startScrub runs the audit scrubber beside the server until ctx ends; the
// returned channel closes when it has stopped (before the database closes).
// every 0 turns it off.
func startScrub(ctx context.Context, st *store.Store, every time.Duration, m *metrics.Metrics, log *slog.Logger) <-chan struct{} {
	done := make(chan struct{})
	if every <= 0 {
		close(done)
		return done
	}
	go func() {
		defer close(done)
		scrubLoop(ctx, st, every, m, log)
	}()
	return done
}

// scrubLoop re-checks the whole audit chain, one pass per `every`, paced so
// that the minute's checkpoint and the requests never wait for it: the
// minute's tick checks only what is new, and this is what notices an entry
// edited further back. A break is logged at every pass, counted in the
// metrics and written once into the audit log itself, where the
// data-protection officer reads it.
func scrubLoop(ctx context.Context, st *store.Store, every time.Duration, m *metrics.Metrics, log *slog.Logger) {
	recorded := ""
	for ctx.Err() == nil {
		start := time.Now()
		res, err := st.ScrubAudit(ctx, every, store.ScrubChunk)
		if ctx.Err() != nil {
			return
		}
		switch {
		case err != nil:
			log.Error("audit scrub could not finish", "err", err)
			m.ObserveScrub(-1, res.Entries, time.Now())
		case res.BrokenAt != 0:
			log.Error("audit log broken", "entry", res.BrokenAt, "reason", res.Reason, "checked", res.Entries)
			m.ObserveScrub(res.BrokenAt, res.Entries, time.Now())
			recorded = recordBreak(ctx, st, res, recorded, log)
		default:
			log.Info("audit scrub pass", "entries", res.Entries, "took", time.Since(start).Round(time.Second).String())
			m.ObserveScrub(0, res.Entries, time.Now())
		}
		wait(ctx, time.Until(start.Add(every)))
	}
}

// recordBreak writes a finding into the audit log once (last is the finding
// already written) and returns the finding.
func recordBreak(ctx context.Context, st *store.Store, res store.VerifyResult, last string, log *slog.Logger) string {
	finding := "entry " + strconv.FormatInt(res.BrokenAt, 10) + ": " + res.Reason
	if finding == last {
		return last
	}
	// The entry says where; the reason (technical, for the operator) is in
	// the server's log and the metrics.
	e := tryggspor.NewEntry(tryggspor.System("audit scrub"), tryggspor.ActAuditBroken, "", "").With(tryggspor.Det(tryggspor.DetBrokenAt, res.BrokenAt))
	e.Outcome = tryggspor.OutcomeFailed
	if err := st.Audit(ctx, e); err != nil {
		log.Error("audit log broken, and the finding could not be recorded in it", "err", err)
		return last
	}
	return finding
}

// wait sleeps for d or until ctx ends.
func wait(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
