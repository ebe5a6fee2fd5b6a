package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/reminder"
	"tryggspor/internal/tryggspor"
)

type taskPage struct {
	Page
	Tasks  []tryggspor.Task
	Links  bool
	Labels map[string]string
}

// taskList shows the user's due reminders: what, since when, and a link to
// the case (leaders see references only: they have no case pages).
func (h *Handler) taskList(c echo.Context) error {
	a := actor(c)
	tasks, err := h.Tasks.TaskList(c.Request().Context(), a)
	if err != nil {
		return err
	}
	p := taskPage{Page: h.page(c, "Oppgaver"), Tasks: tasks, Links: a.Role != tryggspor.RoleLeader,
		Labels: reminder.Labels}
	return h.render(c, http.StatusOK, "tasks", p)
}
