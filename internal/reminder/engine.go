package reminder

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"time"

	"tryggspor/internal/tryggspor"
)

// Store is what the reminder engine needs from the database.
type Store interface {
	ScanOpenCases(ctx context.Context, fn func(*tryggspor.Case) error) error
	OpenReminderKeys(ctx context.Context) (map[Key]int64, error)
	ApplyReminders(ctx context.Context, add []tryggspor.Reminder, resolve []int64) ([]tryggspor.Reminder, error)
	OpenReminders(ctx context.Context, recipients []string, today time.Time) ([]tryggspor.Task, error)
	ListUsers(ctx context.Context) ([]tryggspor.User, error)
	ListOrganisations(ctx context.Context) ([]tryggspor.Organisation, error)
	DigestSent(ctx context.Context, userID int64, day string) (bool, error)
	RecordDigest(ctx context.Context, userID int64, day string, n int) error
	Audit(ctx context.Context, entries ...tryggspor.AuditEntry) error
}

// Engine runs the sweep, the task list and the digest.
type Engine struct {
	Store    Store
	Service  *tryggspor.Service
	Settings Settings
	Now      func() time.Time
	Mailer   Mailer // nil: digests cannot be sent
	BaseURL  string
	Log      *slog.Logger
}

// Sweep evaluates every open case once: it expires unanswered handovers,
// records automatic no-responses when configured, and records the reminders
// due now. Reminders already recorded are not created again, so a second run
// creates nothing and a run after downtime catches up. It returns the
// reminders this run created.
func (e *Engine) Sweep(ctx context.Context) ([]tryggspor.Reminder, error) {
	if _, err := e.Service.ExpireHandovers(ctx); err != nil {
		return nil, err
	}
	today := tryggspor.Today(e.Now())
	var due []tryggspor.Reminder
	var auto []string
	autoOn := map[string]time.Time{}
	err := e.Store.ScanOpenCases(ctx, func(c *tryggspor.Case) error {
		if on, ok := AutoNoResponseDue(c, today, e.Settings); ok {
			auto = append(auto, c.ID)
			autoOn[c.ID] = on
			return nil
		}
		due = append(due, Evaluate(c, today, e.Settings)...)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	for _, id := range auto {
		stillDue := func(c *tryggspor.Case) bool { _, ok := AutoNoResponseDue(c, today, e.Settings); return ok }
		if err := e.Service.RecordAutoNoResponse(ctx, id, autoOn[id], stillDue); err != nil {
			return nil, fmt.Errorf("automatic no_response: %w", err)
		}
	}
	open, err := e.Store.OpenReminderKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("open reminders: %w", err)
	}
	var add []tryggspor.Reminder
	for _, d := range due {
		k := KeyOf(d)
		if _, ok := open[k]; ok {
			delete(open, k)
			continue
		}
		add = append(add, d)
	}
	resolve := make([]int64, 0, len(open))
	for _, id := range open {
		resolve = append(resolve, id)
	}
	created, err := e.Store.ApplyReminders(ctx, add, resolve)
	if err != nil {
		return nil, fmt.Errorf("save reminders: %w", err)
	}
	return created, nil
}

// Recipients are the reminder recipients a user answers for: the user, their
// role group in their organisation, and for leaders every unit below theirs.
func Recipients(u tryggspor.User, orgs []tryggspor.Organisation) []string {
	out := []string{"user:" + strconv.FormatInt(u.ID, 10)}
	switch u.Role {
	case tryggspor.RoleOfficer:
		out = append(out, "officers:"+u.Org)
	case tryggspor.RoleGuide:
		out = append(out, "guides:"+u.Org)
	case tryggspor.RoleLeader:
		for _, code := range tryggspor.Subtree(u.Org, orgs) {
			out = append(out, "leaders:"+code)
		}
	default:
		return nil
	}
	return out
}

// Tasks returns the user's open reminders that are still due: a reminder is
// done as soon as the event that satisfies its rule is recorded, even before
// the next sweep.
func (e *Engine) Tasks(ctx context.Context, u tryggspor.User) ([]tryggspor.Task, error) {
	orgs, err := e.Store.ListOrganisations(ctx)
	if err != nil {
		return nil, err
	}
	today := tryggspor.Today(e.Now())
	open, err := e.Store.OpenReminders(ctx, Recipients(u, orgs), today)
	if err != nil {
		return nil, err
	}
	var out []tryggspor.Task
	for _, t := range open {
		for _, r := range Evaluate(t.Case, today, e.Settings) {
			if r.Rule == t.Rule && r.DueOn.Equal(t.DueOn) && r.Recipient == t.Recipient {
				out = append(out, t)
				break
			}
		}
	}
	return out, nil
}

// TaskList is the signed-in user's due reminders, for officers, guides and
// leaders; viewing it is audited like any other list.
func (e *Engine) TaskList(ctx context.Context, a tryggspor.Actor) ([]tryggspor.Task, error) {
	entry := tryggspor.NewEntry(a, tryggspor.ActTaskList, "", "")
	switch a.Role {
	case tryggspor.RoleOfficer, tryggspor.RoleGuide, tryggspor.RoleLeader:
	default:
		return nil, tryggspor.Deny(ctx, e.Store, entry, tryggspor.Forbidden("Du har ingen oppgaveliste."))
	}
	tasks, err := e.Tasks(ctx, tryggspor.User{ID: a.UserID, Name: a.Name, Role: a.Role, Org: a.Org})
	if err != nil {
		return nil, fmt.Errorf("task list: %w", err)
	}
	entry = entry.With(tryggspor.Det(tryggspor.DetTasks, len(tasks)))
	if err := e.Store.Audit(ctx, entry); err != nil {
		return nil, fmt.Errorf("audit task list: %w", err)
	}
	return tasks, nil
}

// Addressed is the recipient of each reminder as the operator running the
// sweep from the command line reads it: a user by e-mail address, a group
// ("guides:<org>") as it is. Only the system (the command line) may ask;
// reading the addresses is audited as a user listing for reminders.
func (e *Engine) Addressed(ctx context.Context, a tryggspor.Actor, rs []tryggspor.Reminder) ([]string, error) {
	if !a.IsSystem() {
		return nil, tryggspor.Deny(ctx, e.Store, tryggspor.NewEntry(a, tryggspor.ActUserList, "", ""),
			tryggspor.Forbidden("Bare kommandolinjen viser mottakernes e-postadresser."))
	}
	out := make([]string, len(rs))
	ids := map[int64]bool{}
	for i, r := range rs {
		out[i] = r.Recipient
		if id, ok := strings.CutPrefix(r.Recipient, "user:"); ok {
			n, _ := strconv.ParseInt(id, 10, 64)
			ids[n] = true
		}
	}
	if len(ids) == 0 {
		return out, nil
	}
	users, err := e.Store.ListUsers(ctx)
	if err != nil {
		return nil, fmt.Errorf("reminder recipients: %w", err)
	}
	email := map[string]string{}
	for _, u := range users {
		if ids[u.ID] && u.Email != "" {
			email["user:"+strconv.FormatInt(u.ID, 10)] = u.Email
		}
	}
	for i, r := range out {
		if m, ok := email[r]; ok {
			out[i] = m
		}
	}
	entry := tryggspor.NewEntry(a, tryggspor.ActUserList, "", fmt.Sprintf("%d e-postadresser til påminnelser", len(email))).
		For(tryggspor.PurposeReminders)
	if err := e.Store.Audit(ctx, entry); err != nil {
		return nil, fmt.Errorf("audit reminder recipients: %w", err)
	}
	return out, nil
}

// Digest sends each user with open tasks one e-mail for today, once: counts,
// case references and links only. A second run the same day sends nothing.
func (e *Engine) Digest(ctx context.Context) (int, error) {
	if e.Mailer == nil {
		return 0, fmt.Errorf("no SMTP server configured ([smtp] host or TRYGGSPOR_SMTP_HOST)")
	}
	day := tryggspor.FormatDate(tryggspor.Today(e.Now()))
	users, err := e.Store.ListUsers(ctx)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, u := range users {
		if u.Email == "" {
			continue
		}
		if done, err := e.Store.DigestSent(ctx, u.ID, day); err != nil || done {
			if err != nil {
				return sent, err
			}
			continue
		}
		tasks, err := e.Tasks(ctx, u)
		if err != nil || len(tasks) == 0 {
			if err != nil {
				return sent, err
			}
			continue
		}
		if err := e.Mailer.Send(ctx, u.Email, digestSubject(len(tasks)), digestBody(u, tasks, e.BaseURL, day)); err != nil {
			return sent, fmt.Errorf("digest to user %d: %w", u.ID, err)
		}
		if err := e.Store.RecordDigest(ctx, u.ID, day, len(tasks)); err != nil {
			return sent, err
		}
		a := tryggspor.NewEntry(tryggspor.System("digest"), tryggspor.ActDigestSend, "", "").
			With(tryggspor.Det(tryggspor.DetTasks, len(tasks))).
			For(tryggspor.PurposeReminders).On("user:" + strconv.FormatInt(u.ID, 10))
		if err := e.Store.Audit(ctx, a); err != nil {
			return sent, err
		}
		sent++
	}
	return sent, nil
}

func digestSubject(n int) string {
	if n == 1 {
		return "Tryggspor: 1 oppgave venter"
	}
	return fmt.Sprintf("Tryggspor: %d oppgaver venter", n)
}

// digestBody lists rule, reference, due date and link per task: never a name,
// phone number, note or offence category.
func digestBody(u tryggspor.User, tasks []tryggspor.Task, base, day string) string {
	byRule := map[string]int{}
	for _, t := range tasks {
		byRule[t.Rule]++
	}
	rules := make([]string, 0, len(byRule))
	for r := range byRule {
		rules = append(rules, r)
	}
	sort.Strings(rules)
	var b strings.Builder
	fmt.Fprintf(&b, "Hei,\n\nDu har %d oppgaver i Tryggspor per %s.\n\n", len(tasks), day)
	for _, r := range rules {
		fmt.Fprintf(&b, "%s: %d\n", Labels[r], byRule[r])
	}
	b.WriteString("\n")
	for _, t := range tasks {
		fmt.Fprintf(&b, "- %s – %s (forfalt %s): %s/cases/%s\n", t.CaseRef, Labels[t.Rule], tryggspor.FormatDate(t.DueOn),
			strings.TrimRight(base, "/"), t.CaseID)
	}
	fmt.Fprintf(&b, "\nOppgavelisten: %s/tasks\n\nDenne e-posten inneholder bevisst ingen personopplysninger.\n", strings.TrimRight(base, "/"))
	return b.String()
}
