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
	date := func(col string) time.Time {
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
	safety := func(col string) int {
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
	outcome := tryggspor.Outcome(p.get(rec, "outcome"))
	outcomeOn, handoverOn := date("outcome_on"), date("handover_on")
	before, after := safety("safety_before"), safety("safety_after")
	dest := p.get(rec, "handover_to")
	switch outcome {
	case tryggspor.OutcomeNone, tryggspor.OutcomeConversation, tryggspor.OutcomeDeclined, tryggspor.OutcomeNoResponse:
	default:
		add("outcome", "use conversation, declined, no_response or leave it empty")
		return nil
	}
	if outcome != tryggspor.OutcomeNone && outcomeOn.IsZero() {
		add("outcome_on", "required when outcome is given")
	}
	if outcome == tryggspor.OutcomeNone && !outcomeOn.IsZero() {
		add("outcome", "outcome_on is given but outcome is empty")
	}
	var destOrg tryggspor.Organisation
	if dest != "" {
		o, ok := p.orgs[dest]
		switch {
		case !ok || o.Kind == tryggspor.OrgPoliceUnit:
			add("handover_to", "not a school, Barnehuset or service in Tryggspor")
		case outcome != tryggspor.OutcomeConversation:
			add("handover_to", "a handover needs outcome conversation")
		case handoverOn.IsZero():
			add("handover_on", "required when handover_to is given")
		case handoverOn.Before(outcomeOn):
			add("handover_on", "the handover is before the conversation")
		case p.get(rec, "handover_kind") != "" && p.get(rec, "handover_kind") != tryggspor.HandoverKindOf(o.Kind):
			add("handover_kind", "does not match the kind of "+dest+" ("+tryggspor.HandoverKindOf(o.Kind)+")")
		}
		destOrg = o
	} else if !handoverOn.IsZero() {
		add("handover_to", "handover_on is given but handover_to is empty")
	}
	officer := tryggspor.Actor{Name: "import", Role: tryggspor.RoleOfficer, Org: c.Unit}
	b := &builder{c: c, add: add}
	b.step(officer, tryggspor.EvRegistered, c.RegisteredOn, tryggspor.EventData{}, tryggspor.EventText{})
	reached := "yes"
	if outcome == tryggspor.OutcomeNoResponse {
		reached = "no"
	}
	if outcome != tryggspor.OutcomeNone {
		b.step(officer, tryggspor.EvContactAttempt, c.RegisteredOn, tryggspor.EventData{Channel: "phone", Reached: reached, With: "guardian"}, tryggspor.EventText{})
	}
	switch outcome {
	case tryggspor.OutcomeConversation:
		b.step(officer, tryggspor.EvOfferMade, outcomeOn, tryggspor.EventData{}, tryggspor.EventText{})
		b.step(officer, tryggspor.EvHeld, outcomeOn, tryggspor.EventData{Safety: before}, tryggspor.EventText{})
	case tryggspor.OutcomeDeclined:
		b.step(officer, tryggspor.EvDeclined, outcomeOn, tryggspor.EventData{By: "guardian"}, tryggspor.EventText{Reason: importReason})
	case tryggspor.OutcomeNoResponse:
		b.step(officer, tryggspor.EvNoResponse, outcomeOn, tryggspor.EventData{}, tryggspor.EventText{})
	}
	end := outcomeOn
	if destOrg.Code != "" && !handoverOn.IsZero() {
		b.step(officer, tryggspor.EvHandoverProposed, handoverOn, tryggspor.EventData{Destination: dest,
			DestKind: string(destOrg.Kind), LegalBasis: "statutory", AcceptBy: tryggspor.FormatDate(handoverOn.AddDate(0, 0, 1))},
			tryggspor.EventText{LegalReference: importReason})
		b.step(officer, tryggspor.EvHandoverAccepted, handoverOn, tryggspor.EventData{}, tryggspor.EventText{})
		end = handoverOn
	}
	if outcome == tryggspor.OutcomeConversation {
		b.step(officer, tryggspor.EvClosed, end, tryggspor.EventData{Safety: after}, tryggspor.EventText{Reason: importReason})
	}
	c.State = tryggspor.Fold(b.evs)
	return b.evs
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
