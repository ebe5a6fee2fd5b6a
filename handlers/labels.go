package handlers

import (
	"fmt"

	"tryggspor/internal/tryggspor"
)

// label returns the bokmål label of value in the vocabulary dimension dim
// (see tryggspor.Terms), or value itself when it has none. Page.T translates
// it like any other UI string.
func label(dim string, value any) string {
	v := fmt.Sprint(value)
	if l := tryggspor.Label(dim, v); l != "" {
		return l
	}
	return v
}

// opts are a select's or radio group's options: the given codes of dim, or
// all of its codes in vocabulary order when none are given.
func opts(dim string, codes ...string) [][2]string {
	if len(codes) == 0 {
		codes = tryggspor.Codes(dim)
	}
	out := make([][2]string, len(codes))
	for i, c := range codes {
		out[i] = [2]string{c, label(dim, c)}
	}
	return out
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
	"Registrert":                   "Registered",
	"Kontaktforsøk":                "Contact attempt",
	"Trygghetssamtale gjennomført": "Safety conversation held",
	"Samtykke registrert":          "Consent recorded",
	"Overføring foreslått":         "Handover proposed",
	"Overføring trukket tilbake":   "Handover withdrawn",
	"Overføring godtatt":           "Handover accepted",
	"Overføring avvist":            "Handover rejected",
	"Overføring utløpt":            "Handover expired",
	"Kontakt med trygghetsguide":   "Safety guide contact",
	"Retting":                      "Correction",
	"Importer":                     "Import",
	"Importer saker":               "Import cases",
	"Organisasjoner":               "Organisations",
	"Ny organisasjon":              "New organisation",
	"Kode":                         "Code",
	"Type":                         "Type",
	"Overordnet":                   "Parent",
	"Kommune":                      "Municipality",
	"Brukere":                      "Users",
	"Organisasjon":                 "Organisation",
	"Utsteder":                     "Issuer",
	"Politiets enheter":            "Police units",
	"Skoler, Barnehuset og kommunale tjenester": "Schools, Barnehuset and municipal services",
	"Venter på svar":                     "Awaiting an answer",
	"Følges opp av oss":                  "Followed up by us",
	"Godta og bli trygghetsguide":        "Accept and become the safety guide",
	"Avvis":                              "Reject",
	"Avvis overføringen":                 "Reject the handover",
	"Trygghetsguide":                     "Safety guide",
	"Overtatt":                           "Taken over",
	"Siste kontakt":                      "Last contact",
	"Ingen overføringer venter på svar.": "No handovers are awaiting an answer.",
	"Ingen saker følges opp nå.":         "No cases are being followed up.",
	"Forfalt":                            "Due",
	"Oppgave":                            "Task",
	"Sak":                                "Case",
	"Ingen oppgaver har forfalt.":        "No tasks are due.",
	"Oppfølging som har forfalt. En oppgave forsvinner når hendelsen som løser den er registrert.": "Follow-up that is due. A task disappears when the event that resolves it is recorded.",
	"Første kontakt er ikke tatt":           "First contact not made",
	"Ikke svart etter tre forsøk":           "No answer after three attempts",
	"Avtalt samtale er ikke registrert":     "Scheduled conversation not recorded",
	"Overføring er ikke besvart":            "Handover not answered",
	"Trygghetsguiden har ikke hatt kontakt": "No contact from the safety guide",
	"Samtykket utløper snart":               "Consent expires soon",
	"Ingen aktivitet i saken":               "No activity in the case",
	"År":                                    "Year",
	"Enhet":                                 "Unit",
	"Prikking (skjul tall under)":           "Suppression (hide counts below)",
	"Vis":                                   "Show",
	"Last ned":                              "Download",
	"Avsnitt til årsrapporten":              "Annual report section",
	"Saker per kategori":                    "Cases by category",
	"mot":                                   "against",
	"Saker per kategori, med endring fra året før": "Cases by category, with change from the year before",
	"Endring":                          "Change",
	"Saker i alt":                      "Cases in total",
	"Overført i alt":                   "Handed over in total",
	"Overført til":                     "Handed over to",
	"Bosted":                           "Residence",
	"Trygghet (egen vurdering 1–5)":    "Safety (own rating 1–5)",
	"Snitt før samtalen":               "Mean before the conversation",
	"Snitt ved avslutning":             "Mean at closing",
	"Kommune/skole":                    "Municipality/school",
	"Andre":                            "Other",
	"0–12 år":                          "0–12 years",
	"13–15 år":                         "13–15 years",
	"16–17 år":                         "16–17 years",
	"18 år og over":                    "18 years and over",
	"Ikke anmeldt":                     "Not reported",
	"Hopp til innholdet":               "Skip to content",
	"Hovedmeny":                        "Main menu",
	"oppfølging i Trygghetsprogrammet": "follow-up in the safety programme",
	"Til startsiden":                   "To the start page",
	"Finnes ikke":                      "Not found",
	"Noe gikk galt":                    "Something went wrong",
	"Du er logget ut":                  "You are signed out",
	"Logg inn igjen":                   "Sign in again",
	"Logg inn på nytt":                 "Sign in again",
	"Avbryt":                           "Cancel",
	"Rett opp dette:":                  "Please correct:",
	"Kontroller filen":                 "Check the file",
	"CSV-fil":                          "CSV file",
	"Kontakt i politiet":               "Police contact",
	"svarfrist":                        "accept by",
	"Tid":                              "Time",
	"Hvem":                             "Who",
	"Handling":                         "Action",
	"Formål":                           "Purpose",
	"Resultat":                         "Result",
	"Detaljer":                         "Details",
	"Forebygger (politi)":              "Preventive officer (police)",
	"Leder":                            "Leader",
	"Administrator":                    "Administrator",
	"Personvernombud":                  "Data protection officer",
	"Rapportavsnitt":                   "Report section",
	"Politienhet":                      "Police unit",
	"Barnehuset":                       "Barnehuset",
	"Kommunal tjeneste":                "Municipal service",
	"Annen":                            "Other",
	"Ingen / ukjent":                   "None / unknown",
	"Ikke oppgitt":                     "Not given",
	"1 – svært utrygg":                 "1 – very unsafe",
	"5 – svært trygg":                  "5 – very safe",
}
