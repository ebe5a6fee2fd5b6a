package store

import (
	"fmt"
	"time"

	"tryggspor/internal/tryggspor"
)

// dateCol is a date column as read: its text and where the date goes.
type dateCol struct {
	dst *time.Time
	src string
}

// readDates parses stored civil dates (YYYY-MM-DD; "" for none). A stored
// date that does not parse means the file was damaged or edited by hand: it
// is an error, never a silent zero date that would move a deadline or a
// statistics year.
func readDates(cols ...dateCol) error {
	for _, d := range cols {
		if d.src == "" {
			*d.dst = time.Time{}
			continue
		}
		t, ok := tryggspor.ParseDate(d.src)
		if !ok {
			return fmt.Errorf("stored date %q is not a date", d.src)
		}
		*d.dst = t
	}
	return nil
}

// readTS parses a stored instant (RFC 3339, UTC); "" is none.
func readTS(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t, nil
}
