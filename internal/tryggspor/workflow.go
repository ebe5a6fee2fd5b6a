package tryggspor

import "time"

// State is what a case's timeline adds up to. It is derived only by Fold, never
// edited, so the timeline stays the single source of truth.
type State struct {
	Status           Status
	Outcome          Outcome
	OutcomeOn        time.Time
	Attempts         int
	Unanswered       int // attempts since the offer without reaching anyone
	LastAttemptOn    time.Time
	OfferedOn        time.Time
	ScheduledFor     time.Time
	HeldOn           time.Time
	PendingTo        string
	PendingKind      string
	ProposedOn       time.Time
	AcceptBy         time.Time
	PendingBasis     string
	PendingUntil     time.Time // consent expiry for the pending destination; zero for a statutory basis
	PendingBy        string    // organisation that proposed the pending handover
	HandoverTo       string
	HandoverImported bool      // the accepted handover was imported: statistics only, it gives no access
	AccessUntil      time.Time // consent expiry for the accepted destination; zero for a statutory basis
	Guide            string    // the guide who accepted the handover
	HandoverKind     string
	HandoverOn       time.Time
	LastGuideContact time.Time
	SuggestedOn      time.Time // a guide's suggestion of onward follow-up the officer has not yet acted on
	SafetyBefore     int
	SafetyAfter      int
	Consents         map[string]time.Time // destination → expires on
	ClosedOn         time.Time
	LastEventAt      time.Time
	// The follow-up plan (SPEC §13): its measures (from the timeline only;
	// empty on a case read without it), and what the case row keeps of
	// them: the year's counts, the earliest evaluation due of the measures
	// officers recorded, and of those guides recorded with the guide's
	// organisation, so each side is reminded of its own.
	Plan         []Measure
	PlanCounts   PlanCounts
	PlanDue      time.Time
	PlanGuideDue time.Time
	PlanDueOrg   string
}

// Fold derives the state of a timeline. Events must be in sequence order.
func Fold(events []Event) State {
	s := State{Status: StatusNew}
	for _, e := range events {
		s.apply(e)
	}
	return s
}

func (s *State) apply(e Event) {
	if e.RecordedAt.After(s.LastEventAt) {
		s.LastEventAt = e.RecordedAt
	}
	if e.ActorRole == RoleOfficer {
		s.SuggestedOn = time.Time{} // the officer has acted on the case since
	}
	switch e.Type {
	case EvContactAttempt:
		s.Attempts++
		s.LastAttemptOn = e.Date
		if e.Data.Reached == "yes" {
			s.Unanswered = 0
		} else if !s.OfferedOn.IsZero() {
			s.Unanswered++
		}
		if s.Status == StatusNew {
			s.Status = StatusContacting
		}
	case EvOfferMade:
		s.OfferedOn, s.Status, s.Unanswered = e.Date, StatusOffered, 0
	case EvScheduled:
		s.ScheduledFor, s.Status = e.Date, StatusScheduled
		s.reopen()
	case EvHeld:
		s.reopen()
		s.Status, s.HeldOn = StatusHeld, e.Date
		s.Outcome, s.OutcomeOn = OutcomeConversation, e.Date
		if e.Data.Safety > 0 {
			s.SafetyBefore = e.Data.Safety
		}
	case EvDeclined, EvNoResponse:
		s.Status, s.Outcome, s.OutcomeOn, s.ClosedOn = StatusClosed, Outcome(e.Type), e.Date, e.Date
	case EvConsent, EvHandoverProposed, EvHandoverWithdrawn, EvHandoverRejected, EvHandoverExpired, EvHandoverAccepted:
		s.applyHandover(e)
	case EvGuideContact:
		s.LastGuideContact = e.Date
		s.SafetyAfter = e.Data.Safety
		if e.Data.Suggested && s.SuggestedOn.IsZero() {
			s.SuggestedOn = e.Date // the first suggestion still waiting for the officer
		}
	case EvPlanMeasure, EvPlanEvaluation:
		s.applyPlan(e)
	case EvClosed:
		s.Status, s.ClosedOn = StatusClosed, e.Date
		if e.Data.Safety > 0 {
			s.SafetyAfter = e.Data.Safety
		}
	}
}

