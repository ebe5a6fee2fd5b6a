package tryggspor

import (
	"encoding/json"
	"reflect"
	"time"
)

// FieldKind says how an event field is entered and checked.
type FieldKind string

// Field kinds.
const (
	FieldDate     FieldKind = "date"
	FieldSelect   FieldKind = "select"   // one of Dim's codes
	FieldRadio    FieldKind = "radio"    // one of Dim's codes, few enough to show all
	FieldText     FieldKind = "text"     // one line
	FieldTextarea FieldKind = "textarea" // free text, up to MaxNotes
	FieldOrg      FieldKind = "org"      // an organisation code (a destination)
	FieldSafety   FieldKind = "safety"   // a rating 1–5
)

// FieldSpec is one field of an event form, by its SPEC §10 name.
type FieldSpec struct {
	Name     string
	Label    string // bokmål
	Kind     FieldKind
	Dim      string // the vocabulary of a select or radio
	Required bool
}

// EventSpec is one event type: its timeline label and its form's fields.
type EventSpec struct {
	Type   EventType
	Label  string // bokmål, as the timeline shows it
	Fields []FieldSpec
}

var (
	dateSpec   = FieldSpec{Name: "date", Label: "Dato", Kind: FieldDate, Required: true}
	safetySpec = FieldSpec{Name: "safety", Label: "Trygghetsvurdering (1–5)", Kind: FieldSafety}
	reasonSpec = FieldSpec{Name: "reason", Label: "Begrunnelse", Kind: FieldTextarea, Required: true}
	destSpec   = FieldSpec{Name: "destination", Label: "Mottaker", Kind: FieldOrg, Required: true}
)

// eventSpecs is every event type with its fields (SPEC §5 and §10), in
// workflow order: the one definition the service parses a posted form with,
// the case page builds its forms from and the timeline takes its labels from.
// Field names are the JSON names of EventData and EventText, which hold them.
var eventSpecs = []EventSpec{
	{EvRegistered, "Registrert", nil},
	{EvContactAttempt, "Kontaktforsøk", []FieldSpec{dateSpec,
		{Name: "channel", Label: "Kanal", Kind: FieldSelect, Dim: "channel", Required: true},
		{Name: "reached", Label: "Nådd", Kind: FieldRadio, Dim: "yesno", Required: true},
		{Name: "with", Label: "Med", Kind: FieldRadio, Dim: "with", Required: true}}},
	{EvOfferMade, "Tilbud gitt", []FieldSpec{dateSpec}},
	{EvScheduled, "Samtale avtalt", []FieldSpec{dateSpec}},
	{EvHeld, "Trygghetssamtale gjennomført", []FieldSpec{dateSpec, safetySpec}},
	{EvDeclined, "Takket nei", []FieldSpec{dateSpec,
		{Name: "by", Label: "Av hvem", Kind: FieldRadio, Dim: "with", Required: true},
		{Name: "reason", Label: "Begrunnelse", Kind: FieldTextarea}}},
	{EvNoResponse, "Ikke svart", []FieldSpec{dateSpec}},
	{EvConsent, "Samtykke registrert", []FieldSpec{dateSpec,
		{Name: "by", Label: "Av hvem", Kind: FieldRadio, Dim: "by", Required: true}, destSpec,
		{Name: "expires_on", Label: "Gyldig til", Kind: FieldDate, Required: true}}},
	{EvHandoverProposed, "Overføring foreslått", []FieldSpec{dateSpec, destSpec,
		{Name: "legal_basis", Label: "Hjemmel", Kind: FieldRadio, Dim: "basis", Required: true},
		{Name: "legal_reference", Label: "Henvisning til lovhjemmel", Kind: FieldText},
		{Name: "accept_by", Label: "Svarfrist", Kind: FieldDate, Required: true}}},
	{EvHandoverWithdrawn, "Overføring trukket tilbake", []FieldSpec{dateSpec, reasonSpec}},
	{EvHandoverAccepted, "Overføring godtatt", []FieldSpec{dateSpec}},
	{EvHandoverRejected, "Overføring avvist", []FieldSpec{dateSpec, reasonSpec}},
	{EvHandoverExpired, "Overføring utløpt", nil},
	{EvGuideContact, "Kontakt med trygghetsguide", []FieldSpec{dateSpec,
		{Name: "safety", Label: "Trygghetsvurdering (1–5)", Kind: FieldSafety, Required: true},
		{Name: "note", Label: "Notat", Kind: FieldTextarea},
		{Name: "suggestion", Label: "Forslag om videre oppfølging (til politiet)", Kind: FieldTextarea}}},
	{EvClosed, "Avsluttet", []FieldSpec{dateSpec, reasonSpec, safetySpec}},
	{EvCorrection, "Retting", []FieldSpec{
		{Name: "field", Label: "Felt", Kind: FieldSelect, Dim: "correctable", Required: true},
		{Name: "value", Label: "Ny verdi", Kind: FieldText}, reasonSpec}},
}

