package handlers

// caseEnglish is the English of the case pages' own texts (event actions and
// messages, confirmations, the case list's paging and sorting, form
// summaries), merged into the catalogue at start. It is kept apart from
// labels.go so the pages can grow their catalogue without touching others'.
var caseEnglish = map[string]string{
	// Event actions (imperative titles) and what is said once recorded.
	"Registrer kontaktforsøk":                            "Record a contact attempt",
	"Registrer at tilbud er gitt":                        "Record that the offer was made",
	"Avtal trygghetssamtale":                             "Schedule the safety conversation",
	"Registrer gjennomført samtale":                      "Record the conversation held",
	"Registrer at familien takket nei":                   "Record that the family declined",
	"Registrer at familien ikke svarte":                  "Record that the family did not respond",
	"Registrer samtykke til overføring":                  "Record consent to a handover",
	"Foreslå overføring":                                 "Propose a handover",
	"Trekk tilbake overføringen":                         "Withdraw the handover",
	"Godta overføringen":                                 "Accept the handover",
	"Avvis overføringen":                                 "Reject the handover",
	"Logg kontakt":                                       "Log a contact",
	"Avslutt saken":                                      "Close the case",
	"Rett en opplysning":                                 "Correct a detail",
	"Kontaktforsøket er registrert.":                     "The contact attempt is recorded.",
	"Tilbudet om trygghetssamtale er registrert.":        "The offer of a safety conversation is recorded.",
	"Samtalen er avtalt.":                                "The conversation is scheduled.",
	"Samtalen er registrert.":                            "The conversation is recorded.",
	"Neitakken er registrert, og saken er avsluttet.":    "The decline is recorded, and the case is closed.",
	"«Ikke svart» er registrert, og saken er avsluttet.": "“No response” is recorded, and the case is closed.",
	"Samtykket er registrert.":                           "The consent is recorded.",
	"Overføringen er foreslått. Mottakeren ser saken og kan godta eller avvise den.": "The handover is proposed. The destination sees the case and can accept or reject it.",
	"Overføringen er trukket tilbake.":                                               "The handover is withdrawn.",
	"Overføringen er godtatt. Du er trygghetsguide for saken.":                       "The handover is accepted. You are the case's safety guide.",
	"Overføringen er avvist. Saken er tilbake hos politiet.":                         "The handover is rejected. The case is back with the police.",
	"Kontakten er logget.": "The contact is logged.",
	"Saken er avsluttet.":  "The case is closed.",
	"Rettingen er lagret.": "The correction is saved.",
	"Dato for samtalen":    "Date of the conversation",
	"Neste steg":           "Next step",
	// Confirmations.
	"Saken får utfallet «Takket nei» og avsluttes. Påminnelsene for saken stopper.":                                                        "The case gets the outcome “Declined” and is closed. Its reminders stop.",
	"Saken får utfallet «Ikke svart» og avsluttes. Påminnelsene for saken stopper.":                                                        "The case gets the outcome “No response” and is closed. Its reminders stop.",
	"Overføringen trekkes tilbake. Mottakeren mister tilgangen til saken, og saken følges opp videre av den som hadde den før.":            "The handover is withdrawn. The destination loses access to the case, and whoever had it before follows it up.",
	"Du blir trygghetsguide for saken, og organisasjonen din tar over oppfølgingen. Politiet ser at overføringen er godtatt.":              "You become the case's safety guide, and your organisation takes over the follow-up. The police see that the handover is accepted.",
	"Overføringen avvises og saken går tilbake til politiet. Organisasjonen din mister tilgangen til saken.":                               "The handover is rejected and the case goes back to the police. Your organisation loses access to the case.",
	"Saken avsluttes. Ingen flere hendelser kan registreres, bare rettinger, og personopplysningene slettes når oppbevaringstiden er ute.": "The case is closed. No more events can be recorded, only corrections, and the personal data is deleted when the retention period ends.",
	"Tilbake til saken":             "Back to the case",
	"Nei, gå tilbake":               "No, go back",
	"Ingenting er registrert ennå.": "Nothing has been recorded yet.",
	// The case page.
	"Andre hendelser":                       "Other events",
	"Registrer en hendelse":                 "Record an event",
	"Overføringen venter på svar fra":       "The handover is awaiting an answer from",
	"Hvilken opplysning vil du rette?":      "Which detail do you want to correct?",
	"Velg opplysning":                       "Choose the detail",
	"Opplysning":                            "Detail",
	"Velg en annen":                         "Choose another",
	"Tryggspor (automatisk)":                "Tryggspor (automatic)",
	"automatisk":                            "automatic",
	"importert":                             "imported",
	"Forslag om videre oppfølging":          "Suggested further follow-up",
	"nådd":                                  "reached",
	"med":                                   "with",
	"av":                                    "by",
	"felt":                                  "field",
	"til":                                   "to",
	"hjemmel":                               "legal basis",
	"gyldig til":                            "expires on",
	"trygghet":                              "safety",
	"%d av 5":                               "%d of 5",
	"erstatter utfallet":                    "supersedes the outcome",
	"Gjerningspersonen er i samme familie.": "The offender is in the same family.",
	"SMS":                                   "Text message",
	"Du blir logget ut om to minutter hvis du ikke gjør noe. Send skjemaet eller last siden på nytt for å fortsette.": "You will be signed out in two minutes if you do nothing. Send the form or reload the page to continue.",
	// Messages from the domain shown on the case pages.
	"Skjemaet har feil. Se meldingene ved feltene.": "The form has errors. See the messages by the fields.",
	"Feltet må fylles ut.":                          "This field is required.",
	"Skriv inn en dato.":                            "Enter a date.",
	"Velg en av verdiene.":                          "Choose one of the values.",
	"Datoen kan ikke være i framtiden.":             "The date cannot be in the future.",
	"Velg en trygghetsvurdering fra 1 til 5.":       "Choose a safety rating from 1 to 5.",
	"Velg ja eller nei.":                            "Choose yes or no.",
	"Velg en kategori.":                             "Choose a category.",
	"Velg utsatt eller vitne.":                      "Choose victim or witness.",
	"Skriv inn alder.":                              "Enter the age.",
	"Dette feltet kan ikke rettes.":                 "This field cannot be corrected.",
	"Ukjent organisasjon.":                          "Unknown organisation.",
	"Trygghetssamtalen er gjennomført. Et senere nei endrer ikke utfallet; avslutt saken i stedet.":               "The safety conversation has been held. A later decline does not change the outcome; close the case instead.",
	"Bare trygghetsguider i organisasjonen saken er foreslått overført til, kan godta eller avvise overføringen.": "Only safety guides of the organisation the case is proposed to can accept or reject the handover.",
	// The case list.
	"Søk på referanse eller navn": "Search by reference or name",
	"Referanse eller navn":        "Reference or name",
	"Sider":                       "Pages",
	"Forrige":                     "Previous",
	"Neste":                       "Next",
	"Side %d av %d":               "Page %d of %d",
	"%d saker":                    "%d cases",
	"Sortert stigende":            "Sorted ascending",
	"Sortert synkende":            "Sorted descending",
	"Nullstill":                   "Reset",
	"Ingen saker passer søket.":   "No cases match the search.",
	// The expired session.
	"Økten er utløpt": "The session has expired",
	"Send på nytt":    "Send again",
	"Du er logget inn igjen. Kontroller skjemaet og send det.":                                                    "You are signed in again. Check the form and send it.",
	"Du ble logget ut fordi du ikke hadde gjort noe på en stund. Det du skrev er ikke lagret ennå, men står her.": "You were signed out because you had been inactive for a while. What you typed is not saved yet, but it is here.",
	"Logg inn på nytt i en ny fane":                                              "Sign in again in a new tab",
	"Kom så tilbake hit og trykk «Send på nytt».":                                "Then come back here and press “Send again”.",
	"Send skjemaet på nytt":                                                      "Send the form again",
	"Filen kunne ikke tas vare på. Velg den på nytt etter at du har logget inn.": "The file could not be kept. Choose it again after signing in.",
	"Skjemaet ditt": "Your form",
	// The organisation form.
	"Velg type": "Choose a type",
}

// otherEnglish are the catalogues beside the main one, looked up in turn.
var otherEnglish = []map[string]string{caseEnglish, pageEnglish, signinEnglish, statsEnglish, messageEnglish, planEnglish}

// englishOf is the English of a bokmål UI string, from whichever catalogue
// has it.
func englishOf(s string) (string, bool) {
	if en, ok := english[s]; ok {
		return en, true
	}
	for _, m := range otherEnglish {
		if en, ok := m[s]; ok {
			return en, true
		}
	}
	return "", false
}
