//go:build unix

package main

import "syscall"

// privateFiles makes every file this process creates readable by its owner
// only. The database, its -wal and -shm, the key, the lock file, backups and
// exports hold (encrypted) personal data about children or the means to read
// it; with the usual umask 022 SQLite and os.Create would leave them
// world-readable (0644) for at least a moment, whatever the code does after.
// Setting the umask once, before anything is opened, covers files created by
// libraries too (SQLite's -wal and -shm, VACUUM INTO).
func privateFiles() { syscall.Umask(0o077) }
