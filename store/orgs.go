package store

import (
	"context"
	"fmt"

	"tryggspor/internal/tryggspor"
)

// GetOrganisation returns one organisation by code.
func (s *Store) GetOrganisation(ctx context.Context, code string) (tryggspor.Organisation, error) {
	all, err := s.ListOrganisations(ctx)
	if err != nil {
		return tryggspor.Organisation{}, err
	}
	for _, o := range all {
		if o.Code == code {
			return o, nil
		}
	}
	return tryggspor.Organisation{}, tryggspor.NotFound("Ukjent organisasjon %q.", code)
}

// orgCache is the organisation list as of one org_version.
type orgCache struct {
	version int64
	list    []tryggspor.Organisation
}

// ListOrganisations returns every organisation, ordered by kind and name. The
// list is small and read on every case page, so it is cached; each call reads
// the one-row org_version counter, which triggers bump on every change by any
// process, and reloads the list when it moved.
func (s *Store) ListOrganisations(ctx context.Context) ([]tryggspor.Organisation, error) {
	var v int64
	if err := s.rd.QueryRowContext(ctx, `SELECT v FROM org_version`).Scan(&v); err != nil {
		return nil, fmt.Errorf("organisations version: %w", err)
	}
	if p := s.orgs.Load(); p != nil && p.version == v {
		return p.list, nil
	}
	rows, err := s.rd.QueryContext(ctx, `SELECT code, name, kind, COALESCE(parent, ''), municipality, orgno FROM organisations ORDER BY kind, name`)
	if err != nil {
		return nil, wrap(err, "list organisations")
	}
	defer rows.Close()
	var out []tryggspor.Organisation
	for rows.Next() {
		var o tryggspor.Organisation
		if err := rows.Scan(&o.Code, &o.Name, &o.Kind, &o.Parent, &o.Municipality, &o.OrgNo); err != nil {
			return nil, wrap(err, "list organisations")
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(err, "list organisations")
	}
	// The list may be newer than v (read in a later snapshot); stored under v it
	// is at worst reloaded once more.
	s.orgs.Store(&orgCache{version: v, list: out})
	return out, nil
}

// UpsertOrganisations creates or updates organisations in one transaction,
// parents before children, with one audit entry. Bad rows abort the whole set.
func (s *Store) UpsertOrganisations(ctx context.Context, orgs []tryggspor.Organisation, a tryggspor.AuditEntry) error {
	return s.write(ctx, func(t *Tx) error {
		for _, o := range orgs {
			_, err := t.ExecContext(ctx, `INSERT INTO organisations (code, name, kind, parent, municipality, orgno) VALUES (?, ?, ?, NULL, ?, ?)
				ON CONFLICT(code) DO UPDATE SET name = excluded.name, kind = excluded.kind, municipality = excluded.municipality,
					orgno = excluded.orgno`,
				o.Code, o.Name, string(o.Kind), o.Municipality, o.OrgNo)
			if err != nil {
				return fmt.Errorf("organisation %s: %w", o.Code, err)
			}
		}
		for _, o := range orgs {
			if _, err := t.ExecContext(ctx, `UPDATE organisations SET parent = NULLIF(?, '') WHERE code = ?`, o.Parent, o.Code); err != nil {
				return fmt.Errorf("organisation %s: parent %q: %w", o.Code, o.Parent, mapErr(err))
			}
		}
		return t.audit(ctx, a)
	})
}

// UpsertUser records a sign-in: the user keyed by (issuer, subject) gets the
// role and organisation of this sign-in's claims. The audit entry is written in
// the same transaction.
func (s *Store) UpsertUser(ctx context.Context, u tryggspor.User, a tryggspor.AuditEntry) (tryggspor.User, error) {
	err := s.write(ctx, func(t *Tx) error {
		now := ts(t.now)
		err := t.QueryRowContext(ctx, `INSERT INTO users (issuer, subject, name, email, role, org, created_at, last_login_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(issuer, subject) DO UPDATE SET name = excluded.name, email = excluded.email, role = excluded.role,
				org = excluded.org, last_login_at = excluded.last_login_at
			RETURNING id`, u.Issuer, u.Subject, u.Name, u.Email, string(u.Role), u.Org, now, now).Scan(&u.ID)
		if err != nil {
			return fmt.Errorf("upsert user: %w", err)
		}
		a.Actor.UserID, a.Actor.Name = u.ID, u.Name
		return t.audit(ctx, a)
	})
	s.sessions.dropUser(u.ID) // their other sessions see the new name, role and unit at once (after the commit)
	return u, err
}

// GetUser returns a user by id.
func (s *Store) GetUser(ctx context.Context, id int64) (tryggspor.User, error) {
	var u tryggspor.User
	err := s.r.QueryRowContext(ctx, `SELECT id, issuer, subject, name, email, role, org FROM users WHERE id = ?`, id).
		Scan(&u.ID, &u.Issuer, &u.Subject, &u.Name, &u.Email, &u.Role, &u.Org)
	return u, mapErr(err)
}

// ListUsers returns every user known from sign-ins.
func (s *Store) ListUsers(ctx context.Context) ([]tryggspor.User, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, issuer, subject, name, email, role, org FROM users ORDER BY role, name`)
	if err != nil {
		return nil, wrap(err, "list users")
	}
	defer rows.Close()
	var out []tryggspor.User
	for rows.Next() {
		var u tryggspor.User
		if err := rows.Scan(&u.ID, &u.Issuer, &u.Subject, &u.Name, &u.Email, &u.Role, &u.Org); err != nil {
			return nil, wrap(err, "list users")
		}
		out = append(out, u)
	}
	return out, wrap(rows.Err(), "list users")
}
