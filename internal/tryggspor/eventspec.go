package tryggspor

import (
	"encoding/json"
	"reflect"
	"strings"
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
	FieldMeasure  FieldKind = "measure"  // the number of a measure of the case's plan
)

// FieldSpec is one field of an event form, by its SPEC §10 name.
type FieldSpec struct {
	Name     string
	Label    string // bokmål
	Kind     FieldKind
	Dim      string // the vocabulary of a select or radio
	Required bool
}

// EventSpec is one event type: its timeline label, the imperative title of
// its form, its fields, what the user is told once it is recorded, and — for
// events that end someone's work — the confirmation it needs (SPEC §12).
type EventSpec struct {
	Type     EventType
	Label    string // bokmål, past tense, as the timeline shows it
	Action   string // bokmål, imperative: the form's title ("Registrer kontaktforsøk"); "" for events no one records by hand
	Recorded string // bokmål: what happened, shown after it is recorded
	Fields   []FieldSpec
	Confirm  *Confirmation // nil: recorded at once
	// Who may record it (Permitted), and Allowed whether the case's state
	// allows it now, and if not, what to do instead (SPEC §5). The table's
	// order is the order the case page offers the forms in (NextEvents).
	Who     Recorders
	Allowed func(State) error
}

// Recorders says who may record an event type (SPEC §2).
type Recorders struct {
	Officer   bool // the officers of the unit that owns the case
	Pending   bool // the guides of the organisation a handover waits on
	Following bool // the guides following the case up (an accepted handover, not an imported one)
	System    bool // the service itself: scheduled jobs
	// Refusal is what someone of a role who may not record it is told
	// instead (an officer: of the owning unit); "" for anyone. Without one,
	// the general refusal.
	Refusal map[Role]string
}

