package handlers

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/tryggspor"
)

type adminPage struct {
	Page
	Orgs  []tryggspor.Organisation
	Users []tryggspor.User
	Names map[string]string // organisation names by code
	// Replica is the replication state; nil when the database is not
	// replicated.
	Replica *replicaView
}

// replicaView is what the admin sees of replication: where to, how far
// behind, and when the last upload succeeded.
type replicaView struct {
	Target   string
	Lag      string // seconds, one decimal
	SyncedAt time.Time
	Behind   bool // more than a few seconds of writes exist only on this disk
}

// replicaState reads the replica's lag for the admin page.
func (h *Handler) replicaState() *replicaView {
	if h.Replication == nil {
		return nil
	}
	lag, at, target := h.Replication.ReplicaLag()
	return &replicaView{Target: target, Lag: strconv.FormatFloat(lag.Seconds(), 'f', 1, 64), SyncedAt: at,
		Behind: lag > 5*time.Second}
}

// adminHome lists organisations and the users known from sign-ins; no case
// content is reachable from here.
func (h *Handler) adminHome(c echo.Context) error {
	ctx := c.Request().Context()
	orgs, err := h.Service.Organisations(ctx)
	if err != nil {
		return err
	}
	users, err := h.Service.Users(ctx, actor(c))
	if err != nil {
		return err
	}
	p := adminPage{Page: h.page(c, "Administrasjon"), Orgs: orgs, Users: users, Names: tryggspor.NewDirectory(orgs).Names(),
		Replica: h.replicaState()}
	return h.render(c, http.StatusOK, "admin", p)
}
