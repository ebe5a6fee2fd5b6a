//go:build unix

package store

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// fileLock is an advisory lock (flock) on <db>.lock. Every open Store holds it
// shared for its lifetime, so any number of servers and commands can use the
// database together; Restore takes it exclusively, so it can only replace the
// file when no process has it open. The lock file is never removed: removing
// it would let two processes lock two different files of the same name.
type fileLock struct{ f *os.File }

// errLocked says the lock is held in a mode that excludes ours.
var errLocked = errors.New("locked")

func lockFile(db string, exclusive bool) (*fileLock, error) {
	f, err := os.OpenFile(db+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock file: %w", err)
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	for {
		err = syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		if err == syscall.EWOULDBLOCK {
			return nil, errLocked
		}
		return nil, fmt.Errorf("lock %s.lock: %w", db, err)
	}
	return &fileLock{f: f}, nil
}

func (l *fileLock) release() error {
	if l == nil {
		return nil
	}
	return l.f.Close() // closing the last descriptor releases the flock
}
