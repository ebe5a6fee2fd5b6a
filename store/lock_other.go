//go:build !unix

package store

import "errors"

// fileLock is a no-op where flock is missing: stores open without a lock, and
// Restore refuses because it cannot tell whether a server holds the database.
type fileLock struct{}

var errLocked = errors.New("locked")

func lockFile(db string, exclusive bool) (*fileLock, error) {
	if exclusive {
		return nil, errors.New("restore needs file locks, which this platform lacks: stop the service and copy the file by hand")
	}
	return &fileLock{}, nil
}

func (l *fileLock) release() error { return nil }
