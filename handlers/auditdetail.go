package handlers

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"tryggspor/internal/tryggspor"
)

// detailEnglish is the English of the audit details' words
// (tryggspor.DetailSpecs) that the rest of the catalogue does not already
// have.
var detailEnglish = map[string]string{
	"tidligere sak vist: enhet":               "earlier case shown: unit",
	"registrert":                              "registered",
	"ingen tidligere sak":                     "no earlier case",
	"enhet og registreringsdato vist ved sak": "unit and registration date shown at case",
	"i enheten":                               "in the unit",
	"første feil ved oppføring nr.":           "first fault at entry no.",
	"Bekreftelse vist":                        "Confirmation shown",
	"Hendelse":                                "Event",
	"Innloggingstjeneste":                     "Sign-in service",
	"Sjekkpunkter skrives til":                "Checkpoints are written to",
	"saker avsluttet før":                     "cases closed before",
	"år":                                      "year",
	"enhet":                                   "unit",
	"prikkegrense":                            "suppression limit",
	"bruker":                                  "user",
	"handling":                                "action",
	"resultat":                                "result",
	"status":                                  "status",
	"med søketekst":                           "with search text",
	"uten søketekst":                          "without search text",
	"antall":                                  "number",
	"side":                                    "page",
	"brukere":                                 "users",
	"oppgaver":                                "tasks",
	"organisasjoner":                          "organisations",

	// The reasons the web layer gives its own refusals (middleware.go,
	// signin.go), and the pages they name (routes.go routeNames).
	"mangler eller feil sikkerhetsnøkkel: %s":             "missing or wrong security token: %s",
	"Origin %s er ikke %s: %s":                            "Origin %s is not %s: %s",
	"over %s: %s":                                         "over %s: %s",
	"skjemaet kunne ikke leses: %s":                       "the form could not be read: %s",
	"svaret kom fra en annen utsteder enn «%s»":           "the answer came from another issuer than “%s”",
	"innlogging kunne ikke fullføres: %s":                 "the sign-in could not be completed: %s",
	"innloggingen er utløpt eller allerede brukt":         "the sign-in has expired or was already used",
	"ukjent identitetsleverandør «%s»":                    "unknown identity provider “%s”",
	"identitetsleverandøren «%s» svarte %s":               "the identity provider “%s” answered %s",
	"identitetsleverandøren «%s» er ikke tilgjengelig":    "the identity provider “%s” is not available",
	"identitetsleverandøren «%s» svarte ikke i tide (%s)": "the identity provider “%s” did not answer in time (%s)",
	"Ukjent side":                "Unknown page",
	"Ikon":                       "Icon",
	"Sakslisten":                 "The case list",
	"Statistikk (CSV)":           "Statistics (CSV)",
	"Statistikk (JSON)":          "Statistics (JSON)",
	"Statistikk (Excel)":         "Statistics (Excel)",
	"Ny organisasjon (lagre)":    "New organisation (save)",
	"Endre organisasjon":         "Change an organisation",
	"Endre organisasjon (lagre)": "Change an organisation (save)",
	"Klarsjekk":                  "Readiness check",
	"Helsesjekk":                 "Health check",
	"Statiske filer":             "Static files",
	"Logg for én sak":            "One case's log",
	"Innlogging (retur)":         "Sign-in (return)",
	"Logg (CSV)":                 "Audit log (CSV)",
	"Startsiden":                 "The start page",
	"Registrer hendelse":         "Record an event",
	"Importer saker (send fil)":  "Import cases (send the file)",
	"Saksside":                   "Case page",
	"Registrer sak (lagre)":      "Register case (save)",
}

// auditWords puts audit entries' details in words in a page's language:
// codes become their labels, organisation codes their names, a sign-in
// provider its button text with its name.
type auditWords struct {
	p    *Page
	orgs map[string]string // organisation names by code
	// provider is a configured sign-in provider's label, "" for one not
	// configured (nil: none known, as on the command line).
	provider func(name string) string
}

// providerLabel is the label of the configured sign-in provider name.
func (h *Handler) providerLabel(name string) string {
	if h.Auth == nil {
		return ""
	}
	if cl := h.Auth.Get(name); cl != nil {
		return cl.Label()
	}
	return ""
}

// details is e's details in words ("År 2026, enhet Vest, prikkegrense 5").
// A refusal's reason is a message and is translated as one; details the
// log cannot read are shown as stored.
func (w auditWords) details(e tryggspor.AuditEntry) string {
	d, ok := e.Details()
	if !ok {
		return w.p.T(e.Detail)
	}
	var parts []string
	for _, x := range d {
		if s := w.detail(x); s != "" {
			parts = append(parts, s)
		}
	}
	return upperFirst(strings.Join(parts, ", "))
}

// detail is one fact in words, "" when it has no value.
func (w auditWords) detail(x tryggspor.Detail) string {
	spec, _ := x.Key.Spec()
	if x.Value == "" {
		return ""
	}
	if spec.Yes != "" {
		if x.Value == "true" {
			return w.p.T(spec.Yes)
		}
		return w.p.T(spec.No)
	}
	v := w.value(spec, x.Value)
	if spec.NameOnly && w.orgs[x.Value] != "" {
		return v // "Enhet Vest" says what it is
	}
	if spec.Quote {
		v = map[bool]string{true: "“" + v + "”", false: "«" + v + "»"}[w.p.Lang == "en"]
	}
	sep := " "
	if spec.Colon {
		sep = ": "
	}
	return w.p.T(spec.Label) + sep + v
}

// value is a detail's value in words: a code's label, an organisation's
// name, a provider's label with its name.
func (w auditWords) value(spec tryggspor.DetailSpec, v string) string {
	switch {
	case spec.Dim != "" && tryggspor.Known(spec.Dim, v):
		return w.p.T(tryggspor.Label(spec.Dim, v))
	case spec.Dim != "":
		return w.p.T(v) // written as a label before the details had codes
	case spec.Org && w.orgs[v] != "":
		return w.orgs[v]
	case spec.Date:
		if d, ok := tryggspor.ParseDate(v); ok {
			return showDate(d)
		}
	case spec.Provider && w.provider != nil:
		if l := w.provider(v); l != "" && l != v {
			return l + " (" + v + ")"
		}
	}
	return v
}

// upperFirst is s with its first letter in upper case, for details that
// start with a word written in lower case to follow others.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
