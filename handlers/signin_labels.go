package handlers

// signinEnglish is the English of the sign-in pages, merged into the
// catalogue at start (kept here so the sign-in pages carry their own
// strings).
var signinEnglish = map[string]string{
	"Velg hvor du logger inn. Politiet og kommunen har hver sin innlogging.": "Choose where you sign in. The police and the municipality each have their own sign-in.",
	"Innloggingen mislyktes": "Sign-in failed",
	"Dette er en teknisk feil ved innloggingen, ikke et spørsmål om tilgang. Oppgi referansen nederst på siden hvis du kontakter brukerstøtte.": "This is a technical fault in signing in, not a question of access. Give the reference at the bottom of the page if you contact support.",
	"Prøv å logge inn på nytt": "Try signing in again",
	"Innloggingstjenesten svarer ikke akkurat nå. Prøv igjen om litt. Vedvarer feilen, kontakt brukerstøtte.": "The sign-in service is not answering right now. Try again in a while. If it persists, contact support.",
	"Innloggingstjenesten svarer ikke akkurat nå. Prøv igjen om litt.":                                        "The sign-in service is not answering right now. Try again in a while.",
	"Identitetsleverandøren svarte ikke i tide, så innloggingen ble avbrutt. Prøv igjen om litt.":             "The identity provider did not answer in time, so the sign-in was stopped. Try again in a while.",
	"Innloggingen kunne ikke bekreftes. Prøv igjen.":                                                          "The sign-in could not be confirmed. Try again.",
	"Innloggingen kunne ikke fullføres fordi den ble startet i en annen fane eller er utløpt. Prøv igjen.":    "The sign-in could not be completed because it was started in another tab or has expired. Try again.",
	"Innloggingen er utløpt. Prøv igjen.":                                                                     "The sign-in has expired. Try again.",
	"Ukjent innloggingsvalg. Velg en av dem nedenfor.":                                                        "Unknown sign-in choice. Choose one below.",
	"Logget ut":              "Signed out",
	"Du er logget ut":        "You are signed out",
	"Logg inn igjen":         "Sign in again",
	"Logg inn på nytt":       "Sign in again",
	"Politiet":               "The police",
	"Kommunen og Barnehuset": "The municipality and Barnehuset",
	"Organisasjonsnummer":    "Organisation number",
}