// eventTerms are the event types as a vocabulary dimension ("event").
var eventTerms = func() []Term {
	out := make([]Term, len(eventSpecs))
	for i, s := range eventSpecs {
		out[i] = Term{string(s.Type), s.Label}
	}
	return out
}()

// Spec returns the event type's definition; ok is false for an unknown type.
func (t EventType) Spec() (EventSpec, bool) {
	for _, s := range eventSpecs {
		if s.Type == t {
			return s, true
		}
	}
	return EventSpec{}, false
}

// Label is the bokmål name of the event type.
func (t EventType) Label() string { return Label("event", string(t)) }

// Values returns the form's values by SPEC field name (the form tags), for
// re-rendering a refused form exactly as it was typed.
func (in EventInput) Values() map[string]string {
	out := map[string]string{}
	v := reflect.ValueOf(in)
	for i := 0; i < v.NumField(); i++ {
		if name := v.Type().Field(i).Tag.Get("form"); name != "" {
			out[name] = v.Field(i).String()
		}
	}
	return out
}

// parse turns the form into an event, checking each of the type's fields
// against its spec. Whether the event is allowed now is Check's business.
func (in EventInput) parse(today time.Time, registeredOn time.Time) (Event, error) {
	ev := Event{Type: EventType(in.Type)}
	spec, ok := ev.Type.Spec()
	if !ok || spec.Fields == nil {
		return ev, Invalid("Ukjent hendelsestype.")
	}
	fe := FieldErrors{}
	typed := in.Values()
	values := map[string]any{}
	for _, f := range spec.Fields {
		required := f.Required || f.Name == "legal_reference" && typed["legal_basis"] == "statutory"
		if v := parseField(fe, f, typed[f.Name], required); v != nil {
			values[f.Name] = v
		}
	}
	if ev.Type == EvCorrection {
		ev.Date = today
	} else {
		ev.Date, _ = ParseDate(typed["date"])
		checkEventDate(fe, ev, today, registeredOn)
	}
	// The field names are the JSON names of EventData and EventText, so one
	// round trip puts every value where it is stored.
	b, err := json.Marshal(values)
	if err == nil {
		err = json.Unmarshal(b, &ev.Data)
	}
	if err == nil {
		err = json.Unmarshal(b, &ev.Text)
	}
	if err != nil {
		return ev, err
	}
	return ev, fe.Err()
}

// parseField checks one value against its spec and returns what is stored (a
// string or an int), or nil for nothing.
func parseField(fe FieldErrors, f FieldSpec, v string, required bool) any {
	switch f.Kind {
	case FieldDate:
		if f.Name == "date" {
			parseDateField(fe, f.Name, v, required)
			return nil
		}
		return dateString(fe, f.Name, v, required)
	case FieldSelect, FieldRadio:
		if v == "" && !required {
			return nil
		}
		dim := f.Dim
		if dim == "correctable" {
			return oneOf(fe, f.Name, v, correctable...)
		}
		return oneOf(fe, f.Name, v, Codes(dim)...)
	case FieldSafety:
		if n := parseSafety(fe, v, required); n > 0 {
			return n
		}
		return nil
	case FieldTextarea:
		return text(fe, f.Name, v, required, MaxNotes)
	default: // FieldText, FieldOrg
		return text(fe, f.Name, v, required, maxText)
	}
}

// Correctable lists the case fields a correction may change, with labels.
func Correctable() []Term {
	out := make([]Term, len(correctable))
	for i, f := range correctable {
		out[i] = Term{f, Label("field", f)}
	}
	return out
}
