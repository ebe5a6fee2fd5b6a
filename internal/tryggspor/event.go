package tryggspor

import (
	"strconv"
	"strings"
	"time"
)

// EventType names one kind of event on a case timeline (SPEC §5).
type EventType string

// Event types.
const (
	EvRegistered        EventType = "registered"
	EvContactAttempt    EventType = "contact_attempt"
	EvOfferMade         EventType = "offer_made"
	EvScheduled         EventType = "conversation_scheduled"
	EvHeld              EventType = "conversation_held"
	EvDeclined          EventType = "declined"
	EvNoResponse        EventType = "no_response"
	EvConsent           EventType = "consent_recorded"
	EvHandoverProposed  EventType = "handover_proposed"
	EvHandoverWithdrawn EventType = "handover_withdrawn"
	EvHandoverAccepted  EventType = "handover_accepted"
	EvHandoverRejected  EventType = "handover_rejected"
	EvHandoverExpired   EventType = "handover_expired"
	EvGuideContact      EventType = "guide_contact"
	EvClosed            EventType = "closed"
	EvCorrection        EventType = "correction"
	// The follow-up plan (SPEC §13): an agreed measure, and its evaluation.
	EvPlanMeasure    EventType = "plan_measure"
	EvPlanEvaluation EventType = "plan_evaluation"
)

// EventData holds the structured, non-personal fields of an event. They stay
// readable after anonymisation so statistics never change.
type EventData struct {
	Channel     string `json:"channel,omitempty"`
	Reached     string `json:"reached,omitempty"`
	With        string `json:"with,omitempty"`
	By          string `json:"by,omitempty"`
	Destination string `json:"destination,omitempty"`
	DestKind    string `json:"destination_kind,omitempty"`
	LegalBasis  string `json:"legal_basis,omitempty"`
	ExpiresOn   string `json:"expires_on,omitempty"`
	AcceptBy    string `json:"accept_by,omitempty"`
	Safety      int    `json:"safety,omitempty"`
	Field       string `json:"field,omitempty"`
	Supersedes  string `json:"supersedes,omitempty"`
	Auto        bool   `json:"auto,omitempty"`
	// Imported marks an event the importer reconstructed from a spreadsheet
	// row; an imported handover is statistics only and gives no access.
	Imported bool `json:"imported,omitempty"`
	// Suggested marks a guide contact that suggests onward follow-up (the
	// suggestion itself is in EventText): a task for the officer.
	Suggested bool `json:"suggested,omitempty"`
	// The follow-up plan (SPEC §13). Measure is, on an evaluation, the
	// number of the measure evaluated (its plan_measure event's Seq, as the
	// plan shows it); the measure's own words are in EventText.
	Owner      string `json:"owner,omitempty"`
	EvaluateBy string `json:"evaluate_by,omitempty"`
	Measure    string `json:"measure,omitempty"`
	Result     string `json:"result,omitempty"`
	Continue   string `json:"continue,omitempty"`
}

// EventText holds an event's free text, which may name people; it is encrypted
// at rest like the case's personal fields.
type EventText struct {
	Reason         string `json:"reason,omitempty"`
	Note           string `json:"note,omitempty"`
	LegalReference string `json:"legal_reference,omitempty"`
	Value          string `json:"value,omitempty"`
	OldValue       string `json:"old_value,omitempty"`
	Suggestion     string `json:"suggestion,omitempty"`
	// Measure is what was agreed (plan_measure) and OwnerName who is
	// responsible for it by name: both may name the child or the family.
	Measure   string `json:"measure,omitempty"`
	OwnerName string `json:"owner_name,omitempty"`
}

// Event is one entry on a case's append-only timeline.
type Event struct {
	ID         int64
	CaseID     string
	Seq        int
	Type       EventType
	Date       time.Time // the civil date it happened, as entered
	RecordedAt time.Time
	ActorID    int64
	ActorName  string
	ActorRole  Role
	ActorOrg   string
	Data       EventData
	Text       EventText
}

// EventInput is one posted event form, every value as typed. The form tags
// are the SPEC §10 field names; which fields an event type has is its
// EventSpec's business.
type EventInput struct {
	Type           string `form:"type"`
	Date           string `form:"date"`
	Channel        string `form:"channel"`
	Reached        string `form:"reached"`
	With           string `form:"with"`
	By             string `form:"by"`
	Reason         string `form:"reason"`
	Destination    string `form:"destination"`
	ExpiresOn      string `form:"expires_on"`
	LegalBasis     string `form:"legal_basis"`
	LegalReference string `form:"legal_reference"`
	AcceptBy       string `form:"accept_by"`
	Safety         string `form:"safety"`
	Note           string `form:"note"`
	Field          string `form:"field"`
	Value          string `form:"value"`
	Suggestion     string `form:"suggestion"`
	// ConsentBy and ConsentExpiresOn record, with a handover proposed on
	// consent, the consent itself when none is on record for the
	// destination: one step instead of two forms.
	ConsentBy        string `form:"consent_by"`
	ConsentExpiresOn string `form:"consent_expires_on"`
	Measure          string `form:"measure"`
	Owner            string `form:"owner"`
	OwnerName        string `form:"owner_name"`
	EvaluateBy       string `form:"evaluate_by"`
	Result           string `form:"result"`
	Continue         string `form:"continue"`
	// Confirmed is "yes" when the user has confirmed an event that needs it
	// (EventType.NeedsConfirmation).
	Confirmed string `form:"confirmed"`
}

// ImportActorName is the actor name the importer records its events under.
const ImportActorName = "Import"

// WasImported reports whether e was reconstructed by an import: marked so
// (Data.Imported), or recorded by the importer before events were marked
// (no user, actor "Import").
func (e Event) WasImported() bool {
	return e.Data.Imported || (e.ActorID == 0 && e.ActorName == ImportActorName)
}

func checkEventDate(fe FieldErrors, ev Event, today, registeredOn time.Time) {
	if ev.Date.IsZero() {
		return
	}
	if ev.Date.After(today) && ev.Type != EvScheduled {
		fe.Add("date", "Datoen kan ikke være i framtiden.")
	}
	if ev.Date.Before(registeredOn) {
		fe.Add("date", "Datoen kan ikke være før saken ble registrert ("+ShowDate(registeredOn)+").")
	}
}

func oneOf(fe FieldErrors, field, v string, allowed ...string) string {
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	fe.Add(field, "Velg en av verdiene.")
	return ""
}

func text(fe FieldErrors, field, v string, required bool, max int) string {
	v = strings.TrimSpace(v)
	checkText(fe, field, v, required, max)
	return v
}

func dateString(fe FieldErrors, field, v string, required bool) string {
	return FormatDate(parseDateField(fe, field, v, required))
}

func parseSafety(fe FieldErrors, s string, required bool) int {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			fe.Add("safety", "Velg en trygghetsvurdering fra 1 til 5.")
		}
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 5 {
		fe.Add("safety", "Trygghetsvurderingen må være fra 1 til 5.")
		return 0
	}
	return n
}
