package store_test

import (
	"os"
	"path/filepath"
	"testing"

	"tryggspor/store"
)

// TestResolvePath: a symbolic link, a path with relative parts and a new
// file in a linked folder all name the real file, so they share one lock; a
// link to a missing file is refused instead of creating a database there.
func TestResolvePath(t *testing.T) {
	dir, _ := filepath.EvalSymlinks(t.TempDir())
	db := filepath.Join(dir, "live.db")
	os.WriteFile(db, nil, 0o600)
	os.Mkdir(filepath.Join(dir, "real"), 0o700)
	os.Symlink(db, filepath.Join(dir, "link.db"))
	os.Symlink(filepath.Join(dir, "real"), filepath.Join(dir, "linkdir"))
	os.Symlink(filepath.Join(dir, "gone.db"), filepath.Join(dir, "dangling.db"))
	for in, want := range map[string]string{
		filepath.Join(dir, "link.db"):               db,
		filepath.Join(dir, "real", "..", "live.db"): db,
		filepath.Join(dir, "linkdir", "new.db"):     filepath.Join(dir, "real", "new.db"),
	} {
		if got, err := store.ResolvePath(in); err != nil || got != want {
			t.Errorf("ResolvePath(%s) = %s, %v; want %s", in, got, err, want)
		}
	}
	if _, err := store.ResolvePath(filepath.Join(dir, "dangling.db")); err == nil {
		t.Error("a link to a missing file was followed")
	}
}
