package handlers

// messageEnglish is the English of the messages users meet when something is
// refused or fails: the domain's errors and field messages, the statistics'
// and the importer's refusals, the sign-in refusals, the error pages, and
// the few page texts TestEveryMessageHasEnglish found without English.
//
// An entry with a placeholder (%s, %d, %q, %04X) is a pattern for a message
// with a value in it (see translate): the English has the same placeholders
// in the same order, and the value is kept.
var messageEnglish = map[string]string{
	"Du ble logget ut, og ingenting ble lagret. Her er det du skrev: kontroller skjemaet og send det.":            "You were signed out, and nothing was saved. Here is what you typed: check the form and send it.",
	"Du ble logget ut fordi du ikke hadde gjort noe på en stund. Ingenting er lagret, men det du skrev står her.": "You were signed out because you had not done anything for a while. Nothing was saved, but what you typed is here.",
	"Logg inn og fortsett": "Sign in and continue",
	"Etter innloggingen kommer du tilbake til skjemaet med det du skrev. Det tas vare på kryptert i høyst ti minutter, bare for deg.": "After signing in you come back to the form with what you typed. It is kept encrypted for at most ten minutes, for you alone.",
	"Eller:": "Or:",
	"Skjemaet kunne ikke hentes tilbake: det er brukt, utløpt eller tilhører en annen bruker. Ingenting er lagret.": "The form could not be brought back: it has been used, has expired or belongs to another user. Nothing was saved.",
	"Fortsett med skjemaet": "Continue with the form",
	"Denne bekreftelsen er allerede brukt eller utløpt. Ingenting mer er registrert.": "This confirmation has been used already or has expired. Nothing more was recorded.",
	"Bekreft hendelse": "Confirm event",
	"Skjemaet var allerede sendt. Saken ble registrert én gang, og dette er den.": "The form had been sent already. The case was registered once, and this is it.",
	// Who may do what.
	"Bare administratorer kan endre organisasjoner.":                                 "Only administrators can change organisations.",
	"Bare administratorer kan se brukerne.":                                          "Only administrators can see the users.",
	"Bare administratorer kan importere organisasjoner.":                             "Only administrators can import organisations.",
	"Bare kommandolinjen kan kontrollere bostedene i alle saker.":                    "Only the command line can check the residences of every case.",
	"Bare en import til enheten som eier saken kan registrere importerte hendelser.": "Only an import to the unit that owns the case can record imported events.",
	"Bare kommandolinjen kan slå opp saker på tvers av enheter.":                     "Only the command line can look up cases across units.",
	"Bare ledere kan se statistikk.":                                                 "Only leaders can see statistics.",
	"Bare personvernombudet kan laste ned loggen.":                                   "Only the data-protection officer can download the log.",
	"Bare politiets forebyggere har en saksliste.":                                   "Only police preventive officers have a case list.",
	"Bare politiets forebyggere kan importere saker.":                                "Only police preventive officers can import cases.",
	"Bare politiets forebyggere kan registrere saker.":                               "Only police preventive officers can register cases.",
	"Bare politiets forebyggere i enheten som eier saken, kan registrere samtykke og foreslå eller trekke tilbake en overføring. Ser du behov for videre oppfølging, skriv et forslag i kontakten med trygghetsguide; forebyggeren får det som en oppgave.": "Only police preventive officers in the unit that owns the case can record consent and propose or withdraw a handover. If you see a need for further follow-up, write a suggestion in the contact with the safety guide; the preventive officer gets it as a task.",
	"Du har ikke tilgang til saker.":                                    "You do not have access to cases.",
	"Du har ikke tilgang til å registrere denne hendelsen.":             "You do not have access to record this event.",
	"Du kan se statistikk for din enhet og enhetene under den.":         "You can see statistics for your unit and the units under it.",
	"Kontakt med trygghetsguide registreres av trygghetsguiden.":        "Contact with the safety guide is recorded by the safety guide.",
	"Systemet kan ikke registrere denne hendelsen.":                     "The system cannot record this event.",
	"En overføring utløper automatisk på svarfristen.":                  "A handover expires automatically on its accept-by date.",
	"Siden eller saken finnes ikke, eller du har ikke tilgang til den.": "The page or case does not exist, or you do not have access to it.",

	// The case's workflow.
	"Saken er anonymisert og kan ikke endres.":                                            "The case is anonymised and cannot be changed.",
	"Ukjent hendelsestype.":                                                               "Unknown event type.",
	"Kontaktforsøk registreres før trygghetssamtalen.":                                    "Contact attempts are recorded before the safety conversation.",
	"Tilbudet er allerede gitt.":                                                          "The offer has already been made.",
	"Gi tilbud om trygghetssamtale før samtalen avtales.":                                 "Offer the safety conversation before scheduling it.",
	"Trygghetssamtalen er allerede registrert som gjennomført.":                           "The safety conversation is already recorded as held.",
	"Registrer kontakt med familien før samtalen.":                                        "Record contact with the family before the conversation.",
	"Samtykke til overføring registreres etter gjennomført trygghetssamtale.":             "Consent to a handover is recorded after the safety conversation has been held.",
	"Det finnes allerede en overføring som venter på svar.":                               "There is already a handover awaiting an answer.",
	"En overføring krever en gjennomført trygghetssamtale.":                               "A handover requires a safety conversation that has been held.",
	"Saken følges ikke opp av en trygghetsguide nå.":                                      "The case is not being followed up by a safety guide now.",
	"Saken er allerede avsluttet.":                                                        "The case is already closed.",
	"Saken kan avsluttes når den har et utfall: registrer samtale, nei eller ikke svart.": "The case can be closed once it has an outcome: record a conversation, a decline or no response.",
	"Saken har allerede et utfall.":                                                       "The case already has an outcome.",
	"Registrer minst ett kontaktforsøk før «ikke svart».":                                 "Record at least one contact attempt before “no response”.",
	"Det finnes ingen overføring som venter på svar.":                                     "There is no handover awaiting an answer.",
	"Overføringen er ikke lenger ventende.":                                               "The handover is no longer pending.",
	"Saken venter ikke lenger på svar.":                                                   "The case is no longer awaiting an answer.",
	"Anonymisering må vente minst én måned etter avslutning.":                             "Anonymisation must wait at least one month after closing.",
	"Saken følges allerede opp av denne organisasjonen.":                                  "The case is already followed up by this organisation.",
	"Velg en skole, Barnehuset eller en kommunal tjeneste.":                               "Choose a school, Barnehuset or a municipal service.",
	"Det er ikke registrert samtykke til overføring til denne organisasjonen. Registrer samtykket først, eller velg lovhjemmel.": "No consent to a handover to this organisation is recorded. Record the consent first, or choose the statutory basis.",
	"Samtykket til denne organisasjonen er utløpt (%s).":                                                                         "The consent for this organisation has expired (%s).",
	"Samtalen kan ikke være før tilbudet ble gitt (%s).":                                                                         "The conversation cannot be before the offer was made (%s).",
	"Datoen kan ikke være før saken ble registrert (%s).":                                                                        "The date cannot be before the case was registered (%s).",
	"Samtykket må gjelde fram i tid: velg en dato etter datoen samtykket ble gitt.":                                              "The consent must be valid into the future: choose a date after the date the consent was given.",
	"Et samtykke kan gjelde høyst %s måneder om gangen, til og med %s. Registrer et nytt samtykke når det fornyes.":              "A consent can be valid for at most %s months at a time, up to and including %s. Record a new consent when it is renewed.",
	"Svarfristen må være etter datoen for forslaget.":                                                                            "The accept-by date must be after the date of the proposal.",
	"Svarfristen kan være høyst %s dager etter forslaget, til og med %s.":                                                        "The accept-by date can be at most %s days after the proposal, up to and including %s.",
	"Trygghetsvurderingen må være fra 1 til 5.":                                                                                  "The safety rating must be from 1 to 5.",

	// The case's fields, and corrections.
	"Registreringsdatoen kan ikke være i framtiden.":                                                                 "The registration date cannot be in the future.",
	"Fødselsdatoen kan ikke være i framtiden.":                                                                       "The date of birth cannot be in the future.",
	"Datoen er for langt tilbake.":                                                                                   "The date is too far back.",
	"Ugyldig dato. Skriv datoen som dd.mm.åååå.":                                                                     "Invalid date. Write the date as dd.mm.yyyy.",
	"Personer over 18 år kan bare tas inn for hatkriminalitet eller som vitne.":                                      "People over 18 can only be taken in for hate crime or as a witness.",
	"Gjerningspersonen er i samme familie: programmet er vanligvis ikke egnet. Skriv hvorfor saken likevel tas inn.": "The offender is in the same family: the programme is usually not suitable. Write why the case is taken in all the same.",
	"Telefonnummeret kan bare inneholde sifre, mellomrom og +.":                                                      "The phone number can only contain digits, spaces and +.",
	"Alder må være et helt tall fra 0 til 120.":                                                                      "Age must be a whole number from 0 to 120.",
	"Velg en skole fra listen.":                                                                                      "Choose a school from the list.",
	"Teksten er for lang (høyst %s tegn).":                                                                           "The text is too long (at most %s characters).",
	"Teksten har ugyldige tegn (ikke gyldig UTF-8).":                                                                 "The text has invalid characters (not valid UTF-8).",
	"Teksten har tegn som ikke kunne leses (U+FFFD); sjekk tegnkodingen.":                                            "The text has characters that could not be read (U+FFFD); check the character encoding.",
	"Teksten har et tegn som snur skriveretningen (U+%04X), som ikke er tillatt her.":                                "The text has a character that reverses the writing direction (U+%04X), which is not allowed here.",
	"Teksten har et kontrolltegn (U+%04X) som ikke er tillatt her.":                                                  "The text has a control character (U+%04X) that is not allowed here.",
	"Rettingen gjør saken ugyldig (%s): %s":                                                                          "The correction makes the case invalid (%s): %s",
	"Registreringsdatoen kan ikke være etter den første senere hendelsen i saken (%s, %s).":                          "The registration date cannot be after the first later event in the case (%s, %s).",

	// Organisations.
	"Koden er allerede i bruk.":                                       "The code is already in use.",
	"Koden kan bare ha små bokstaver, sifre og bindestrek.":           "The code can only have lower-case letters, digits and hyphens.",
	"Organisasjonsnummeret må ha ni sifre med riktig kontrollsiffer.": "The organisation number must have nine digits with the correct check digit.",
	"Organisasjonsnummeret er allerede brukt av «%s».":                "The organisation number is already used by “%s”.",
	"Velg en type: politienhet, skole, Barnehuset, kommunal tjeneste eller annen (police_unit, school, barnehuset, municipal_service eller other).": "Choose a type: police unit, school, Barnehuset, municipal service or other (police_unit, school, barnehuset, municipal_service or other).",
	"Ukjent overordnet organisasjon «%s».": "Unknown parent organisation “%s”.",
	"«%s» kan ikke ligge under seg selv.":  "“%s” cannot be under itself.",
	"En politienhet må ligge under en politienhet: «%s» er ikke en politienhet. Velg en politienhet, eller ingen.":                                                      "A police unit must be under a police unit: “%s” is not a police unit. Choose a police unit, or none.",
	"«%s» kan ikke ligge under «%s», som er en politienhet: bare politienheter ligger under politiet. Velg en kommunal tjeneste eller annen organisasjon, eller ingen.": "“%s” cannot be under “%s”, which is a police unit: only police units are under the police. Choose a municipal service or another organisation, or none.",
	"«%s» kan ikke ligge under «%s».": "“%s” cannot be under “%s”.",
	// One link of the chain in the message above when the parent would make
	// a ring ("«A» kan ikke ligge under «B», som ligger under «A»."); the
	// links are translated one inside the other.
	"%s», som ligger under «%s": "%s”, which is under “%s",

	// Sign-in refusals (" fra «…»" names the identity provider, or is empty).
	" fra «%s»": " from “%s”",
	"Innloggingen%s gir mer enn én rolle (%s). En bruker har én rolle i Tryggspor; be administrator av identitetsleverandøren fjerne den ene.": "The sign-in%s gives more than one role (%s). A user has one role in Tryggspor; ask the identity provider's administrator to remove one of them.",
	"Innloggingen%s gir mer enn én organisasjon. En bruker hører til én organisasjon i Tryggspor.":                                             "The sign-in%s gives more than one organisation. A user belongs to one organisation in Tryggspor.",
	"Brukeren har ingen rolle i Tryggspor%s.":                                                                      "The user has no role in Tryggspor%s.",
	"Brukerens organisasjon er ikke registrert i Tryggspor%s.":                                                     "The user's organisation is not registered in Tryggspor%s.",
	"Rollen krever en politienhet som organisasjon.":                                                               "The role requires a police unit as organisation.",
	"Identitetsleverandøren «%s» kan ikke gi rollen %s.":                                                           "The identity provider “%s” cannot give the role %s.",
	"Identitetsleverandøren «%s» kan ikke gi tilgang for organisasjonstypen %s (%s).":                              "The identity provider “%s” cannot give access for the organisation type %s (%s).",
	"Identitetsleverandøren «%s» kan ikke gi tilgang for organisasjonen %s.":                                       "The identity provider “%s” cannot give access for the organisation %s.",
	"Organisasjonslisten kunne ikke leses.":                                                                        "The list of organisations could not be read.",
	"Innloggingen ble avbrutt eller avvist hos identitetsleverandøren (%s).":                                       "The sign-in was cancelled or refused at the identity provider (%s).",
	"Identitetsleverandøren kunne ikke fullføre innloggingen (%s). Prøv igjen om litt.":                            "The identity provider could not complete the sign-in (%s). Try again in a while.",
	"Tilgang til Tryggspor gis av systemadministrator. Ta kontakt med din leder hvis du mener du skal ha tilgang.": "Access to Tryggspor is given by the system administrator. Contact your leader if you think you should have access.",

	// Requests refused before they reach a page.
	"Forespørselen kom fra et annet nettsted og ble avvist.":                               "The request came from another website and was refused.",
	"Skjemaet er utløpt eller mangler sikkerhetsnøkkel. Last siden på nytt og prøv igjen.": "The form has expired or lacks its security key. Reload the page and try again.",
	"Skjemaet kunne ikke leses.":             "The form could not be read.",
	"Skjemaet kunne ikke leses. Prøv igjen.": "The form could not be read. Try again.",
	"Forespørselen er for stor.":             "The request is too large.",
	"Forespørselen er for stor (høyst %s).":  "The request is too large (at most %s).",
	"Noe gikk galt hos oss. Ingenting er endret. Oppgi referansen %s hvis du kontakter brukerstøtte.": "Something went wrong on our side. Nothing has been changed. Give the reference %s if you contact support.",

	// Audit log, statistics.
	"Ingen sak har referansen %s.": "No case has the reference %s.",
	"Utvalget har %d oppføringer; en nedlasting kan ha høyst %d. Snevre inn utvalget.":         "The selection has %d entries; a download can have at most %d. Narrow the selection.",
	"Utvalget har mer enn %d oppføringer; en nedlasting kan ha høyst %d. Snevre inn utvalget.": "The selection has more than %d entries; a download can have at most %d. Narrow the selection.",
	"Ukjent enhet %q.":                  "Unknown unit %q.",
	"Utsatt før (sak siste 12 måneder)": "Victim before (a case in the last 12 months)",
	"Ikke for publisering: laget med prikkegrense %d, lavere enn tjenestens %d.":                   "Not for publication: made with suppression limit %d, below the service's %d.",
	"«:» = ikke vist av personvernhensyn: tall under %d og tall som kunne avsløre dem, er skjult.": "«:» = not shown for privacy reasons: counts below %d, and counts that could reveal them, are hidden.",
	"Ikke vist av personvernhensyn (Statistisk sentralbyrås tegn).":                                "Not shown for privacy reasons (the symbol used by Statistics Norway).",
	// Both means are catalogued whole in statsEnglish; this is for a new one.
	"Antall vurderinger (n), %s": "Number of ratings (n), %s",

	// Import.
	"Filen har feil. Ingenting er importert.": "The file has errors. Nothing is imported.",
	"saker er importert.":                     "cases are imported.",
	"saker":                                   "cases",
	"feil i filen":                            "errors in the file",
	"Til sakene":                              "Go to the cases",

	// Page texts and form hints.
	"fra":       "from",
	"foreslått": "proposed",
	"Alder ved registrering. Over 18 år bare ved hatkriminalitet eller som vitne.":                                                          "Age when registered. Over 18 only for hate crime or as a witness.",
	"Er gjerningspersonen i samme familie, er programmet vanligvis ikke egnet. Saken kan likevel tas inn med en begrunnelse.":               "If the offender is in the same family, the programme is usually not suitable. The case can still be taken in with a reason.",
	"Personopplysninger lagres kryptert og slettes når saken anonymiseres.":                                                                 "Personal data is stored encrypted and deleted when the case is anonymised.",
	"Påkrevd når personen er under 18 år.":                                                                                                  "Required when the person is under 18.",
	"Fast kortnavn: små bokstaver, sifre og bindestrek, f.eks. bekkestua-ungdomsskole.":                                                     "A fixed short name: lower-case letters, digits and hyphens, e.g. bekkestua-ungdomsskole.",
	"Valgfritt. Ni sifre fra Enhetsregisteret. Brukes når en identitetsleverandør (f.eks. Ansattporten) oppgir organisasjonen med nummer.":  "Optional. Nine digits from the Central Coordinating Register for Legal Entities (Enhetsregisteret). Used when an identity provider (e.g. Ansattporten) gives the organisation by number.",
	"For politiet: distrikt → enhet → seksjon.":                                                                                             "For the police: district → unit → section.",
	"Organisasjoner kan også importeres fra CSV med «tryggspor orgs import --file orgs.csv».":                                               "Organisations can also be imported from CSV with “tryggspor orgs import --file orgs.csv”.",
	"Rolle og organisasjon kommer fra identitetsleverandøren ved hver innlogging (se oidc.role_claim og oidc.org_claim i konfigurasjonen).": "Role and organisation come from the identity provider at each sign-in (see oidc.role_claim and oidc.org_claim in the configuration).",
	// An import error: the row and column as SPEC §8 writes them, the message translated when it is catalogued.
	"row %s, column %s: %s": "row %s, column %s: %s",
	"Du har allerede %d kontrollerte filer som venter på bekreftelse, og høyst %d kan vente per bruker. Importer eller forkast filene som venter, eller vent til de slettes en time etter kontrollen.": "You already have %d checked files waiting for confirmation, and at most %d may wait per user. Import or discard the waiting files, or wait until they are deleted an hour after the check.",
	"Plassen til kontrollerte filer som venter på bekreftelse er full: høyst %d MB til sammen for alle brukere. Prøv igjen senere; filer som venter slettes en time etter kontrollen.":                 "The space for checked files waiting for confirmation is full: at most %d MB in all for all users. Try again later; waiting files are deleted an hour after the check.",
	// The store's messages (found when the store joined TestEveryMessageHasEnglish's sources).
	"Denne filen ble allerede importert %s. Bekreft at den skal importeres en gang til.": "This file was already imported %s. Confirm that it is to be imported once more.",
	"Ukjent organisasjon %q.": "Unknown organisation %q.",
	"Den kontrollerte filen er ikke lenger tilgjengelig. Last opp filen på nytt.": "The checked file is no longer available. Upload the file again.",
	"Finnes ikke.":                   "Does not exist.",
	"Finnes allerede.":               "Already exists.",
	"Viser til noe som ikke finnes.": "Refers to something that does not exist.",
	"Registreringsdatoen kan ikke være mer enn %s dager før i dag.":      "The registration date cannot be more than %s days before today.",
	"Grensen på %s oppslag per dag er nådd; visningen er holdt tilbake.": "The limit of %s lookups per day is reached; the indicator was withheld.",
}
