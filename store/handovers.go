package store

import "context"

// DueHandovers lists cases whose pending handover was not answered by its
// accept-by date (before today, YYYY-MM-DD).
func (s *Store) DueHandovers(ctx context.Context, today string) ([]string, error) {
	rows, err := s.rd.QueryContext(ctx, `SELECT id FROM cases WHERE pending_to <> '' AND accept_by <> '' AND accept_by < ? ORDER BY accept_by`, today)
	if err != nil {
		return nil, wrap(err, "due handovers")
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, wrap(err, "due handovers")
		}
		ids = append(ids, id)
	}
	return ids, wrap(rows.Err(), "due handovers")
}
