package replica

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/benbjohnson/litestream"
	"github.com/superfly/ltx"

	"tryggspor/internal/config"
)

// Fetch returns the function that writes the replica's database — the
// latest state, or the state at `at` when it is not zero — to the path it
// is given (store.RestoreReplica calls it under the exclusive lock). It
// also clears Litestream's local state beside dbPath, which describes the
// database being replaced, so the next server replicates the restored one
// from a fresh snapshot.
func Fetch(rawURL string, c config.Replication, dbPath string, at time.Time) func(ctx context.Context, out string) error {
	return func(ctx context.Context, out string) error {
		client, err := Client(rawURL, c)
		if err != nil {
			return err
		}
		if err := client.Init(ctx); err != nil {
			return fmt.Errorf("%s: %w", redact(rawURL), err)
		}
		rep := litestream.NewReplicaWithClient(nil, client)
		opt := litestream.NewRestoreOptions()
		opt.OutputPath, opt.Timestamp = out, at
		if !at.IsZero() {
			if err := checkWithin(ctx, rep, at); err != nil {
				return err
			}
		}
		if err := rep.Restore(ctx, opt); err != nil {
			if errors.Is(err, litestream.ErrTxNotAvailable) || errors.Is(err, litestream.ErrNoSnapshots) {
				return fmt.Errorf("%s holds no database (nothing replicated there yet, or the wrong URL)", redact(rawURL))
			}
			return fmt.Errorf("%s: %w", redact(rawURL), err)
		}
		return os.RemoveAll(litestream.NewDB(dbPath).MetaPath())
	}
}

// checkWithin refuses a time the replica does not cover, in words.
func checkWithin(ctx context.Context, rep *litestream.Replica, at time.Time) error {
	first, last, err := rep.TimeBounds(ctx)
	if err != nil {
		return err
	}
	if first.IsZero() {
		return errors.New("the replica holds no database (nothing replicated there yet, or the wrong URL)")
	}
	if at.Before(first) || at.After(last) {
		return fmt.Errorf("--at %s is outside what the replica holds (%s to %s)", at.UTC().Format(time.RFC3339),
			first.UTC().Format(time.RFC3339), last.UTC().Format(time.RFC3339))
	}
	return nil
}

// Remote is where a replica stands, as `tryggspor replica status` reports it.
type Remote struct {
	Target string    `json:"replica"`
	TXID   ltx.TXID  `json:"-"`
	At     time.Time `json:"time"` // when the newest replicated transaction was written
	Local  ltx.TXID  `json:"-"`    // newest transaction staged on this machine
	Lag    float64   `json:"lag_seconds"`
	// Position and LocalPosition are the transaction ids as text.
	Position      string `json:"position"`
	LocalPosition string `json:"local_position"`
}

// Inspect reads the replica's newest position and time, and this machine's
// staged position beside dbPath; the lag is the age of the oldest staged
// transaction the replica lacks (0 when it has them all).
func Inspect(ctx context.Context, rawURL string, c config.Replication, dbPath string) (Remote, error) {
	r := Remote{Target: redact(rawURL)}
	client, err := Client(rawURL, c)
	if err != nil {
		return r, err
	}
	if err := client.Init(ctx); err != nil {
		return r, fmt.Errorf("%s: %w", r.Target, err)
	}
	rep := litestream.NewReplicaWithClient(nil, client)
	for level := 0; level <= litestream.SnapshotLevel; level++ {
		info, err := rep.MaxLTXFileInfo(ctx, level)
		if err != nil {
			return r, fmt.Errorf("%s: %w", r.Target, err)
		}
		if info.MaxTXID > r.TXID || (info.MaxTXID == r.TXID && info.CreatedAt.After(r.At)) {
			r.TXID, r.At = info.MaxTXID, info.CreatedAt
		}
	}
	local := litestream.NewDB(dbPath)
	if pos, err := local.Pos(); err == nil {
		r.Local = pos.TXID
	}
	if r.Local > r.TXID {
		r.Lag = time.Since(stagedAt(local, r.TXID+1, r.At)).Seconds()
	}
	r.Position, r.LocalPosition = r.TXID.String(), r.Local.String()
	return r, nil
}

// stagedAt is when local transaction txid was staged, or otherwise when the
// replica was last written (the lag is then at least that old).
func stagedAt(db *litestream.DB, txid ltx.TXID, otherwise time.Time) time.Time {
	f, err := os.Open(db.LTXPath(0, txid, txid))
	if err != nil {
		return otherwise
	}
	defer f.Close()
	dec := ltx.NewDecoder(f)
	if err := dec.DecodeHeader(); err != nil {
		return otherwise
	}
	return time.UnixMilli(dec.Header().Timestamp)
}