// applyHandover folds the consent and handover events: who may follow the
// case up, until when.
func (s *State) applyHandover(e Event) {
	switch e.Type {
	case EvConsent:
		if s.Consents == nil {
			s.Consents = map[string]time.Time{}
		}
		exp, _ := ParseDate(e.Data.ExpiresOn) // checked when recorded; an empty one never expires
		s.Consents[e.Data.Destination] = exp
		if e.Data.Destination == s.PendingTo && s.PendingBasis == "consent" {
			s.PendingUntil = exp
		}
		if e.Data.Destination == s.HandoverTo && !s.AccessUntil.IsZero() {
			s.AccessUntil = exp
		}
	case EvHandoverProposed:
		s.Status, s.PendingTo, s.PendingKind, s.ProposedOn = StatusHandoverPending, e.Data.Destination, e.Data.DestKind, e.Date
		s.AcceptBy, _ = ParseDate(e.Data.AcceptBy) // checked when recorded
		s.PendingBasis, s.PendingUntil, s.PendingBy = e.Data.LegalBasis, time.Time{}, e.ActorOrg
		if e.Data.LegalBasis == "consent" {
			s.PendingUntil = s.Consents[e.Data.Destination]
		}
	case EvHandoverWithdrawn, EvHandoverRejected, EvHandoverExpired:
		s.clearPending()
		s.Status = StatusHeld
		if s.HandoverTo != "" {
			s.Status = StatusGuideFollowUp
		}
	case EvHandoverAccepted:
		s.HandoverTo, s.HandoverKind, s.HandoverOn = s.PendingTo, HandoverKindOf(OrgKind(s.PendingKind)), e.Date
		s.AccessUntil, s.Guide, s.HandoverImported = s.PendingUntil, e.ActorName, e.WasImported()
		s.clearPending()
		s.Status, s.LastGuideContact = StatusGuideFollowUp, e.Date
	}
}

func (s *State) clearPending() {
	s.PendingTo, s.PendingKind, s.PendingBasis, s.PendingBy = "", "", "", ""
	s.ProposedOn, s.AcceptBy, s.PendingUntil = time.Time{}, time.Time{}, time.Time{}
}

// reopen clears a decline or no-response when a conversation follows it: the
// later conversation supersedes the earlier outcome (SPEC §5).
func (s *State) reopen() {
	if s.Outcome == OutcomeDeclined || s.Outcome == OutcomeNoResponse {
		s.Outcome, s.OutcomeOn, s.ClosedOn = OutcomeNone, time.Time{}, time.Time{}
	}
}

// HandoverKindOf maps a destination organisation kind to the summary's
// handover kinds.
func HandoverKindOf(k OrgKind) string {
	switch k {
	case OrgSchool:
		return "school"
	case OrgBarnehuset:
		return "barnehuset"
	}
	return "other"
}

// Permitted decides whether actor may record an event of type t on case c now,
// from the case's state and the actor's role alone. Every refusal carries a
// message that tells the user what to do instead.
func Permitted(c *Case, actor Actor, t EventType) error {
	if err := permittedRole(c, actor, t); err != nil {
		return err
	}
	return permittedStatus(c, t)
}

// permittedRole applies the event type's Recorders (eventSpecs) to actor.
func permittedRole(c *Case, actor Actor, t EventType) error {
	spec, _ := t.Spec()
	w := spec.Who
	switch {
	case actor.IsSystem():
		if w.System {
			return nil
		}
		return Forbidden("Systemet kan ikke registrere denne hendelsen.")
	case actor.Role == RoleOfficer && actor.Org == c.Unit:
		if w.Officer {
			return nil
		}
		if msg := w.Refusal[RoleOfficer]; msg != "" {
			return Forbidden("%s", msg)
		}
	case actor.Role == RoleGuide:
		following := actor.Org == c.HandoverTo && c.HandoverTo != "" && !c.HandoverImported
		pending := actor.Org == c.PendingTo && c.PendingTo != ""
		if (w.Pending && pending) || (w.Following && following) {
			return nil
		}
		if msg := w.Refusal[RoleGuide]; msg != "" {
			return Forbidden("%s", msg)
		}
	}
	if msg := w.Refusal[""]; msg != "" {
		return Forbidden("%s", msg)
	}
	return Forbidden("Du har ikke tilgang til å registrere denne hendelsen.")
}

