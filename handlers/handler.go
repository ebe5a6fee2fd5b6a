// Package handlers is Tryggspor's web interface and the only package that
// imports Echo. routes.go lists every route with its guard; each resource has
// its own file; pages are server-rendered html/template, embedded and parsed at
// start, and work without JavaScript.
package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/auth"
	"tryggspor/internal/importer"
	"tryggspor/internal/privacy"
	"tryggspor/internal/stats"
	"tryggspor/internal/tryggspor"
)

// Sessions is the sign-in state the web layer keeps server-side: browser
// sessions and pending sign-ins.
type Sessions interface {
	// CreateSessionFor starts a session, keeping (encrypted) what signing
	// out at the provider needs.
	CreateSessionFor(ctx context.Context, userID int64, oldID string, lo tryggspor.Logout) (string, error)
	GetSession(ctx context.Context, id string) (*tryggspor.Session, error)
	// EndSession deletes a session and returns what signing out at its
	// provider needs.
	EndSession(ctx context.Context, id string) (tryggspor.Logout, error)
	SaveLoginState(ctx context.Context, state string, ls tryggspor.LoginState) error
	TakeLoginState(ctx context.Context, state string) (tryggspor.LoginState, error)
	// HoldForm keeps a form's values encrypted server-side for one user and
	// purpose, for the purpose's lifetime; HeldForm reads it back (take: and
	// deletes it); DropHeldForm deletes it.
	HoldForm(ctx context.Context, userID int64, purpose tryggspor.HoldPurpose, h tryggspor.HeldForm) (string, error)
	HeldForm(ctx context.Context, tok string, userID int64, purpose tryggspor.HoldPurpose, take bool) (tryggspor.HeldForm, error)
	DropHeldForm(ctx context.Context, tok string) error
}

// Tasks is the reminder task list use case.
type Tasks interface {
	TaskList(ctx context.Context, a tryggspor.Actor) ([]tryggspor.Task, error)
}

// Metrics observes each request by route pattern, method and status.
type Metrics interface {
	Observe(route, method string, status int, took time.Duration)
}

// Deps are the handler's collaborators, built once by internal/app. The
// handlers reach data only through the use cases (Service, Stats, Import,
// Tasks), which decide permission and audit; never through the store.
type Deps struct {
	Service  *tryggspor.Service // cases, organisations, users, the audit log, sign-in
	Stats    *stats.Service
	Import   *importer.Service
	Tasks    Tasks
	Sessions Sessions
	Auth     *auth.Set // the sign-in providers
	Metrics  Metrics   // nil: no metrics
	Log      *slog.Logger
	Now      func() time.Time
	// Privacy is the record of processing activities, made from the
	// configuration at start.
	Privacy privacy.Record
	// PrivacyEnglish is the same record written in English, for the
	// English page (empty: the page shows the bokmål record).
	PrivacyEnglish privacy.Record
	// A11yContact is where users report accessibility problems.
	A11yContact string
	// Places are the residences the register form offers (the
	// municipalities and the configured extras).
	Places []string
	// Extra is served in front of the application (the dev OpenID Provider),
	// under ExtraPrefix.
	Extra       http.Handler
	ExtraPrefix string
	// AcceptByDays is the accept-by date the handover form proposes, in
	// days from today (0: 14).
	AcceptByDays int
	// Replication is the replica's state for the admin page (nil: the
	// database is not replicated).
	Replication Replication
}

// Replication says how far the replica is behind: the age of the oldest
// write it does not have, its last successful upload, and where it is.
type Replication interface {
	ReplicaLag() (lag time.Duration, syncedAt time.Time, target string)
}

// Handler serves every page. Its methods are the route handlers.
type Handler struct {
	Deps
	pages  *pages
	access map[string][]tryggspor.Role // "METHOD path" → roles; nil slice = public
	blank  *blankForms
	// formCache holds the case page's rendered blank form sections.
	formCache *sectionCache
	menus     *menus
	hops      *logoutHops
}

// New builds the Echo instance with every route, middleware and the one error
// handler. A template that fails to parse stops the start.
func New(d Deps) (*echo.Echo, *Handler, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.AcceptByDays <= 0 {
		d.AcceptByDays = 14
	}
	p, err := parsePages()
	if err != nil {
		return nil, nil, err
	}
	h := &Handler{Deps: d, pages: p, access: map[string][]tryggspor.Role{}, blank: &blankForms{}, hops: &logoutHops{},
		formCache: newSectionCache(), menus: &menus{}}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = h.handleError
	h.routes(e)
	return e, h, nil
}

// Access reports the roles a route admits, and whether it is public. It is the
// guard table the role × route test checks against its own expectations.
func (h *Handler) Access(method, path string) (roles []tryggspor.Role, known bool) {
	r, ok := h.access[method+" "+path]
	return r, ok
}

// Wrap puts the dev provider (if any) in front of the application.
func Wrap(e *echo.Echo, d Deps) http.Handler {
	if d.Extra == nil {
		return e
	}
	mux := http.NewServeMux()
	mux.Handle(d.ExtraPrefix+"/", d.Extra)
	mux.Handle("/", e)
	return mux
}