// Confirmation is what the user is asked before an event that ends someone's
// work is recorded: the act in plain words and the button that does it.
type Confirmation struct {
	Explain string // what will happen, in plain words
	Button  string // the primary button, naming the act
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
	{Type: EvRegistered, Label: "Registrert", Recorded: "Saken er registrert."},
	{Type: EvContactAttempt, Label: "Kontaktforsøk", Action: "Registrer kontaktforsøk",
		Recorded: "Kontaktforsøket er registrert.", Fields: []FieldSpec{dateSpec,
			{Name: "channel", Label: "Kanal", Kind: FieldSelect, Dim: "channel", Required: true},
			{Name: "reached", Label: "Nådd", Kind: FieldRadio, Dim: "yesno", Required: true},
			{Name: "with", Label: "Med", Kind: FieldRadio, Dim: "with", Required: true}},
		Who: officers, Allowed: func(s State) error {
			if s.in(StatusNew, StatusContacting, StatusOffered, StatusScheduled) {
				return nil
			}
			return Conflict("Kontaktforsøk registreres før trygghetssamtalen.")
		}},
	{Type: EvOfferMade, Label: "Tilbud gitt", Action: "Registrer at tilbud er gitt",
		Recorded: "Tilbudet om trygghetssamtale er registrert.", Fields: []FieldSpec{dateSpec},
		Who: officers, Allowed: func(s State) error {
			if s.in(StatusNew, StatusContacting) {
				return nil
			}
			return Conflict("Tilbudet er allerede gitt.")
		}},
	{Type: EvScheduled, Label: "Samtale avtalt", Action: "Avtal trygghetssamtale",
		Recorded: "Samtalen er avtalt.", Fields: []FieldSpec{{Name: "date", Label: "Dato for samtalen", Kind: FieldDate, Required: true}},
		Who: officers, Allowed: func(s State) error {
			if s.in(StatusOffered, StatusScheduled) || s.superseded() {
				return nil
			}
			return Conflict("Gi tilbud om trygghetssamtale før samtalen avtales.")
		}},
	{Type: EvHeld, Label: "Trygghetssamtale gjennomført", Action: "Registrer gjennomført samtale",
		Recorded: "Samtalen er registrert.", Fields: []FieldSpec{dateSpec, safetySpec},
		Who: officers, Allowed: func(s State) error {
			switch {
			case s.in(StatusContacting, StatusOffered, StatusScheduled) || s.superseded():
				return nil
			case s.Outcome == OutcomeConversation:
				return Conflict("Trygghetssamtalen er allerede registrert som gjennomført.")
			}
			return Conflict("Registrer kontakt med familien før samtalen.")
		}},
	{Type: EvDeclined, Label: "Takket nei", Action: "Registrer at familien takket nei",
		Recorded: "Neitakken er registrert, og saken er avsluttet.", Fields: []FieldSpec{dateSpec,
			{Name: "by", Label: "Av hvem", Kind: FieldRadio, Dim: "with", Required: true},
			{Name: "reason", Label: "Begrunnelse", Kind: FieldTextarea}},
		Confirm: &Confirmation{Explain: "Saken får utfallet «Takket nei» og avsluttes. Påminnelsene for saken stopper.",
			Button: "Registrer at familien takket nei"},
		Who: officers, Allowed: func(s State) error { return outcomeAllowed(s, EvDeclined) }},
	{Type: EvNoResponse, Label: "Ikke svart", Action: "Registrer at familien ikke svarte",
		Recorded: "«Ikke svart» er registrert, og saken er avsluttet.", Fields: []FieldSpec{dateSpec},
		Confirm: &Confirmation{Explain: "Saken får utfallet «Ikke svart» og avsluttes. Påminnelsene for saken stopper.",
			Button: "Registrer at familien ikke svarte"},
		Who: Recorders{Officer: true, System: true}, Allowed: func(s State) error { return outcomeAllowed(s, EvNoResponse) }},
	{Type: EvConsent, Label: "Samtykke registrert", Action: "Registrer samtykke til overføring",
		Recorded: "Samtykket er registrert.", Fields: []FieldSpec{dateSpec,
			{Name: "by", Label: "Av hvem", Kind: FieldRadio, Dim: "by", Required: true}, destSpec,
			{Name: "expires_on", Label: "Gyldig til", Kind: FieldDate, Required: true}},
		Who: officersDecideOnHandover, Allowed: func(s State) error {
			if s.in(StatusHeld, StatusHandoverPending, StatusGuideFollowUp) {
				return nil
			}
			return Conflict("Samtykke til overføring registreres etter gjennomført trygghetssamtale.")
		}},
	{Type: EvHandoverProposed, Label: "Overføring foreslått", Action: "Foreslå overføring",
		Recorded: "Overføringen er foreslått. Mottakeren ser saken og kan godta eller avvise den.", Fields: []FieldSpec{dateSpec, destSpec,
			{Name: "legal_basis", Label: "Hjemmel", Kind: FieldRadio, Dim: "basis", Required: true},
			{Name: "consent_by", Label: "Samtykke gitt av (hvis det ikke er registrert)", Kind: FieldRadio, Dim: "by"},
			{Name: "consent_expires_on", Label: "Samtykket gjelder til", Kind: FieldDate},
			{Name: "legal_reference", Label: "Henvisning til lovhjemmel", Kind: FieldText},
			{Name: "accept_by", Label: "Svarfrist", Kind: FieldDate, Required: true}},
		Who: officersDecideOnHandover, Allowed: func(s State) error {
			switch {
			case s.in(StatusHeld) || (s.in(StatusGuideFollowUp) && s.PendingTo == ""):
				return nil
			case s.Status == StatusHandoverPending:
				return Conflict("Det finnes allerede en overføring som venter på svar.")
			}
			return Conflict("En overføring krever en gjennomført trygghetssamtale.")
		}},
	{Type: EvHandoverWithdrawn, Label: "Overføring trukket tilbake", Action: "Trekk tilbake overføringen",
		Recorded: "Overføringen er trukket tilbake.", Fields: []FieldSpec{dateSpec, reasonSpec},
		Confirm: &Confirmation{Explain: "Overføringen trekkes tilbake. Mottakeren mister tilgangen til saken, og saken følges opp videre av den som hadde den før.",
			Button: "Trekk tilbake overføringen"},
		Who: officersDecideOnHandover, Allowed: pendingHandover},
	{Type: EvHandoverAccepted, Label: "Overføring godtatt", Action: "Godta overføringen",
		Recorded: "Overføringen er godtatt. Du er trygghetsguide for saken.", Fields: []FieldSpec{dateSpec},
		Confirm: &Confirmation{Explain: "Du blir trygghetsguide for saken, og organisasjonen din tar over oppfølgingen. Politiet ser at overføringen er godtatt.",
			Button: "Godta overføringen"},
		Who: receivers, Allowed: pendingHandover},
	{Type: EvHandoverRejected, Label: "Overføring avvist", Action: "Avvis overføringen",
		Recorded: "Overføringen er avvist. Saken er tilbake hos politiet.", Fields: []FieldSpec{dateSpec, reasonSpec},
		Confirm: &Confirmation{Explain: "Overføringen avvises og saken går tilbake til politiet. Organisasjonen din mister tilgangen til saken.",
			Button: "Avvis overføringen"},
		Who: receivers, Allowed: pendingHandover},
	{Type: EvHandoverExpired, Label: "Overføring utløpt",
		Who:     Recorders{System: true, Refusal: map[Role]string{"": "En overføring utløper automatisk på svarfristen."}},
		Allowed: pendingHandover},
	{Type: EvGuideContact, Label: "Kontakt med trygghetsguide", Action: "Logg kontakt",
		Recorded: "Kontakten er logget.", Fields: []FieldSpec{dateSpec,
			{Name: "safety", Label: "Trygghetsvurdering (1–5)", Kind: FieldSafety, Required: true},
			{Name: "note", Label: "Notat", Kind: FieldTextarea},
			{Name: "suggestion", Label: "Forslag om videre oppfølging (til politiet)", Kind: FieldTextarea}},
		Who: Recorders{Following: true, Refusal: map[Role]string{RoleOfficer: "Kontakt med trygghetsguide registreres av trygghetsguiden."}},
		Allowed: func(s State) error {
			if s.in(StatusGuideFollowUp, StatusHandoverPending) && s.HandoverTo != "" {
				return nil
			}
			return Conflict("Saken følges ikke opp av en trygghetsguide nå.")
		}},
	{Type: EvPlanMeasure, Label: "Tiltak avtalt", Action: "Legg til tiltak",
		Recorded: "Tiltaket er lagt til i planen.", Fields: []FieldSpec{dateSpec,
			{Name: "measure", Label: "Tiltak", Kind: FieldText, Required: true},
			{Name: "owner", Label: "Ansvarlig", Kind: FieldSelect, Dim: "owner", Required: true},
			{Name: "owner_name", Label: "Ansvarlig (navn)", Kind: FieldText},
			{Name: "evaluate_by", Label: "Evalueres innen", Kind: FieldDate, Required: true}},
		Who: planners, Allowed: planOpen},
	{Type: EvPlanEvaluation, Label: "Tiltak evaluert", Action: "Evaluer",
		Recorded: "Evalueringen er lagret.", Fields: []FieldSpec{dateSpec,
			{Name: "measure", Label: "Tiltak", Kind: FieldMeasure, Required: true},
			{Name: "result", Label: "Resultat", Kind: FieldRadio, Dim: "result", Required: true},
			{Name: "continue", Label: "Fortsetter tiltaket?", Kind: FieldRadio, Dim: "yesno", Required: true},
			{Name: "note", Label: "Notat", Kind: FieldTextarea}},
		Who: planners, Allowed: func(s State) error {
			if err := planOpen(s); err != nil {
				return err
			}
			if len(s.OpenMeasures()) == 0 {
				return Conflict("Planen har ingen tiltak som venter på evaluering.")
			}
			return nil
		}},
	{Type: EvClosed, Label: "Avsluttet", Action: "Avslutt saken",
		Recorded: "Saken er avsluttet.", Fields: []FieldSpec{dateSpec, reasonSpec, safetySpec},
		Confirm: &Confirmation{Explain: "Saken avsluttes. Ingen flere hendelser kan registreres, bare rettinger, og personopplysningene slettes når oppbevaringstiden er ute.",
			Button: "Avslutt saken"},
		Who: Recorders{Officer: true, Following: true}, Allowed: func(s State) error {
			switch {
			case s.in(StatusHeld, StatusGuideFollowUp):
				return nil
			case s.Status == StatusClosed:
				return Conflict("Saken er allerede avsluttet.")
			}
			return Conflict("Saken kan avsluttes når den har et utfall: registrer samtale, nei eller ikke svart.")
		}},
	{Type: EvCorrection, Label: "Retting", Action: "Rett en opplysning",
		Recorded: "Rettingen er lagret.", Fields: []FieldSpec{
			{Name: "field", Label: "Felt", Kind: FieldSelect, Dim: "correctable", Required: true},
			{Name: "value", Label: "Ny verdi", Kind: FieldTextarea}, reasonSpec},
		Who: officers, Allowed: func(State) error { return nil }},
}