func permittedStatus(c *Case, t EventType) error {
	if c.Anonymised {
		return Conflict("Saken er anonymisert og kan ikke endres.")
	}
	spec, ok := t.Spec()
	if !ok || spec.Allowed == nil {
		return Invalid("Ukjent hendelsestype.")
	}
	return spec.Allowed(c.State)
}

// in reports whether the state's status is one of sts.
func (s State) in(sts ...Status) bool {
	for _, x := range sts {
		if s.Status == x {
			return true
		}
	}
	return false
}

// superseded reports whether a decline or no-response may still give way to a
// conversation (SPEC §5).
func (s State) superseded() bool {
	return s.Status == StatusClosed && (s.Outcome == OutcomeDeclined || s.Outcome == OutcomeNoResponse)
}

// outcomeAllowed is the rule for a decline or no-response: only before the
// case has an outcome, and a no-response only after a contact attempt.
func outcomeAllowed(s State, t EventType) error {
	switch {
	case s.Outcome == OutcomeConversation:
		return Conflict("Trygghetssamtalen er gjennomført. Et senere nei endrer ikke utfallet; avslutt saken i stedet.")
	case s.Status == StatusClosed:
		return Conflict("Saken har allerede et utfall.")
	case t == EvNoResponse && s.Status == StatusNew:
		return Conflict("Registrer minst ett kontaktforsøk før «ikke svart».")
	}
	return nil
}

// pendingHandover is the rule for answering a handover: one must be pending.
func pendingHandover(s State) error {
	if s.in(StatusHandoverPending) {
		return nil
	}
	return Conflict("Det finnes ingen overføring som venter på svar.")
}

// Check decides whether ev may be appended to c now: role, state, and the rules
// that depend on the event's own fields (legal basis, dates within the
// policy's bounds). An imported event (Data.Imported) is the importer's
// reconstruction of history: it must come from an officer of the owning unit,
// and only the state decides.
func Check(c *Case, actor Actor, ev Event, p HandoverPolicy) error {
	if ev.Data.Imported {
		if actor.Role != RoleOfficer || actor.Org != c.Unit {
			return Forbidden("Bare en import til enheten som eier saken kan registrere importerte hendelser.")
		}
		if err := permittedStatus(c, ev.Type); err != nil {
			return err
		}
	} else if err := Permitted(c, actor, ev.Type); err != nil {
		return err
	}
	d := ev.Data
	fe := FieldErrors{}
	p.checkDates(fe, ev)
	switch ev.Type {
	case EvHandoverProposed:
		if d.Destination == c.Unit || d.DestKind == string(OrgPoliceUnit) {
			fe.Add("destination", "Velg en skole, Barnehuset eller en kommunal tjeneste.")
		}
		if d.Destination == c.HandoverTo && !c.HandoverImported {
			fe.Add("destination", "Saken følges allerede opp av denne organisasjonen.")
		}
		if d.LegalBasis == "consent" {
			exp, ok := c.Consents[d.Destination]
			if !ok {
				fe.Add("legal_basis", "Det er ikke registrert samtykke til overføring til denne organisasjonen. Registrer samtykket først, eller velg lovhjemmel.")
			} else if exp.Before(ev.Date) {
				fe.Add("legal_basis", "Samtykket til denne organisasjonen er utløpt ("+ShowDate(exp)+").")
			}
		}
	case EvConsent:
		if d.Destination == c.Unit || d.DestKind == string(OrgPoliceUnit) {
			fe.Add("destination", "Velg en skole, Barnehuset eller en kommunal tjeneste.")
		}
	case EvPlanMeasure, EvPlanEvaluation:
		checkPlan(fe, c, ev)
	case EvHeld:
		if c.State.OfferedOn.After(ev.Date) && !c.State.OfferedOn.IsZero() {
			fe.Add("date", "Samtalen kan ikke være før tilbudet ble gitt ("+ShowDate(c.State.OfferedOn)+").")
		}
	}
	return fe.Err()
}

// NextEvents lists the event types actor may record on c now, in workflow order,
// so the case page offers exactly the forms that will be accepted.
func NextEvents(c *Case, actor Actor) []EventType {
	var out []EventType
	for _, s := range eventSpecs {
		if s.Action != "" && Permitted(c, actor, s.Type) == nil {
			out = append(out, s.Type)
		}
	}
	return out
}
