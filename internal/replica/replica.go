// Package replica ships the database continuously to a second place — a
// directory (file://) or S3-compatible storage (s3://) — through Litestream
// used as a library, and restores it from there, latest or at a point in
// time. It keeps its own count of how far the replica is behind, because
// that number is what an operator (and the Data Protection Authority) asks
// after a lost disk: how many seconds of writes were at risk.
package replica

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/benbjohnson/litestream"
	"github.com/benbjohnson/litestream/file"
	"github.com/benbjohnson/litestream/s3"
	"github.com/superfly/ltx"

	"tryggspor/internal/config"
)

// shutdownSync bounds the last upload at shutdown, so an unreachable
// replica does not hold the stop for Litestream's default 30 s.
const shutdownSync = 10 * time.Second

// Client makes the Litestream client for a replica URL; endpoint, region
// and keys come from the [replication] section (the URL holds no secret).
func Client(rawURL string, c config.Replication) (litestream.ReplicaClient, error) {
	if err := config.CheckReplicaURL(rawURL); err != nil {
		return nil, err
	}
	u, _ := url.Parse(rawURL)
	if u.Scheme == "file" {
		return file.NewReplicaClient(u.Path), nil
	}
	if os.Getenv("AWS_CA_BUNDLE") != "" {
		// The AWS SDK refuses a CA bundle with the HTTP client Litestream
		// builds, with a message that names neither.
		return nil, errors.New("AWS_CA_BUNDLE is set, which Litestream's S3 client cannot use: unset it for tryggspor and put the CA in the system's certificate store (or SSL_CERT_FILE)")
	}
	cl := s3.NewReplicaClient()
	cl.Bucket, cl.Path = u.Host, strings.Trim(u.Path, "/")
	cl.Endpoint, cl.Region = c.Endpoint, c.Region
	cl.AccessKeyID, cl.SecretAccessKey = c.AccessKeyID, c.SecretAccessKey
	// S3-compatible servers other than AWS (MinIO, Ceph, the test server)
	// address buckets by path, not by host name.
	cl.ForcePathStyle = c.Endpoint != ""
	return cl, nil
}

// Replicator replicates one database while the server runs.
type Replicator struct {
	db       *litestream.DB
	ls       *litestream.Store
	interval time.Duration
	log      *slog.Logger
	target   string
	stop     context.CancelFunc
	done     chan struct{}

	mu         sync.Mutex
	pending    []seen   // local transactions not yet replicated, oldest first
	local      ltx.TXID // newest local transaction seen
	replicated ltx.TXID // newest transaction known to be in the replica
	syncedAt   time.Time
	lastErr    error
}

// seen is when a local transaction was first noticed: its lag counts from
// then.
type seen struct {
	txid ltx.TXID
	at   time.Time
}

// Start begins replicating the database at dbPath to c.URL. The server's
// writes never wait for it: Litestream copies committed WAL frames in the
// background, and an unreachable replica only makes the lag grow.
func Start(ctx context.Context, dbPath string, c config.Replication, log *slog.Logger) (*Replicator, error) {
	client, err := Client(c.URL, c)
	if err != nil {
		return nil, fmt.Errorf("replication: %w", err)
	}
	db := litestream.NewDB(dbPath)
	db.MonitorInterval = c.SyncInterval.Duration
	rep := litestream.NewReplicaWithClient(db, client)
	// Uploads are driven by this package's loop, at a steady interval: the
	// library's own monitor backs off up to 5 minutes after failures, which
	// would keep a returned replica behind long after it is back.
	rep.MonitorEnabled = false
	rep.SyncInterval = c.SyncInterval.Duration
	db.Replica = rep
	if fc, ok := client.(*file.ReplicaClient); ok {
		fc.Replica = rep
	}
	ls := litestream.NewStore([]*litestream.DB{db}, litestream.CompactionLevels{
		{Level: 0}, {Level: 1, Interval: 30 * time.Second}, {Level: 2, Interval: 5 * time.Minute}, {Level: 3, Interval: time.Hour}})
	ls.Logger = log.With("component", "replication")
	db.SetLogger(ls.Logger)
	ls.SnapshotRetention = c.Retention.Duration
	ls.SnapshotInterval = min(24*time.Hour, c.Retention.Duration)
	ls.SetShutdownSyncTimeout(shutdownSync)
	if err := ls.Open(ctx); err != nil {
		return nil, fmt.Errorf("replication to %s: %w", redact(c.URL), err)
	}
	r := &Replicator{db: db, ls: ls, interval: c.SyncInterval.Duration, log: ls.Logger, target: redact(c.URL),
		done: make(chan struct{})}
	lctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	r.stop = stop
	go r.run(lctx)
	log.Info("replication started", "replica", r.target, "sync_interval", r.interval.String(),
		"retention", c.Retention.String())
	return r, nil
}

