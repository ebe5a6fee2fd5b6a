// Package reminder turns case timelines into follow-up reminders (SPEC §6):
// pure due-date rules, a sweep that records them idempotently, the task list,
// the daily digest e-mail, and the cron schedule that runs it all.
package reminder

import (
	"slices"
	"strconv"
	"time"

	"tryggspor/internal/tryggspor"
)

// Rule names (SPEC §6).
const (
	FirstContactDue     = "first_contact_due"
	NoResponseDue       = "no_response_due"
	ConversationOverdue = "conversation_overdue"
	HandoverUnanswered  = "handover_unanswered"
	GuideFollowUpDue    = "guide_follow_up_due"
	ConsentExpiring     = "consent_expiring"
	StaleCase           = "stale_case"
	// GuideSuggestion: a guide suggested onward follow-up in a contact; the
	// officer has it as a task from the contact's date until they record
	// anything on the case (issue 10: only officers hand a case on).
	GuideSuggestion = "guide_suggestion"
	// PlanEvaluationDue: a measure of the follow-up plan is past its
	// evaluation date without an evaluation (SPEC §13).
	PlanEvaluationDue = "plan_evaluation_due"
)

// Labels are the bokmål names of the rules, for the task list and the digest.
var Labels = map[string]string{
	FirstContactDue: "Første kontakt er ikke tatt", NoResponseDue: "Ikke svart etter tre forsøk",
	ConversationOverdue: "Avtalt samtale er ikke registrert", HandoverUnanswered: "Overføring er ikke besvart",
	GuideFollowUpDue: "Trygghetsguiden har ikke hatt kontakt", ConsentExpiring: "Samtykket utløper snart",
	StaleCase: "Ingen aktivitet i saken", GuideSuggestion: "Trygghetsguiden foreslår videre oppfølging",
	PlanEvaluationDue: "Tiltak i planen skal evalueres",
}

// Key identifies a reminder: (rule, case, due date, recipient). A reminder is
// recorded once per key, so a sweep run twice, or after downtime, creates no
// duplicates.
type Key struct {
	Rule, CaseID, DueOn, Recipient string
}

// KeyOf returns r's key.
func KeyOf(r tryggspor.Reminder) Key {
	return Key{r.Rule, r.CaseID, tryggspor.FormatDate(r.DueOn), r.Recipient}
}

// Settings are the deadlines in days.
type Settings struct {
	FirstContactDays     int
	NoResponseDays       int
	NoResponseAttempts   int
	AutoNoResponse       bool
	AutoNoResponseDays   int
	HandoverReminderDays int
	HandoverEscalateDays int
	GuideFollowUpDays    int
	GuideEscalateDays    int
	ConsentExpiringDays  int
	StaleDays            int
	PlanEscalateDays     int
}

// DefaultSettings are SPEC §6's defaults.
var DefaultSettings = Settings{FirstContactDays: 3, NoResponseDays: 14, NoResponseAttempts: 3, AutoNoResponseDays: 21,
	HandoverReminderDays: 7, HandoverEscalateDays: 14, GuideFollowUpDays: 30, GuideEscalateDays: 45,
	ConsentExpiringDays: 14, StaleDays: 90, PlanEscalateDays: 14}

// Officer is the recipient for the owning officer: the one who registered the
// case, or the unit's officers when nobody did (imported cases).
func Officer(c *tryggspor.Case) string {
	if c.CreatedBy != 0 {
		return "user:" + strconv.FormatInt(c.CreatedBy, 10)
	}
	return "officers:" + c.Unit
}

