package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/reminder"
	"tryggspor/internal/tryggspor"
)

type taskPage struct {
	Page
	Tasks []taskRow
	Links bool
}

// taskRow is one task as the list shows it, in the page's language.
type taskRow struct {
	Due, Task, CaseID, CaseRef string
}

// taskList shows the user's due reminders: what, since when, and a link to
// the case (leaders see references only: they have no case pages).
func (h *Handler) taskList(c echo.Context) error {
	a := actor(c)
	tasks, err := h.Tasks.TaskList(c.Request().Context(), a)
	if err != nil {
		return err
	}
	p := taskPage{Page: h.page(c, "Oppgaver"), Links: a.Role != tryggspor.RoleLeader}
	p.Tasks = make([]taskRow, len(tasks))
	for i, t := range tasks {
		p.Tasks[i] = taskRow{Due: showDate(t.DueOn), Task: p.T(reminder.Labels[t.Rule]), CaseID: t.CaseID, CaseRef: t.CaseRef}
	}
	return h.render(c, http.StatusOK, "tasks", p)
}
