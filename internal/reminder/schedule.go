package reminder

import (
	"context"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"

	"tryggspor/internal/tryggspor"
)

// Job is one scheduled task.
type Job struct {
	Name string
	Spec string // cron spec in UTC; prefix CRON_TZ=Europe/Oslo for local time
	Run  func(ctx context.Context) error
}

// Start runs jobs on their schedules. A job that panics is recovered and
// logged (a bare cron.New would let it kill the process), and a job still
// running when its next turn comes is skipped rather than run twice at once.
// Recover sits inside SkipIfStillRunning: the other way round, a panic skips
// SkipIfStillRunning's release and the job never runs again.
// Stop the returned cron and wait on its context to shut down.
func Start(jobs []Job, log *slog.Logger) (*cron.Cron, error) {
	cl := cronLogger{log}
	cr := cron.New(cron.WithLocation(time.UTC), cron.WithChain(cron.SkipIfStillRunning(cl), cron.Recover(cl)))
	for _, j := range jobs {
		j := j
		_, err := cr.AddFunc(j.Spec, func() {
			if err := j.Run(context.Background()); err != nil {
				log.Error("job failed", "job", j.Name, "err", err)
			}
		})
		if err != nil {
			return nil, err
		}
	}
	cr.Start()
	return cr, nil
}

// Jobs are the engine's scheduled jobs: the sweep (which also sends any
// digest not yet sent today once it is past 07:00 in Oslo, so a server that
// was down at 07:00 still sends it) and the digest itself.
func (e *Engine) Jobs(sweepSpec, digestSpec string) []Job {
	return []Job{
		{Name: "sweep", Spec: sweepSpec, Run: func(ctx context.Context) error {
			created, err := e.Sweep(ctx)
			if err != nil {
				return err
			}
			if len(created) > 0 {
				e.Log.Info("reminders created", "count", len(created))
			}
			if e.Mailer != nil && e.Now().In(tryggspor.Oslo).Hour() >= 7 {
				_, err = e.Digest(ctx)
			}
			return err
		}},
		{Name: "digest", Spec: digestSpec, Run: func(ctx context.Context) error {
			if e.Mailer == nil {
				return nil
			}
			n, err := e.Digest(ctx)
			if n > 0 {
				e.Log.Info("digests sent", "count", n)
			}
			return err
		}},
	}
}

type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}
