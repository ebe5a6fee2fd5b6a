package reminder_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"tryggspor/internal/reminder"
	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

var ctx = context.Background()

// world has an officer's two cases as of 2026-03-20 08:00 UTC: one registered
// six days ago with no contact attempt, one with an offer followed by three
// unanswered attempts, the last over 14 days ago.
type world struct {
	app          *testkit.App
	officer      tryggspor.Actor
	fresh, quiet *tryggspor.Case
}

func newWorld(t *testing.T) *world {
	app := testkit.NewApp(t)
	app.SignIn(t, "politi")
	users, _ := app.Store.ListUsers(ctx)
	w := &world{app: app}
	for _, u := range users {
		if u.Subject == "politi" {
			w.officer = tryggspor.Actor{UserID: u.ID, Name: u.Name, Role: u.Role, Org: u.Org}
		}
	}
	app.Clock.T = time.Date(2026, 3, 20, 8, 0, 0, 0, time.UTC)
	reg := func(day string) *tryggspor.Case {
		c, err := app.Service.RegisterCase(ctx, w.officer, tryggspor.CaseInput{RegisteredOn: day, Category: "robbery",
			Role: "victim", Age: "15", Residence: "Bærum", Reported: "yes", IntraFamily: "no",
			PersonName: "Sigrid Secretname", GuardianName: "Gunnar Secretname", GuardianPhone: "+47 955 55 555",
			Notes: "secret-note-Zq"})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	w.fresh = reg("2026-03-14")
	w.quiet = reg("2026-02-01")
	for _, in := range []tryggspor.EventInput{
		{Type: "contact_attempt", Date: "2026-02-01", Channel: "phone", Reached: "yes", With: "guardian"},
		{Type: "offer_made", Date: "2026-02-01"},
		{Type: "contact_attempt", Date: "2026-02-02", Channel: "phone", Reached: "no", With: "guardian"},
		{Type: "contact_attempt", Date: "2026-02-03", Channel: "sms", Reached: "no", With: "guardian"},
		{Type: "contact_attempt", Date: "2026-02-04", Channel: "letter", Reached: "no", With: "guardian"},
	} {
		if _, err := app.Service.RecordEvent(ctx, w.officer, w.quiet.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func find(rs []tryggspor.Reminder, rule, ref, due string) bool {
	for _, r := range rs {
		if r.Rule == rule && r.CaseRef == ref && tryggspor.FormatDate(r.DueOn) == due {
			return true
		}
	}
	return false
}

func TestSweepCreatesEachReminderOnce(t *testing.T) {
	w := newWorld(t)
	created, err := w.app.Engine.Sweep(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !find(created, reminder.FirstContactDue, w.fresh.Ref, "2026-03-17") {
		t.Errorf("no first_contact_due for %s: %+v", w.fresh.Ref, created)
	}
	if !find(created, reminder.NoResponseDue, w.quiet.Ref, "2026-02-18") {
		t.Errorf("no no_response_due for %s: %+v", w.quiet.Ref, created)
	}
	again, err := w.app.Engine.Sweep(ctx)
	if err != nil || len(again) != 0 {
		t.Errorf("second sweep created %d: %+v %v", len(again), again, err)
	}
	// After downtime the next sweep catches up, still without duplicates.
	w.app.Clock.T = w.app.Clock.T.AddDate(0, 3, 0)
	later, _ := w.app.Engine.Sweep(ctx)
	if find(later, reminder.FirstContactDue, w.fresh.Ref, "2026-03-17") || !find(later, reminder.StaleCase, w.fresh.Ref, "2026-06-18") {
		t.Errorf("sweep after downtime: %+v", later)
	}
}

func TestTasksAndDigest(t *testing.T) {
	w := newWorld(t)
	inbox := testkit.StartSMTP(t)
	w.app.Engine.Mailer = reminder.SMTP{Host: inbox.Host, Port: inbox.Port, From: "tryggspor@example.org"}
	if _, err := w.app.Engine.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	n, err := w.app.Engine.Digest(ctx)
	if err != nil || n != 1 {
		t.Fatalf("digest: %d sent, %v", n, err)
	}
	mails := inbox.Mails()
	if len(mails) != 1 || mails[0].To[0] != "politi@example.org" {
		t.Fatalf("mails: %+v", mails)
	}
	body := mails[0].Data
	for _, want := range []string{w.fresh.Ref, w.quiet.Ref, "/cases/" + w.fresh.ID} {
		if !strings.Contains(body, want) {
			t.Errorf("digest lacks %q", want)
		}
	}
	for _, secret := range []string{"Secretname", "955 55 555", "955", "secret-note", "Ran", "robbery"} {
		if strings.Contains(body, secret) {
			t.Errorf("digest holds %q", secret)
		}
	}
	if n, _ := w.app.Engine.Digest(ctx); n != 0 || len(inbox.Mails()) != 1 {
		t.Errorf("second digest the same day sent %d", n)
	}

	// The task list shows both; recording a contact attempt takes one away.
	w.app.Clock.T = time.Now() // a live session for the page
	c := w.app.SignIn(t, "politi")
	w.app.Clock.T = time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)
	c.Get("/tasks")
	if c.Status() != http.StatusOK || !strings.Contains(c.Body, w.fresh.Ref) || !strings.Contains(c.Body, "Første kontakt") {
		t.Fatalf("task list: %d\n%s", c.Status(), c.Body)
	}
	if _, err := w.app.Service.RecordEvent(ctx, w.officer, w.fresh.ID, tryggspor.EventInput{Type: "contact_attempt",
		Date: "2026-03-20", Channel: "phone", Reached: "yes", With: "guardian"}); err != nil {
		t.Fatal(err)
	}
	c.Get("/tasks")
	if strings.Contains(c.Body, w.fresh.Ref) || !strings.Contains(c.Body, w.quiet.Ref) {
		t.Error("a satisfied reminder is still listed, or the other one vanished")
	}
}

// TestServerCronSweepsAndSurvivesAPanic runs the scheduled jobs as the server
// does, with the injected clock, next to a job that panics every second.
func TestServerCronSweepsAndSurvivesAPanic(t *testing.T) {
	w := newWorld(t)
	var sweeps, panics atomic.Int32
	jobs := w.app.Engine.Jobs("@every 1s", "@every 1h")
	sweep := jobs[0].Run
	jobs[0].Run = func(ctx context.Context) error { sweeps.Add(1); return sweep(ctx) }
	jobs = append(jobs, reminder.Job{Name: "boom", Spec: "@every 1s", Run: func(context.Context) error {
		panics.Add(1)
		panic("boom")
	}})
	cr, err := reminder.Start(jobs, w.app.Engine.Log)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { <-cr.Stop().Done() }()
	deadline := time.Now().Add(testkit.Patience(t))
	for sweeps.Load() < 3 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if sweeps.Load() < 3 || panics.Load() < 2 {
		t.Fatalf("after %d panics the sweep ran %d times", panics.Load(), sweeps.Load())
	}
	u := tryggspor.User{ID: w.officer.UserID, Role: tryggspor.RoleOfficer, Org: "baerum"}
	tasks, err := w.app.Engine.Tasks(ctx, u)
	if err != nil || len(tasks) != 2 {
		t.Errorf("the cron's sweep left %d tasks (%v), want 2", len(tasks), err)
	}
	if r := w.app.Anonymous(t).Get("/healthz"); r.Status() != http.StatusOK {
		t.Error("the server stopped answering")
	}
}
