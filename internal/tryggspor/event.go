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
}

// EventText holds an event's free text, which may name people; it is encrypted
// at rest like the case's personal fields.
type EventText struct {
	Reason         string `json:"reason,omitempty"`
	Note           string `json:"note,omitempty"`
	LegalReference string `json:"legal_reference,omitempty"`
	Value          string `json:"value,omitempty"`
	OldValue       string `json:"old_value,omitempty"`
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

// EventInput is one posted event form, every value as typed.
type EventInput struct {
	Type           string
	Date           string
	Channel        string
	Reached        string
	With           string
	By             string
	Reason         string
	Destination    string
	ExpiresOn      string
	LegalBasis     string
	LegalReference string
	AcceptBy       string
	Safety         string
	Note           string
	Field          string
	Value          string
}

// parse turns the form into an event, checking each field's own shape. Whether
// the event is allowed now is Check's business.
func (in EventInput) parse(today time.Time, registeredOn time.Time) (Event, error) {
	fe := FieldErrors{}
	ev := Event{Type: EventType(in.Type)}
	if _, ok := eventLabels[ev.Type]; !ok || ev.Type == EvRegistered {
		return ev, Invalid("Ukjent hendelsestype.")
	}
	if ev.Type != EvCorrection {
		ev.Date = parseDateField(fe, "date", in.Date, true)
		checkEventDate(fe, ev, today, registeredOn)
	} else {
		ev.Date = today
	}
	d, t := &ev.Data, &ev.Text
	switch ev.Type {
	case EvContactAttempt:
		d.Channel = oneOf(fe, "channel", in.Channel, "phone", "sms", "letter", "meeting")
		d.Reached = oneOf(fe, "reached", in.Reached, "yes", "no")
		d.With = oneOf(fe, "with", in.With, "guardian", "person")
	case EvHeld:
		d.Safety = parseSafety(fe, in.Safety, false)
	case EvDeclined:
		d.By = oneOf(fe, "by", in.By, "guardian", "person")
		t.Reason = text(fe, "reason", in.Reason, false, MaxNotes)
	case EvConsent:
		d.By = oneOf(fe, "by", in.By, "guardian", "person", "both")
		d.Destination = text(fe, "destination", in.Destination, true, maxText)
		d.ExpiresOn = dateString(fe, "expires_on", in.ExpiresOn, true)
	case EvHandoverProposed:
		d.Destination = text(fe, "destination", in.Destination, true, maxText)
		d.LegalBasis = oneOf(fe, "legal_basis", in.LegalBasis, "consent", "statutory")
		t.LegalReference = text(fe, "legal_reference", in.LegalReference, d.LegalBasis == "statutory", maxText)
		d.AcceptBy = dateString(fe, "accept_by", in.AcceptBy, true)
	case EvHandoverRejected, EvHandoverWithdrawn:
		t.Reason = text(fe, "reason", in.Reason, true, MaxNotes)
	case EvGuideContact:
		d.Safety = parseSafety(fe, in.Safety, true)
		t.Note = text(fe, "note", in.Note, false, MaxNotes)
	case EvClosed:
		t.Reason = text(fe, "reason", in.Reason, true, MaxNotes)
		d.Safety = parseSafety(fe, in.Safety, false)
	case EvCorrection:
		d.Field = oneOf(fe, "field", in.Field, correctable...)
		t.Value = text(fe, "value", in.Value, false, MaxNotes)
		t.Reason = text(fe, "reason", in.Reason, true, MaxNotes)
	}
	return ev, fe.Err()
}

func checkEventDate(fe FieldErrors, ev Event, today, registeredOn time.Time) {
	if ev.Date.IsZero() {
		return
	}
	if ev.Date.After(today) && ev.Type != EvScheduled {
		fe.Add("date", "Datoen kan ikke være i framtiden.")
	}
	if ev.Date.Before(registeredOn) {
		fe.Add("date", "Datoen kan ikke være før saken ble registrert ("+FormatDate(registeredOn)+").")
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

// eventLabels are the bokmål names of event types on the timeline.
var eventLabels = map[EventType]string{
	EvRegistered: "Registrert", EvContactAttempt: "Kontaktforsøk", EvOfferMade: "Tilbud gitt",
	EvScheduled: "Samtale avtalt", EvHeld: "Trygghetssamtale gjennomført", EvDeclined: "Takket nei",
	EvNoResponse: "Ikke svart", EvConsent: "Samtykke registrert", EvHandoverProposed: "Overføring foreslått",
	EvHandoverWithdrawn: "Overføring trukket tilbake", EvHandoverAccepted: "Overføring godtatt",
	EvHandoverRejected: "Overføring avvist", EvHandoverExpired: "Overføring utløpt",
	EvGuideContact: "Kontakt med trygghetsguide", EvClosed: "Avsluttet", EvCorrection: "Retting",
}

// Label is the bokmål name of the event type.
func (t EventType) Label() string { return eventLabels[t] }

// correctable lists the case fields a correction event may change.
var correctable = []string{"registered_on", "category", "role", "age", "residence_municipality", "reported",
	"school", "person_name", "birth_date", "guardian_name", "guardian_phone", "police_report_ref", "notes"}

// PersonalField reports whether a correctable field is personal (P) data.
func PersonalField(f string) bool {
	switch f {
	case "person_name", "birth_date", "guardian_name", "guardian_phone", "police_report_ref", "notes":
		return true
	}
	return false
}

// Values returns the form's values by SPEC field name, for re-rendering a
// refused form exactly as it was typed.
func (in EventInput) Values() map[string]string {
	return map[string]string{
		"type": in.Type, "date": in.Date, "channel": in.Channel, "reached": in.Reached, "with": in.With,
		"by": in.By, "reason": in.Reason, "destination": in.Destination, "expires_on": in.ExpiresOn,
		"legal_basis": in.LegalBasis, "legal_reference": in.LegalReference, "accept_by": in.AcceptBy,
		"safety": in.Safety, "note": in.Note, "field": in.Field, "value": in.Value,
	}
}