// Who records what: the recorders most event types share.
var (
	officers = Recorders{Officer: true}
	// Only the owning unit's officers decide who else follows the case up
	// (SPEC §2).
	officersDecideOnHandover = Recorders{Officer: true, Refusal: map[Role]string{RoleGuide: "Bare politiets forebyggere i enheten som eier saken, kan registrere samtykke og foreslå " +
		"eller trekke tilbake en overføring. Ser du behov for videre oppfølging, skriv et forslag i kontakten " +
		"med trygghetsguide; forebyggeren får det som en oppgave."}}
	// The follow-up plan is worked by those who follow the case up: the
	// owning unit's officers and the guides of an accepted handover (SPEC §13).
	planners  = Recorders{Officer: true, Following: true}
	receivers = Recorders{Pending: true, Refusal: map[Role]string{RoleOfficer: "Bare trygghetsguider i organisasjonen saken er foreslått overført til, kan godta eller avvise overføringen."}}
)

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
	for _, kv := range in.Pairs() {
		out[kv[0]] = kv[1]
	}
	return out
}

// Pairs returns the form's non-empty values as (SPEC field name, value) in
// the order of EventInput's fields, for repeating a form as hidden inputs.
func (in EventInput) Pairs() [][2]string {
	var out [][2]string
	v := reflect.ValueOf(in)
	for i := 0; i < v.NumField(); i++ {
		if name := v.Type().Field(i).Tag.Get("form"); name != "" && v.Field(i).String() != "" {
			out = append(out, [2]string{name, v.Field(i).String()})
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
	keepMeasureApart(&ev)
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

// NeedsConfirmation reports whether an event of type t is recorded only when
// the form carries confirmed=yes: the events that end someone's work (SPEC
// §12). Without it the use case checks the event and records nothing.
func (t EventType) NeedsConfirmation() bool {
	s, ok := t.Spec()
	return ok && s.Confirm != nil
}

// FieldNumber is a whole number (an age).
const FieldNumber FieldKind = "number"

// CorrectionValue is the "value" field of a correction of the case field
// named field, with that field's own input kind and vocabulary; ok is false
// for a field that cannot be corrected.
func CorrectionValue(field string) (FieldSpec, bool) {
	cf, ok := caseField(field)
	if !ok || !cf.Correctable {
		return FieldSpec{}, false
	}
	f := cf.Input
	f.Name, f.Label, f.Required = "value", "Ny verdi", !cf.Optional
	return f, true
}

// normaliseCorrection turns a posted new value into what the register form
// would hold: a code for a coded field (the label is accepted too, so «Vold»
// means violence) and YYYY-MM-DD for a date typed as DD.MM.YYYY.
func normaliseCorrection(field, v string) string {
	v = strings.TrimSpace(v)
	cf, ok := caseField(field)
	if !ok {
		return v
	}
	f := cf.Input
	switch {
	case f.Dim != "":
		for _, t := range Terms(f.Dim) {
			if strings.EqualFold(v, t.Code) || strings.EqualFold(v, t.Label) {
				return t.Code
			}
		}
		if f.Dim == "yesno" { // «Anmeldt» / «Ikke anmeldt» as the case page shows them
			for _, t := range Terms("reported") {
				if strings.EqualFold(v, t.Label) {
					return t.Code
				}
			}
		}
	case f.Kind == FieldDate:
		if d, ok := ParseDate(v); ok {
			return FormatDate(d)
		}
	}
	return v
}

// EventSpecs returns every event type's spec in workflow order. The slice is
// shared: callers must not change it.
func EventSpecs() []EventSpec { return eventSpecs }

// EventInputFrom is the form that Pairs wrote: values by SPEC field name back
// into an EventInput (unknown names are ignored), for a form held
// server-side between its POST and its confirmation page.
func EventInputFrom(values map[string][]string) EventInput {
	var in EventInput
	v := reflect.ValueOf(&in).Elem()
	for i := 0; i < v.NumField(); i++ {
		if name := v.Type().Field(i).Tag.Get("form"); name != "" && len(values[name]) > 0 {
			v.Field(i).SetString(values[name][0])
		}
	}
	return in
}
