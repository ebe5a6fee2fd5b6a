package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ResolvePath is the database file a path names: absolute, without relative
// parts, with every symbolic link followed. The lock (<db>.lock) and every
// file beside the database are taken from it, so a server started with one
// name and a restore given another (a symbolic link, "./x/../db") meet on one
// lock, and a restore replaces the database itself, not a link to it. A
// database that does not exist yet resolves through its folder; a link to a
// missing file is refused rather than followed into a new file.
func ResolvePath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("database path %s: %w", path, err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err == nil {
		return real, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("database path %s: %w", path, err)
	}
	if fi, lerr := os.Lstat(abs); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return "", fmt.Errorf("database path %s is a symbolic link to a file that does not exist", path)
	}
	dir, err := filepath.EvalSymlinks(filepath.Dir(abs))
	if err != nil {
		return "", fmt.Errorf("database path %s: %w", path, err)
	}
	return filepath.Join(dir, filepath.Base(abs)), nil
}
