package handlers

import (
	"sort"

	"tryggspor/internal/tryggspor"
)

// labels are the bokmål display names of coded values, by dimension. Page.T
// translates them like any other UI string.
var labels = map[string]map[string]string{
	"status": {
		"new": "Ny", "contacting": "Kontaktes", "offered": "Tilbud gitt", "conversation_scheduled": "Samtale avtalt",
		"conversation_held": "Samtale gjennomført", "handover_pending": "Overføring venter", "guide_follow_up": "Oppfølging av trygghetsguide",
		"closed": "Avsluttet",
	},
	"outcome": {"": "Åpen", "conversation": "Trygghetssamtale", "declined": "Takket nei", "no_response": "Ikke svart"},
	"role":    {"victim": "Utsatt", "witness": "Vitne"},
	"yesno":   {"yes": "Ja", "no": "Nei"},
	"channel": {"phone": "Telefon", "sms": "SMS", "letter": "Brev", "meeting": "Møte"},
	"with":    {"guardian": "Foresatt", "person": "Den utsatte"},
	"by":      {"guardian": "Foresatt", "person": "Den utsatte", "both": "Begge"},
	"basis":   {"consent": "Samtykke", "statutory": "Lovhjemmel"},
	"orgkind": {"police_unit": "Politienhet", "school": "Skole", "barnehuset": "Barnehuset",
		"municipal_service": "Kommunal tjeneste", "other": "Annen"},
	"userrole": {"officer": "Forebygger (politi)", "guide": "Trygghetsguide", "leader": "Leder", "admin": "Administrator", "auditor": "Personvernombud"},
	"field": {
		"registered_on": "Registrert dato", "category": "Kategori", "role": "Rolle", "age": "Alder",
		"residence_municipality": "Bostedskommune", "reported": "Anmeldt", "school": "Skole",
		"person_name": "Navn", "birth_date": "Fødselsdato", "guardian_name": "Foresattes navn",
		"guardian_phone": "Foresattes telefon", "police_report_ref": "Anmeldelsesnummer", "notes": "Notater",
	},
}

func init() {
	cat := map[string]string{}
	for _, c := range tryggspor.Categories {
		cat[string(c)] = c.Label()
	}
	labels["category"] = cat
	ev := map[string]string{}
	for _, t := range []tryggspor.EventType{tryggspor.EvRegistered, tryggspor.EvContactAttempt, tryggspor.EvOfferMade,
		tryggspor.EvScheduled, tryggspor.EvHeld, tryggspor.EvDeclined, tryggspor.EvNoResponse, tryggspor.EvConsent,
		tryggspor.EvHandoverProposed, tryggspor.EvHandoverWithdrawn, tryggspor.EvHandoverAccepted,
		tryggspor.EvHandoverRejected, tryggspor.EvHandoverExpired, tryggspor.EvGuideContact, tryggspor.EvClosed,
		tryggspor.EvCorrection} {
		ev[string(t)] = t.Label()
	}
	labels["event"] = ev
}

// label returns the display name of value in dimension dim, or value itself.
func label(dim string, value any) string {
	v := ""
	switch x := value.(type) {
	case string:
		v = x
	case interface{ String() string }:
		v = x.String()
	default:
		v = toString(x)
	}
	if l, ok := labels[dim][v]; ok {
		return l
	}
	return v
}

func toString(v any) string {
	switch x := v.(type) {
	case tryggspor.Status:
		return string(x)
	case tryggspor.Outcome:
		return string(x)
	case tryggspor.Category:
		return string(x)
	case tryggspor.PersonRole:
		return string(x)
	case tryggspor.EventType:
		return string(x)
	case tryggspor.Role:
		return string(x)
	case tryggspor.OrgKind:
		return string(x)
	}
	return ""
}

// english is the English catalogue, keyed by the bokmål text.
var english = map[string]string{
	"Saker": "Cases", "Registrer sak": "Register case", "Oppgaver": "Tasks", "Overføringer": "Handovers",
	"Statistikk": "Statistics", "Administrasjon": "Administration", "Logg": "Audit log", "Logg ut": "Sign out",
	"Logg inn": "Sign in", "Ny": "New", "Kontaktes": "Contacting", "Tilbud gitt": "Offer made",
	"Samtale avtalt": "Conversation scheduled", "Samtale gjennomført": "Conversation held",
	"Overføring venter": "Handover pending", "Oppfølging av trygghetsguide": "Safety guide follow-up",
	"Avsluttet": "Closed", "Åpen": "Open", "Trygghetssamtale": "Safety conversation", "Takket nei": "Declined",
	"Ikke svart": "No response", "Utsatt": "Victim", "Vitne": "Witness", "Ja": "Yes", "Nei": "No",
	"Vold": "Violence", "Ran": "Robbery", "Trusler": "Threats", "Seksuallovbrudd": "Sexual offence",
	"Hatkriminalitet": "Hate crime", "Andre lovbrudd": "Other offences", "Registrert dato": "Registered on",
	"Kategori": "Category", "Rolle": "Role", "Alder": "Age", "Bostedskommune": "Municipality of residence",
	"Anmeldt": "Reported to police", "Skole": "School", "Navn": "Name", "Fødselsdato": "Date of birth",
	"Foresattes navn": "Guardian's name", "Foresattes telefon": "Guardian's phone",
	"Anmeldelsesnummer": "Police report reference", "Notater": "Notes", "Status": "Status", "Utfall": "Outcome",
	"Referanse": "Reference", "Søk": "Search", "Alle": "All", "Tidslinje": "Timeline", "Dato": "Date",
	"Lagre": "Save", "Registrer": "Record", "Hva skjer videre?": "What happens next?",
	"Saken finnes ikke.": "The case does not exist.", "Feil": "Error", "Ingen saker.": "No cases.",
	"Gjerningsperson i samme familie": "Offender in the same family",
	"Begrunnelse for å ta inn saken":  "Reason for taking the case", "Personopplysninger": "Personal data",
	"Saksopplysninger": "Case facts", "Eierenhet": "Owning unit", "Velg": "Choose",
	"Saken er registrert.": "The case is registered.", "Hendelsen er registrert.": "The event is recorded.",
	"Registrer ny sak": "Register a new case", "Tilbake til sakene": "Back to the cases",
	"Skjemaet har feil. Se meldingene ved feltene.": "The form has errors. See the messages by the fields.",
	"Du har ikke tilgang til denne siden.":          "You do not have access to this page.",
	"Ingen tilgang":                                 "No access", "Kanal": "Channel", "Nådd": "Reached", "Med": "With", "Av hvem": "By whom",
	"Begrunnelse": "Reason", "Trygghetsvurdering (1–5)": "Safety rating (1–5)", "Felt": "Field",
	"Ny verdi": "New value", "Mottaker": "Destination", "Hjemmel": "Legal basis", "Lovhjemmel": "Statutory basis",
	"Samtykke": "Consent", "Henvisning til lovhjemmel": "Statutory reference", "Svarfrist": "Accept by",
	"Gyldig til": "Expires on", "Notat": "Note", "Telefon": "Phone", "Brev": "Letter", "Møte": "Meeting",
	"Foresatt": "Guardian", "Den utsatte": "The person", "Begge": "Both",
}

// sortedOpts returns options for values, sorted by label.
func sortedOpts(dim string, values []string) [][2]string {
	out := opts(dim, values...)
	sort.Slice(out, func(i, j int) bool { return out[i][1] < out[j][1] })
	return out
}
