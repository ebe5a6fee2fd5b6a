package tryggspor

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// DetailKey names one fact in an audit entry's details: the year and unit
// of a statistics view, the event type of a confirmation shown, the
// sign-in provider. An entry's details are a few of these with a value
// each, so the auditor's pages can put them in words in any language
// instead of showing what a use case once wrote.
type DetailKey string

// The details' keys as they are stored. The first ones are the words the
// log has always used (år=2026 enhet=vest), so entries written before the
// details had a structure read the same way.
const (
	DetYear         DetailKey = "år"
	DetUnit         DetailKey = "enhet"
	DetSuppress     DetailKey = "prikking"
	DetStatus       DetailKey = "status"
	DetSearch       DetailKey = "søk"
	DetCount        DetailKey = "antall"
	DetPage         DetailKey = "side"
	DetUser         DetailKey = "bruker"
	DetRef          DetailKey = "sak"
	DetAction       DetailKey = "handling"
	DetOutcome      DetailKey = "resultat"
	DetFrom         DetailKey = "fra"
	DetTo           DetailKey = "til"
	DetConfirm      DetailKey = "bekreft"
	DetEvent        DetailKey = "hendelse"
	DetProvider     DetailKey = "innlogging"
	DetOrg          DetailKey = "organisasjon"
	DetClosedBefore DetailKey = "avsluttet_før"
	DetUsers        DetailKey = "brukere"
	DetTasks        DetailKey = "oppgaver"
	DetCases        DetailKey = "saker"
	DetOrgs         DetailKey = "organisasjoner"
	DetCheckpoints  DetailKey = "sjekkpunkter"
	DetBrokenAt     DetailKey = "brudd_ved"
	DetPriorUnit    DetailKey = "tidligere_enhet"
	DetPriorDate    DetailKey = "tidligere_dato"
	DetPriorNone    DetailKey = "tidligere_sak"
	DetShownAt      DetailKey = "vist_ved"
	DetShownUnit    DetailKey = "vist_enhet"
)

// DetailSpec is how one key's value is said: Label is the bokmål before
// the value (its English is in the web layer's catalogue), followed by a
// colon when Colon, the value in quotes when Quote. The value is a code of
// the vocabulary dimension Dim, an organisation code (Org) or a sign-in
// provider's name (Provider) to be put in words, a date (Date) written as
// dates are, or shown as it is. An organisation's name stands alone when
// NameOnly ("Enhet Vest", not "enhet Enhet Vest"). A yes/no value is said by
// Yes or No alone.
type DetailSpec struct {
	Key                 DetailKey
	Label               string
	Colon, Quote        bool
	Dim                 string
	Org, Provider, Date bool
	NameOnly            bool
	Yes, No             string
}

// detailSpecs are every key the log uses.
var detailSpecs = []DetailSpec{
	{Key: DetConfirm, Label: "Bekreftelse vist", Colon: true, Dim: "event"},
	{Key: DetEvent, Label: "Hendelse", Colon: true, Dim: "event"},
	{Key: DetProvider, Label: "Innloggingstjeneste", Colon: true, Provider: true},
	{Key: DetOrg, Label: "Organisasjon", Colon: true, Org: true},
	{Key: DetCheckpoints, Label: "Sjekkpunkter skrives til"},
	{Key: DetClosedBefore, Label: "saker avsluttet før", Date: true},
	{Key: DetYear, Label: "år"},
	{Key: DetUnit, Label: "enhet", Org: true, NameOnly: true},
	{Key: DetSuppress, Label: "prikkegrense"},
	{Key: DetUser, Label: "bruker", Quote: true},
	{Key: DetRef, Label: "sak"},
	{Key: DetAction, Label: "handling", Quote: true, Dim: "action"},
	{Key: DetOutcome, Label: "resultat", Quote: true, Dim: "audit_outcome"},
	{Key: DetFrom, Label: "fra", Date: true},
	{Key: DetTo, Label: "til", Date: true},
	{Key: DetStatus, Label: "status", Quote: true, Dim: "status"},
	{Key: DetSearch, Yes: "med søketekst", No: "uten søketekst"},
	{Key: DetCount, Label: "antall"},
	{Key: DetPage, Label: "side"},
	{Key: DetUsers, Label: "brukere", Colon: true},
	{Key: DetTasks, Label: "oppgaver", Colon: true},
	{Key: DetCases, Label: "saker", Colon: true},
	{Key: DetOrgs, Label: "organisasjoner", Colon: true},
	{Key: DetBrokenAt, Label: "første feil ved oppføring nr."},
	{Key: DetPriorUnit, Label: "tidligere sak vist: enhet", Org: true},
	{Key: DetPriorDate, Label: "registrert", Date: true},
	{Key: DetPriorNone, No: "ingen tidligere sak"},
	{Key: DetShownAt, Label: "enhet og registreringsdato vist ved sak"},
	{Key: DetShownUnit, Label: "i enheten", Org: true},
}

