package testkit

import (
	"testing"
	"time"
)

// Patience is how long a test may wait for something that must happen (a
// server to answer, a process to stop, a page to load): until shortly before
// the test binary's own -timeout. Tests never guess the machine's speed — a
// shared 2-core machine under -race can be many times slower than a quiet
// one — so a thing that never happens fails at the deadline with the test's
// own message, and a thing that is merely slow passes. Time limits belong in
// benchmarks.
func Patience(t testing.TB) time.Duration {
	if d, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if end, set := d.Deadline(); set {
			if left := time.Until(end) - 30*time.Second; left > time.Second {
				return left
			}
			return time.Second
		}
	}
	return 10 * time.Minute
}