// redact keeps the scheme, bucket and path of a replica URL (no user info).
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(invalid URL)"
	}
	u.User = nil
	return u.String()
}

// run uploads new transactions every interval and says in the log when the
// replica falls behind and when it has caught up.
func (r *Replicator) run(ctx context.Context) {
	defer close(r.done)
	t := time.NewTimer(r.interval)
	defer t.Stop()
	var behindSince, lastWarn time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := r.syncOnce(ctx)
		// While the replica is unreachable, try four times an interval, so
		// it has the backlog soon after it returns (a refused connection
		// costs nothing).
		if err != nil {
			t.Reset(r.interval / 4)
		} else {
			t.Reset(r.interval)
		}
		st := r.Status()
		switch {
		case st.Lag > 3*r.interval && time.Since(lastWarn) >= 30*time.Second:
			if behindSince.IsZero() {
				behindSince = time.Now()
			}
			lastWarn = time.Now()
			r.log.Warn("replica is behind: writes since then exist only on this disk", "replica", r.target,
				"lag_seconds", st.Lag.Seconds(), "err", errString(err))
		case st.Lag <= r.interval && !behindSince.IsZero():
			r.log.Info("replica has caught up", "replica", r.target, "behind_for", time.Since(behindSince).Round(time.Second).String())
			behindSince, lastWarn = time.Time{}, time.Time{}
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// syncOnce uploads what Litestream has staged since the last upload.
func (r *Replicator) syncOnce(ctx context.Context) error {
	r.observe()
	if !r.db.IsOpen() {
		return nil
	}
	err := r.db.Replica.Sync(ctx)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lastErr = err
	if err == nil {
		r.syncedAt = time.Now()
		if p := r.db.Replica.Pos(); p.TXID > r.replicated {
			r.replicated = p.TXID
		}
	}
	return err
}

// observe notes a new local transaction with the time it was first seen.
func (r *Replicator) observe() {
	pos, err := r.db.Pos()
	if err != nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if pos.TXID > r.local {
		r.local = pos.TXID
		r.pending = append(r.pending, seen{txid: pos.TXID, at: time.Now()})
	}
}

// Status is where the replica stands.
type Status struct {
	Target     string        // the replica URL, without credentials
	Local      ltx.TXID      // newest transaction staged from the database
	Replicated ltx.TXID      // newest transaction in the replica
	SyncedAt   time.Time     // last successful upload (zero: none yet)
	Lag        time.Duration // age of the oldest write not yet in the replica
	Err        error         // the last upload's error, if it failed
}

// Status says how far the replica is behind: the age of the oldest local
// transaction it does not yet have (0 when it has everything).
func (r *Replicator) Status() Status {
	r.observe()
	r.mu.Lock()
	defer r.mu.Unlock()
	for len(r.pending) > 0 && r.pending[0].txid <= r.replicated {
		r.pending = r.pending[1:]
	}
	s := Status{Target: r.target, Local: r.local, Replicated: r.replicated, SyncedAt: r.syncedAt, Err: r.lastErr}
	if len(r.pending) > 0 {
		s.Lag = time.Since(r.pending[0].at)
	}
	return s
}

// ReplicaLag is Status for the admin page and the metric: the lag, the last
// successful upload, and the replica's address.
func (r *Replicator) ReplicaLag() (time.Duration, time.Time, string) {
	s := r.Status()
	return s.Lag, s.SyncedAt, s.Target
}

// Checkpoint empties the write-ahead log (TRUNCATE) through Litestream,
// which must copy the log's frames before they are gone and holds a read
// lock that a checkpoint of the database's own would wait on forever.
func (r *Replicator) Checkpoint(ctx context.Context) error {
	return r.db.Checkpoint(ctx, litestream.CheckpointModeTruncate)
}

// Close uploads the last writes (for at most shutdownSync) and stops. Call it
// after the database's own connections are closed.
func (r *Replicator) Close(ctx context.Context) error {
	if r == nil {
		return nil
	}
	r.stop()
	<-r.done
	err := r.ls.Close(ctx)
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	return err
}