// DetailSpecs are every detail key with how its value is said, for the web
// layer's words and the test that each has English.
func DetailSpecs() []DetailSpec { return detailSpecs }

// Spec is the key's DetailSpec; ok is false for a key the log does not use.
func (k DetailKey) Spec() (DetailSpec, bool) {
	for _, s := range detailSpecs {
		if s.Key == k {
			return s, true
		}
	}
	return DetailSpec{}, false
}

// Detail is one fact of an audit entry's details.
type Detail struct {
	Key   DetailKey
	Value string
}

// Det is a detail with any value written as text (a number, a code).
func Det(k DetailKey, v any) Detail { return Detail{Key: k, Value: fmt.Sprint(v)} }

// Details are an entry's facts in the order they were given.
type Details []Detail

// String is the details as stored in the log: key=value pairs separated by
// spaces, each value with its spaces and percent signs escaped, so the
// stored text reads as it always has and parses back exactly. A detail
// without a value is left out.
func (d Details) String() string {
	var parts []string
	for _, x := range d {
		if x.Value != "" {
			parts = append(parts, string(x.Key)+"="+detailEscaper.Replace(x.Value))
		}
	}
	return strings.Join(parts, " ")
}

// detailEscaper escapes what would break a value out of its pair.
var detailEscaper = strings.NewReplacer("%", "%25", " ", "%20", "\n", "%0A", "\r", "%0D", "\t", "%09")

// With returns the entry with its details set from d (replacing any).
func (e AuditEntry) With(d ...Detail) AuditEntry {
	e.Detail = Details(d).String()
	return e
}

// Details are the entry's details read back: pairs written by With, and
// the few other forms entries were written in before (a provider's name
// alone, "bekreft <event>", "4 oppgaver"). ok is false for a refusal's
// reason (a message, translated as one) and for text that is none of
// these, which is shown as stored.
func (e AuditEntry) Details() (d Details, ok bool) {
	s := strings.TrimSpace(e.Detail)
	if s == "" || e.Outcome == OutcomeDenied {
		return nil, s == ""
	}
	if d, ok := parsePairs(s); ok {
		return d, true
	}
	return legacyDetails(e.Action, s)
}

// parsePairs reads key=value pairs. A word without a known key continues
// the value before it: entries written before values were escaped hold
// values with spaces ("handling=Åpnet sak").
func parsePairs(s string) (Details, bool) {
	var d Details
	for _, word := range strings.Split(s, " ") {
		k, v, found := strings.Cut(word, "=")
		if _, known := DetailKey(k).Spec(); found && known {
			d = append(d, Detail{Key: DetailKey(k), Value: v})
			continue
		}
		if len(d) == 0 {
			return nil, false
		}
		d[len(d)-1].Value += " " + word
	}
	for i := range d {
		if v, err := url.PathUnescape(d[i].Value); err == nil {
			d[i].Value = v
		}
	}
	return d, true
}

var (
	legacyConfirm = regexp.MustCompile(`^bekreft (\S+)$`)
	legacyCount   = regexp.MustCompile(`^([0-9]+) (brukere|oppgaver|saker|organisasjoner)$`)
	legacyClosed  = regexp.MustCompile(`^avsluttet før (\S+)$`)
)

// legacyDetails reads the forms entries had before they were pairs; the
// action says what a bare value was.
func legacyDetails(act Action, s string) (Details, bool) {
	if m := legacyConfirm.FindStringSubmatch(s); m != nil {
		return Details{{DetConfirm, m[1]}}, true
	}
	if m := legacyCount.FindStringSubmatch(s); m != nil {
		return Details{{DetailKey(m[2]), m[1]}}, true
	}
	if m := legacyClosed.FindStringSubmatch(s); m != nil {
		return Details{{DetClosedBefore, m[1]}}, true
	}
	switch act {
	case ActLogin:
		return Details{{DetProvider, s}}, true
	case ActOrgCreate, ActOrgUpdate:
		return Details{{DetOrg, s}}, true
	case ActAuditAnchor:
		return Details{{DetCheckpoints, s}}, true
	case ActEventAppend:
		for _, code := range Codes("event") {
			if Label("event", code) == s {
				return Details{{DetEvent, code}}, true
			}
		}
	}
	return nil, false
}
