package importer

import (
	"strconv"
	"time"

	"tryggspor/internal/tryggspor"
)

const importReason = "Importert fra regneark"

// timeline builds the events a case worked in the UI would have had to reach
// the row's outcome and handover, checks each with the workflow rules, and
// closes cases that have an outcome (they were concluded outside Tryggspor).
// Every event is the owning unit's import, marked imported: a historical
// handover is statistics only and gives the destination no access (issue 10),
// so no guide is made to have accepted or closed anything.
func (p *parser) timeline(rec []string, c *tryggspor.Case, add func(col, msg string)) []tryggspor.Event {
	h, ok := p.history(rec, c, add)
	if !ok {
		return nil
	}
	officer := tryggspor.Actor{Name: "import", Role: tryggspor.RoleOfficer, Org: c.Unit}
	b := &builder{c: c, add: add}
	b.step(officer, tryggspor.EvRegistered, c.RegisteredOn, tryggspor.EventData{}, tryggspor.EventText{})
	reached := "yes"
	if h.outcome == tryggspor.OutcomeNoResponse {
		reached = "no"
	}
	if h.outcome != tryggspor.OutcomeNone {
		b.step(officer, tryggspor.EvContactAttempt, c.RegisteredOn, tryggspor.EventData{Channel: "phone", Reached: reached, With: "guardian"}, tryggspor.EventText{})
	}
	switch h.outcome {
	case tryggspor.OutcomeConversation:
		b.step(officer, tryggspor.EvOfferMade, h.outcomeOn, tryggspor.EventData{}, tryggspor.EventText{})
		b.step(officer, tryggspor.EvHeld, h.outcomeOn, tryggspor.EventData{Safety: h.before}, tryggspor.EventText{})
	case tryggspor.OutcomeDeclined:
		b.step(officer, tryggspor.EvDeclined, h.outcomeOn, tryggspor.EventData{By: "guardian"}, tryggspor.EventText{Reason: importReason})
	case tryggspor.OutcomeNoResponse:
		b.step(officer, tryggspor.EvNoResponse, h.outcomeOn, tryggspor.EventData{}, tryggspor.EventText{})
	}
	end := h.outcomeOn
	if h.dest.Code != "" && !h.handoverOn.IsZero() {
		b.step(officer, tryggspor.EvHandoverProposed, h.handoverOn, tryggspor.EventData{Destination: h.dest.Code,
			DestKind: string(h.dest.Kind), LegalBasis: "statutory", AcceptBy: tryggspor.FormatDate(h.handoverOn.AddDate(0, 0, 1))},
			tryggspor.EventText{LegalReference: importReason})
		b.step(officer, tryggspor.EvHandoverAccepted, h.handoverOn, tryggspor.EventData{}, tryggspor.EventText{})
		end = h.handoverOn
	}
	if h.outcome == tryggspor.OutcomeConversation {
		b.step(officer, tryggspor.EvClosed, end, tryggspor.EventData{Safety: h.after}, tryggspor.EventText{Reason: importReason})
	}
	c.State = tryggspor.Fold(b.evs)
	return b.evs
}

// rowHistory is what a row says happened to the case before the import.
type rowHistory struct {
	outcome               tryggspor.Outcome
	outcomeOn, handoverOn time.Time
	before, after         int
	dest                  tryggspor.Organisation
}

// history reads and checks the row's outcome, dates, ratings and handover;
// ok is false when the outcome itself is unusable.
func (p *parser) history(rec []string, c *tryggspor.Case, add func(col, msg string)) (rowHistory, bool) {
	var h rowHistory
	h.outcome = tryggspor.Outcome(p.get(rec, "outcome"))
	h.outcomeOn, h.handoverOn = p.date(rec, c, "outcome_on", add), p.date(rec, c, "handover_on", add)
	h.before, h.after = p.safety(rec, "safety_before", add), p.safety(rec, "safety_after", add)
	switch h.outcome {
	case tryggspor.OutcomeNone, tryggspor.OutcomeConversation, tryggspor.OutcomeDeclined, tryggspor.OutcomeNoResponse:
	default:
		add("outcome", "use conversation, declined, no_response or leave it empty")
		return h, false
	}
	if h.outcome != tryggspor.OutcomeNone && h.outcomeOn.IsZero() {
		add("outcome_on", "required when outcome is given")
	}
	if h.outcome == tryggspor.OutcomeNone && !h.outcomeOn.IsZero() {
		add("outcome", "outcome_on is given but outcome is empty")
	}
	h.dest = p.handover(rec, h, add)
	return h, true
}

// handover checks the row's handover columns and returns the destination.
func (p *parser) handover(rec []string, h rowHistory, add func(col, msg string)) tryggspor.Organisation {
	dest := p.get(rec, "handover_to")
	if dest == "" {
		if !h.handoverOn.IsZero() {
			add("handover_to", "handover_on is given but handover_to is empty")
		}
		return tryggspor.Organisation{}
	}
	o, ok := p.orgs[dest]
	switch {
	case !ok || o.Kind == tryggspor.OrgPoliceUnit:
		add("handover_to", "not a school, Barnehuset or service in Tryggspor")
	case h.outcome != tryggspor.OutcomeConversation:
		add("handover_to", "a handover needs outcome conversation")
	case h.handoverOn.IsZero():
		add("handover_on", "required when handover_to is given")
	case h.handoverOn.Before(h.outcomeOn):
		add("handover_on", "the handover is before the conversation")
	case p.get(rec, "handover_kind") != "" && p.get(rec, "handover_kind") != tryggspor.HandoverKindOf(o.Kind):
		add("handover_kind", "does not match the kind of "+dest+" ("+tryggspor.HandoverKindOf(o.Kind)+")")
	}
	return o
}

// date reads a date column: in the past, not before registration.
func (p *parser) date(rec []string, c *tryggspor.Case, col string, add func(col, msg string)) time.Time {
	s := p.get(rec, col)
	if s == "" {
		return time.Time{}
	}
	d, ok := tryggspor.ParseDate(s)
	switch {
	case !ok:
		add(col, "not a date: use YYYY-MM-DD or DD.MM.YYYY")
	case d.After(p.today):
		add(col, "the date is in the future")
	case !c.RegisteredOn.IsZero() && d.Before(c.RegisteredOn):
		add(col, "the date is before registered_on")
	}
	return d
}

// safety reads a rating column: empty, or a whole number 1–5.
func (p *parser) safety(rec []string, col string, add func(col, msg string)) int {
	s := p.get(rec, col)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 5 {
		add(col, "a safety rating is a whole number from 1 to 5")
		return 0
	}
	return n
}

// builder appends events, checking each against the workflow as it stands.
type builder struct {
	c   *tryggspor.Case
	evs []tryggspor.Event
	add func(col, msg string)
	bad bool
}

func (b *builder) step(a tryggspor.Actor, t tryggspor.EventType, on time.Time, d tryggspor.EventData, tx tryggspor.EventText) {
	if b.bad || on.IsZero() {
		return
	}
	d.Imported = true
	ev := tryggspor.Event{Type: t, Date: on, ActorName: tryggspor.ImportActorName, ActorRole: a.Role, ActorOrg: a.Org, Data: d, Text: tx}
	if t != tryggspor.EvRegistered {
		b.c.State = tryggspor.Fold(b.evs)
		if err := tryggspor.Check(b.c, a, ev, tryggspor.DefaultHandoverPolicy); err != nil {
			b.add("outcome", "the row's outcome and handover do not make a valid case: "+tryggspor.ErrorMessage(err))
			b.bad = true
			return
		}
	}
	b.evs = append(b.evs, ev)
}
