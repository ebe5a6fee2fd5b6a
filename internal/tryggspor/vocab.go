package tryggspor

// Term is one coded value with its bokmål label. Codes are what forms, CSV
// columns, JSON and the database hold (SPEC §4); labels are what people read.
// English labels are translations of the bokmål ones in the web layer's
// catalogue, so a term is defined here once.
type Term struct{ Code, Label string }

// vocabulary is every coded dimension, its values in display order and their
// labels: the one definition the register form, the import, the event forms,
// the timeline, the summary (its SQL, tables and exports) and the demo data
// read. Adding a value — a seventh category, say — is one line here plus its
// English label.
var vocabulary = map[string][]Term{
	"category": {{"violence", "Vold"}, {"robbery", "Ran"}, {"threats", "Trusler"},
		{"sexual_offence", "Seksuallovbrudd"}, {"hate_crime", "Hatkriminalitet"}, {"other", "Andre lovbrudd"}},
	"status": {{"new", "Ny"}, {"contacting", "Kontaktes"}, {"offered", "Tilbud gitt"},
		{"conversation_scheduled", "Samtale avtalt"}, {"conversation_held", "Samtale gjennomført"},
		{"handover_pending", "Overføring venter"}, {"guide_follow_up", "Oppfølging av trygghetsguide"},
		{"closed", "Avsluttet"}},
	// outcome: "" is an open case on a case page; the summary counts it as "open".
	"outcome":  {{"conversation", "Trygghetssamtale"}, {"declined", "Takket nei"}, {"no_response", "Ikke svart"}, {"open", "Åpen"}},
	"role":     {{"victim", "Utsatt"}, {"witness", "Vitne"}},
	"yesno":    {{"yes", "Ja"}, {"no", "Nei"}},
	"reported": {{"yes", "Anmeldt"}, {"no", "Ikke anmeldt"}},
	"channel":  {{"phone", "Telefon"}, {"sms", "SMS"}, {"letter", "Brev"}, {"meeting", "Møte"}},
	"with":     {{"guardian", "Foresatt"}, {"person", "Den utsatte"}},
	"by":       {{"guardian", "Foresatt"}, {"person", "Den utsatte"}, {"both", "Begge"}},
	"basis":    {{"consent", "Samtykke"}, {"statutory", "Lovhjemmel"}},
	// The follow-up plan (SPEC §13): who is responsible for a measure, and
	// how it was judged.
	"owner":         {{"guide", "Trygghetsguiden"}, {"officer", "Politiet"}, {"guardian", "Foresatte"}, {"person", "Den unge selv"}},
	"result":        {{"helped", "Hjalp"}, {"partly", "Hjalp delvis"}, {"not_helped", "Hjalp ikke"}, {"not_done", "Ble ikke gjennomført"}},
	"handover_kind": {{"school", "Kommune/skole"}, {"barnehuset", "Barnehuset"}, {"other", "Andre"}},
	"age_band":      {{"0-12", "0–12 år"}, {"13-15", "13–15 år"}, {"16-17", "16–17 år"}, {"18+", "18 år og over"}},
	"orgkind": {{"police_unit", "Politienhet"}, {"school", "Skole"}, {"barnehuset", "Barnehuset"},
		{"municipal_service", "Kommunal tjeneste"}, {"other", "Annen"}},
	"userrole": {{"officer", "Forebygger (politi)"}, {"guide", "Trygghetsguide"}, {"leader", "Leder"},
		{"admin", "Administrator"}, {"auditor", "Personvernombud"}},
	// action: what the audit log records, as the data-protection officer reads it.
	"action": {{"login", "Innlogging"}, {"logout", "Utlogging"}, {"case.list", "Så sakslisten"}, {"case.view", "Åpnet sak"},
		{"case.create", "Registrerte sak"}, {"event.append", "Registrerte hendelse"}, {"case.import", "Importerte saker"},
		{"case.anonymise", "Anonymiserte sak"}, {"stats.view", "Så statistikk"}, {"stats.export", "Lastet ned statistikk"},
		{"stats.report", "Åpnet rapportavsnitt"}, {"case.innsyn", "Laget innsynsrapport"}, {"case.plan", "Skrev ut tiltaksplanen"}, {"audit.view", "Leste loggen"}, {"audit.anchor", "Loggen forankret i signerte sjekkpunkter"}, {"audit.broken", "Brudd i loggen funnet"}, {"audit.export", "Lastet ned loggen"},
		{"org.create", "Opprettet organisasjon"}, {"org.update", "Endret organisasjon"}, {"org.save", "Endring av organisasjon"},
		{"org.import", "Importerte organisasjoner"}, {"user.list", "Så brukerlisten"}, {"task.list", "Så oppgavelisten"},
		{"digest.send", "Sendte daglig e-post"}, {"route.denied", "Ingen tilgang til siden"},
		{"csrf.denied", "Skjema avvist (sikkerhetsnøkkel eller annet nettsted)"}, {"request.too_large", "For stor forespørsel"},
		{"request.bad", "Uleselig skjema"}, {"repeat_victim.lookup", "Sjekket om personen er registrert før"}},
	"audit_outcome": {{"ok", "Tillatt"}, {"denied", "Avvist"}, {"failed", "Feilet"}},
	// field: the case fields by their SPEC §4 names, for corrections and error summaries.
}

// Terms returns a dimension's terms in display order (nil for an unknown
// dimension). The slice is shared: callers must not change it.
func Terms(dim string) []Term {
	switch dim {
	case "event":
		return eventTerms
	case "field":
		return fieldTerms
	}
	return vocabulary[dim]
}

// Codes returns a dimension's codes in display order.
func Codes(dim string) []string {
	ts := Terms(dim)
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Code
	}
	return out
}

// Label returns the bokmål label of code in dimension dim, or "" when the code
// is not in it. An empty outcome is an open case.
func Label(dim, code string) string {
	if dim == "outcome" && code == "" {
		code = "open"
	}
	for _, t := range Terms(dim) {
		if t.Code == code {
			return t.Label
		}
	}
	return ""
}

// Known reports whether code is a value of dimension dim.
func Known(dim, code string) bool { return Label(dim, code) != "" }

// Categories lists every category in report order, from the vocabulary.
var Categories = func() []Category {
	var out []Category
	for _, t := range vocabulary["category"] {
		out = append(out, Category(t.Code))
	}
	return out
}()

// Statuses lists every status in workflow order, from the vocabulary.
var Statuses = func() []Status {
	var out []Status
	for _, t := range vocabulary["status"] {
		out = append(out, Status(t.Code))
	}
	return out
}()

// Dimensions lists every vocabulary dimension's name, "event" and "field"
// included, in no particular order: for checks that every label has a
// translation.
func Dimensions() []string {
	out := []string{"event", "field"}
	for d := range vocabulary {
		out = append(out, d)
	}
	return out
}