// Evaluate returns the reminders due for c on today (a civil date in
// Europe/Oslo). It is a pure function of the case's state, the date and the
// settings, so a second sweep, or one after downtime, finds the same
// reminders with the same due dates.
func Evaluate(c *tryggspor.Case, today time.Time, s Settings) []tryggspor.Reminder {
	var out []tryggspor.Reminder
	add := func(rule string, due time.Time, recipients ...string) {
		if due.IsZero() || due.After(today) {
			return
		}
		for _, r := range recipients {
			rem := tryggspor.Reminder{Rule: rule, CaseID: c.ID, CaseRef: c.Ref, DueOn: due, Recipient: r}
			if !slices.ContainsFunc(out, func(o tryggspor.Reminder) bool { return KeyOf(o) == KeyOf(rem) }) {
				out = append(out, rem) // one reminder per key, even when two rules' dates meet
			}
		}
	}
	days := func(t time.Time, n int) time.Time {
		if t.IsZero() {
			return t
		}
		return t.AddDate(0, 0, n)
	}
	if c.Status == tryggspor.StatusClosed || c.Anonymised {
		return nil
	}
	officer := Officer(c)
	if c.Status == tryggspor.StatusNew && c.Attempts == 0 {
		add(FirstContactDue, days(c.RegisteredOn, s.FirstContactDays), officer)
	}
	if NoResponseReady(c) && c.Unanswered >= s.NoResponseAttempts {
		add(NoResponseDue, days(c.LastAttemptOn, s.NoResponseDays), officer)
	}
	if c.Status == tryggspor.StatusScheduled {
		add(ConversationOverdue, days(c.ScheduledFor, 1), officer)
	}
	// Closed cases were left above, so a guide's grace period after closing
	// does not matter here.
	if c.PendingTo != "" && tryggspor.GuideMayAccess(c, c.PendingTo, today, 0) {
		add(HandoverUnanswered, days(c.ProposedOn, s.HandoverReminderDays), "guides:"+c.PendingTo)
		add(HandoverUnanswered, days(c.ProposedOn, s.HandoverEscalateDays), officer, "leaders:"+c.Unit)
	}
	if c.Status == tryggspor.StatusGuideFollowUp && tryggspor.GuideMayAccess(c, c.HandoverTo, today, 0) {
		last := c.LastGuideContact
		if last.IsZero() {
			last = c.HandoverOn
		}
		add(GuideFollowUpDue, days(last, s.GuideFollowUpDays), "guides:"+c.HandoverTo)
		add(GuideFollowUpDue, days(last, s.GuideEscalateDays), officer)
	}
	for _, x := range []struct {
		org   string
		until time.Time
	}{{c.HandoverTo, c.AccessUntil}, {c.PendingTo, c.PendingUntil}} {
		if x.org != "" && !x.until.IsZero() && !x.until.Before(today) {
			add(ConsentExpiring, days(x.until, -s.ConsentExpiringDays), officer, "guides:"+x.org)
		}
	}
	add(GuideSuggestion, c.SuggestedOn, officer)
	// A plan measure's evaluation is due the day after its date, to whoever
	// recorded it: the officer, or the guide's organisation while it still
	// has the case (else the officer), escalated to the officer
	// PlanEscalateDays later.
	add(PlanEvaluationDue, days(c.PlanDue, 1), officer)
	if !c.PlanGuideDue.IsZero() {
		if c.PlanDueOrg != "" && tryggspor.GuideMayAccess(c, c.PlanDueOrg, today, 0) {
			add(PlanEvaluationDue, days(c.PlanGuideDue, 1), "guides:"+c.PlanDueOrg)
			add(PlanEvaluationDue, days(c.PlanGuideDue, 1+s.PlanEscalateDays), officer)
		} else if !c.PlanGuideDue.Equal(c.PlanDue) {
			add(PlanEvaluationDue, days(c.PlanGuideDue, 1), officer)
		}
	}
	if !c.LastEventAt.IsZero() {
		add(StaleCase, days(tryggspor.Today(c.LastEventAt), s.StaleDays), officer)
	}
	return out
}

// NoResponseReady reports whether an offer is waiting for an answer, the
// situation no_response_due watches.
func NoResponseReady(c *tryggspor.Case) bool {
	return !c.OfferedOn.IsZero() && c.Outcome == tryggspor.OutcomeNone &&
		(c.Status == tryggspor.StatusOffered || c.Status == tryggspor.StatusContacting)
}

// AutoNoResponseDue reports whether the sweep should record no_response by
// itself (auto_no_response = true), and the date to record.
func AutoNoResponseDue(c *tryggspor.Case, today time.Time, s Settings) (time.Time, bool) {
	if !s.AutoNoResponse || !NoResponseReady(c) || c.Unanswered < s.NoResponseAttempts || c.LastAttemptOn.IsZero() {
		return time.Time{}, false
	}
	due := c.LastAttemptOn.AddDate(0, 0, s.AutoNoResponseDays)
	return due, !due.After(today)
}
