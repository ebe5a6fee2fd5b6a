package tryggspor

import (
	"context"
	"fmt"
	"strconv"
)

// Organisations lists every organisation. Any signed-in user may read them:
// pages name the owning unit, the school and handover destinations.
func (s *Service) Organisations(ctx context.Context) ([]Organisation, error) {
	orgs, err := s.Store.ListOrganisations(ctx)
	if err != nil {
		return nil, fmt.Errorf("list organisations: %w", err)
	}
	return orgs, nil
}

// Users lists the users known from sign-ins; administrators only.
func (s *Service) Users(ctx context.Context, a Actor) ([]User, error) {
	if a.Role != RoleAdmin {
		return nil, s.deny(ctx, a, ActUserList, "", Forbidden("Bare administratorer kan se brukerne."))
	}
	users, err := s.Store.ListUsers(ctx)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	if err := s.Store.Audit(ctx, NewEntry(a, ActUserList, "", strconv.Itoa(len(users))+" brukere")); err != nil {
		return nil, fmt.Errorf("audit user list: %w", err)
	}
	return users, nil
}

// SaveOrganisation creates (isNew) or updates one organisation; admins only.
// The police unit tree is checked as a whole, and the change audited.
func (s *Service) SaveOrganisation(ctx context.Context, a Actor, o Organisation, isNew bool) error {
	if a.Role != RoleAdmin {
		return s.deny(ctx, a, ActOrgSave, "", Forbidden("Bare administratorer kan endre organisasjoner."))
	}
	all, err := s.Store.ListOrganisations(ctx)
	if err != nil {
		return fmt.Errorf("save organisation %q: %w", o.Code, err)
	}
	fe := o.Validate(all)
	exists := false
	for _, x := range all {
		exists = exists || x.Code == o.Code
	}
	if isNew && exists {
		fe.Add("code", "Koden er allerede i bruk.")
	} else if !isNew && !exists {
		return NotFound("Ukjent organisasjon.")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	act := ActOrgUpdate
	if isNew {
		act = ActOrgCreate
	}
	if err := s.Store.UpsertOrganisations(ctx, []Organisation{o}, NewEntry(a, act, "", o.Code).On(o.Code)); err != nil {
		return fmt.Errorf("save organisation %q: %w", o.Code, err)
	}
	return nil
}

// AuditLog returns the newest audit entries, optionally of one case, to the
// data-protection officer; reading the log is itself audited.
func (s *Service) AuditLog(ctx context.Context, a Actor, caseID string) ([]AuditRecord, error) {
	if a.Role != RoleAuditor {
		return nil, s.deny(ctx, a, ActAuditView, caseID, Forbidden("Bare personvernombudet kan lese loggen."))
	}
	recs, err := s.Store.ListAudit(ctx, caseID, 200)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	if err := s.Store.Audit(ctx, NewEntry(a, ActAuditView, caseID, "")); err != nil {
		return nil, fmt.Errorf("audit log view: %w", err)
	}
	return recs, nil
}
