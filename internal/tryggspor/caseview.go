package tryggspor

// CaseView is one case as the actor may see it: the case, its timeline and,
// for a trygghetsguide, the officer to contact. What a guide may see is
// decided here, not in a page template, so every door shows the same.
type CaseView struct {
	Case     *Case
	Timeline []Event
	Guide    bool  // the guide's view: police-only fields and events left out
	Contact  *User // guide's view: the officer to reach about the case
	// Repeat is the repeat-victim indicator (officer's view), shown once
	// after a registration or a correction of name, birth date or
	// registration date: the person's cases in the 12 months before this
	// one, in any unit, unit and date only (SPEC §12–13); nil when no lookup
	// was due.
	Repeat *RepeatCheck
}

// guideVisible are the events a trygghetsguide sees: the conversation, the
// handover and the follow-up, never the police's contact history.
var guideVisible = map[EventType]bool{
	EvHeld: true, EvHandoverProposed: true, EvHandoverAccepted: true, EvHandoverRejected: true,
	EvHandoverWithdrawn: true, EvHandoverExpired: true, EvGuideContact: true, EvClosed: true,
	EvPlanMeasure: true, EvPlanEvaluation: true,
}

// guideText are the events whose free text a guide sees: their own contacts
// and the follow-up plan, which the guide works and the family receives.
var guideText = map[EventType]bool{EvGuideContact: true, EvPlanMeasure: true, EvPlanEvaluation: true}

// guideTimeline keeps the events a guide sees, with free text only on the
// guides' own contacts and the plan: reasons and legal references are the
// police's.
func guideTimeline(evs []Event) []Event {
	var out []Event
	for _, e := range evs {
		if !guideVisible[e.Type] {
			continue
		}
		if !guideText[e.Type] {
			e.Text = EventText{}
		}
		out = append(out, e)
	}
	return out
}

// guideFields returns a copy of c without the fields only the police see: the
// police report reference, notes, birth date and the intra-family flag with
// its reason.
func guideFields(c *Case) *Case {
	g := *c
	g.Personal.PoliceReportRef, g.Personal.Notes, g.Personal.BirthDate = "", "", ""
	g.IntraFamily, g.Personal.IntraFamilyReason = false, ""
	return &g
}

// policeContact is the officer a guide should call about the case: the one who
// last proposed a handover, else the last officer who recorded anything; 0
// when there is none.
func policeContact(evs []Event) int64 {
	var last, proposer int64
	for _, e := range evs {
		if e.ActorRole != RoleOfficer || e.ActorID == 0 {
			continue
		}
		last = e.ActorID
		if e.Type == EvHandoverProposed {
			proposer = e.ActorID
		}
	}
	if proposer != 0 {
		return proposer
	}
	return last
}
