package handlers

import (
	"github.com/labstack/echo/v4"

	"tryggspor/internal/tryggspor"
)

const (
	officer = tryggspor.RoleOfficer
	guide   = tryggspor.RoleGuide
	leader  = tryggspor.RoleLeader
	admin   = tryggspor.RoleAdmin
	auditor = tryggspor.RoleAuditor
)

// routes registers every route with its guard, on one screen. A route with no
// roles is public; every other route admits only the roles listed (deny by
// default). The middleware order is: request id → compression → log → recover →
// security headers → session → body limit (by role) → CSRF → (per route) role guard.
func (h *Handler) routes(e *echo.Echo) {
	e.Use(h.requestID, h.compress, h.logRequests, h.recoverPanics, h.securityHeaders, h.loadSession, h.limitBody, h.checkCSRF)

	h.public(e, "GET", "/healthz", h.healthz)
	h.public(e, "GET", "/readyz", h.readyz)
	h.public(e, "GET", "/static/*", h.static)
	h.public(e, "GET", "/favicon.ico", h.favicon)
	h.public(e, "GET", "/login", h.login)
	h.public(e, "GET", "/auth/callback", h.callback)
	h.public(e, "POST", "/logout", h.logout)
	h.public(e, "GET", "/tilgjengelighet", h.accessibility)
	h.public(e, "GET", "/signedout", h.signedOut)

	all := []tryggspor.Role{officer, guide, leader, admin, auditor}
	h.guarded(e, "GET", "/", h.home, all...)

	h.guarded(e, "GET", "/cases", h.caseList, officer)
	h.guarded(e, "GET", "/cases/new", h.caseNew, officer)
	h.guarded(e, "POST", "/cases", h.caseCreate, officer)
	h.guarded(e, "GET", "/cases/import", h.importForm, officer)
	h.guarded(e, "POST", "/cases/import", h.importPost, officer)
	h.guarded(e, "GET", "/cases/:id", h.caseShow, officer, guide)
	h.guarded(e, "POST", "/cases/:id/events", h.eventCreate, officer, guide)
	h.guarded(e, "GET", "/cases/:id/confirm", h.confirmShow, officer, guide)
	h.guarded(e, "GET", "/resume", h.resume, all...)
	h.guarded(e, "GET", "/cases/:id/innsyn", h.caseInnsyn, officer, guide)
	h.guarded(e, "GET", "/cases/:id/plan", h.casePlan, officer, guide)

	h.guarded(e, "GET", "/handovers", h.handoverList, guide)
	h.guarded(e, "GET", "/tasks", h.taskList, officer, guide, leader)
	h.guarded(e, "GET", "/stats", h.statsShow, leader)
	h.guarded(e, "GET", "/stats/report", h.statsReport, leader)
	h.guarded(e, "GET", "/stats/export.csv", h.statsExport("csv"), leader)
	h.guarded(e, "GET", "/stats/export.xlsx", h.statsExport("xlsx"), leader)
	h.guarded(e, "GET", "/stats/export.json", h.statsExport("json"), leader)
	h.guarded(e, "GET", "/audit", h.auditList, auditor)
	h.guarded(e, "GET", "/audit/export.csv", h.auditExport, auditor)
	h.guarded(e, "GET", "/audit/cases/:id", h.auditCase, auditor)
	h.guarded(e, "GET", "/admin", h.adminHome, admin)
	h.guarded(e, "GET", "/admin/privacy", h.adminPrivacy, admin, auditor)
	h.guarded(e, "GET", "/admin/orgs", h.orgList, admin)
	h.guarded(e, "GET", "/admin/orgs/new", h.orgNew, admin)
	h.guarded(e, "POST", "/admin/orgs", h.orgCreate, admin)
	h.guarded(e, "GET", "/admin/orgs/:code", h.orgEdit, admin)
	h.guarded(e, "POST", "/admin/orgs/:code", h.orgUpdate, admin)
}

func (h *Handler) public(e *echo.Echo, method, path string, fn echo.HandlerFunc) {
	h.access[method+" "+path] = nil
	e.Add(method, path, fn)
}

func (h *Handler) guarded(e *echo.Echo, method, path string, fn echo.HandlerFunc, roles ...tryggspor.Role) {
	h.access[method+" "+path] = roles
	e.Add(method, path, fn, h.guard(roles...))
}

// routeNames name every route in words, for the audit log: a refusal records
// the page's name, never a route pattern.
var routeNames = map[string]string{
	"GET /healthz": "Helsesjekk", "GET /readyz": "Klarsjekk", "GET /static/*": "Statiske filer",
	"GET /favicon.ico": "Ikon",
	"GET /login":       "Innlogging", "GET /auth/callback": "Innlogging (retur)", "POST /logout": "Utlogging", "GET /signedout": "Logget ut",
	"GET /": "Startsiden", "GET /cases": "Sakslisten", "GET /cases/new": "Registrer sak",
	"POST /cases": "Registrer sak (lagre)", "GET /cases/import": "Importer saker",
	"POST /cases/import": "Importer saker (send fil)", "GET /cases/:id": "Saksside",
	"POST /cases/:id/events": "Registrer hendelse", "GET /cases/:id/confirm": "Bekreft hendelse", "GET /resume": "Fortsett med skjemaet", "GET /cases/:id/innsyn": "Innsynsrapport", "GET /cases/:id/plan": "Tiltaksplan", "GET /handovers": "Overføringer", "GET /tasks": "Oppgaver",
	"GET /stats": "Statistikk", "GET /stats/report": "Rapportavsnitt", "GET /stats/export.csv": "Statistikk (CSV)",
	"GET /stats/export.xlsx": "Statistikk (Excel)", "GET /stats/export.json": "Statistikk (JSON)",
	"GET /audit": "Logg", "GET /audit/export.csv": "Logg (CSV)", "GET /audit/cases/:id": "Logg for én sak",
	"GET /admin": "Administrasjon", "GET /admin/privacy": "Behandlingsprotokoll", "GET /tilgjengelighet": "Tilgjengelighetserklæring", "GET /admin/orgs": "Organisasjoner", "GET /admin/orgs/new": "Ny organisasjon",
	"POST /admin/orgs": "Ny organisasjon (lagre)", "GET /admin/orgs/:code": "Endre organisasjon",
	"POST /admin/orgs/:code": "Endre organisasjon (lagre)",
}

// RouteName is the route's name in words ("" for a route without one, which
// the role × route test refuses).
func (h *Handler) RouteName(method, path string) string { return routeNames[method+" "+path] }

// pageName is the name of the page c asked for.
func pageName(c echo.Context) string {
	if n := routeNames[c.Request().Method+" "+c.Path()]; n != "" {
		return n
	}
	return "Ukjent side"
}
