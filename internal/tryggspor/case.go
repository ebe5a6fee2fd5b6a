package tryggspor

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"tryggspor/internal/municipality"
)

// Category is the primary offence category of a case.
type Category string

// Categories named by the rules (the full list is the vocabulary's).
const (
	CatViolence  Category = "violence"
	CatHateCrime Category = "hate_crime"
	CatOther     Category = "other"
)

// Label is the bokmål label used in the annual report, "" for an unknown
// category.
func (c Category) Label() string { return Label("category", string(c)) }

// PersonRole is whether the person is a victim or a witness.
type PersonRole string

// Person roles.
const (
	Victim  PersonRole = "victim"
	Witness PersonRole = "witness"
)

// Status is the derived position of a case in the workflow (SPEC §5).
type Status string

// Statuses in workflow order.
const (
	StatusNew             Status = "new"
	StatusContacting      Status = "contacting"
	StatusOffered         Status = "offered"
	StatusScheduled       Status = "conversation_scheduled"
	StatusHeld            Status = "conversation_held"
	StatusHandoverPending Status = "handover_pending"
	StatusGuideFollowUp   Status = "guide_follow_up"
	StatusClosed          Status = "closed"
)

// Outcome is the one outcome of a concluded case; empty while open.
type Outcome string

// Outcomes.
const (
	OutcomeNone         Outcome = ""
	OutcomeConversation Outcome = "conversation"
	OutcomeDeclined     Outcome = "declined"
	OutcomeNoResponse   Outcome = "no_response"
)

// Personal holds the fields SPEC §4 marks P. They are encrypted at rest as one
// unit and removed together at anonymisation.
type Personal struct {
	PersonName        string `json:"person_name,omitempty"`
	BirthDate         string `json:"birth_date,omitempty"`
	GuardianName      string `json:"guardian_name,omitempty"`
	GuardianPhone     string `json:"guardian_phone,omitempty"`
	PoliceReportRef   string `json:"police_report_ref,omitempty"`
	Notes             string `json:"notes,omitempty"`
	IntraFamilyReason string `json:"intra_family_reason,omitempty"`
}

// Case is one person's case in the programme. The derived fields mirror the
// fold of its events and are kept in the row so lists and statistics are plain
// indexed queries.
type Case struct {
	ID  string
	Ref string
	// FormID is the one-use id of the register form that created the case,
	// only while it is being created (stored hashed, never read back).
	FormID       string
	RegisteredOn time.Time
	Unit         string
	Category     Category
	Role         PersonRole
	Age          int
	Residence    string
	Reported     bool
	IntraFamily  bool
	School       string
	Personal     Personal
	CreatedBy    int64
	CreatedAt    time.Time
	Anonymised   bool
	// LookupBy is the officer whose registration or correction of name,
	// birth date or registration date asks for the repeat-victim indicator
	// (0: none); it is shown to them once (SPEC §13, repeat.go). A case
	// read from the store carries the officer it is still waiting for.
	LookupBy int64
	State
}

// PriorCase is what an officer may know of a person's earlier case in
// another unit: that it exists, where and when — never its content.
type PriorCase struct {
	Unit         string
	RegisteredOn time.Time
	// ID and Ref name the earlier case in the audit entries of the lookup;
	// they are never shown to the officer.
	ID, Ref string
}

// CaseInput is the register form, as typed by the officer. Every value is a
// string so the form can be re-rendered exactly as entered.
type CaseInput struct {
	RegisteredOn      string
	Category          string
	Role              string
	Age               string
	Residence         string
	Reported          string
	IntraFamily       string
	IntraFamilyReason string
	PersonName        string
	BirthDate         string
	GuardianName      string
	GuardianPhone     string
	PoliceReportRef   string
	School            string
	Notes             string
	// FormID is the register form's one-use id (SPEC §13): a second
	// registration with the same id by the same officer creates nothing.
	FormID string
}

// Places maps a typed residence to the official name of a municipality (or
// a configured extra value such as "Utlandet"); ok is false for anything
// else. The deployment's list is the Service's; nil means the official list
// with the default extras.
type Places interface {
	Normalize(s string) (official string, ok bool)
}

// MaxNotes is the longest notes field accepted (SPEC §4).
const MaxNotes = 2000

// maxText bounds other free-text fields.
const maxText = 200

// Validate checks a registration against SPEC §4 and the programme's eligibility
// rules, and returns the case (without ID and Ref) or field errors. today is the
// current date in Europe/Oslo.
func (in CaseInput) Validate(today time.Time, places Places) (Case, error) {
	fe := FieldErrors{}
	var c Case
	c.RegisteredOn = parseDateField(fe, "registered_on", in.RegisteredOn, true)
	if !c.RegisteredOn.IsZero() && c.RegisteredOn.After(today) {
		fe.Add("registered_on", "Registreringsdatoen kan ikke være i framtiden.")
	}
	c.Category = Category(in.Category)
	if c.Category.Label() == "" {
		fe.Add("category", "Velg en kategori.")
	}
	c.Role = PersonRole(in.Role)
	if c.Role != Victim && c.Role != Witness {
		fe.Add("role", "Velg utsatt eller vitne.")
	}
	c.Age = parseAge(fe, in.Age)
	if _, bad := fe["age"]; !bad && c.Age >= 18 && c.Category != CatHateCrime && c.Role != Witness && c.Category.Label() != "" {
		fe.Add("age", "Personer over 18 år kan bare tas inn for hatkriminalitet eller som vitne.")
	}
	c.Residence = strings.TrimSpace(in.Residence)
	checkText(fe, "residence_municipality", c.Residence, true, maxText)
	if places == nil {
		places = municipality.Default
	}
	if name, ok := places.Normalize(c.Residence); ok {
		c.Residence = name // one spelling per municipality, so counts by residence are not split
	} else if c.Residence != "" {
		fe.Add("residence_municipality", "Ikke en kommune i Norge: velg fra listen (kommunene per 2024, eller Utlandet/Ukjent).")
	}
	c.Reported = yesNo(fe, "reported", in.Reported)
	c.IntraFamily = yesNo(fe, "intra_family", in.IntraFamily)
	p := Personal{
		PersonName: strings.TrimSpace(in.PersonName), GuardianName: strings.TrimSpace(in.GuardianName),
		GuardianPhone: strings.TrimSpace(in.GuardianPhone), PoliceReportRef: strings.TrimSpace(in.PoliceReportRef),
		Notes: strings.TrimSpace(in.Notes), IntraFamilyReason: strings.TrimSpace(in.IntraFamilyReason),
	}
	if c.IntraFamily && p.IntraFamilyReason == "" {
		fe.Add("intra_family_reason", "Gjerningspersonen er i samme familie: programmet er vanligvis ikke egnet. Skriv hvorfor saken likevel tas inn.")
	}
	checkText(fe, "person_name", p.PersonName, true, maxText)
	if d := parseDateField(fe, "birth_date", in.BirthDate, false); !d.IsZero() {
		p.BirthDate = FormatDate(d)
		if d.After(today) {
			fe.Add("birth_date", "Fødselsdatoen kan ikke være i framtiden.")
		}
	}
	minor := c.Age < 18
	checkText(fe, "guardian_name", p.GuardianName, minor, maxText)
	checkText(fe, "guardian_phone", p.GuardianPhone, minor, 40)
	if p.GuardianPhone != "" && !phoneLike(p.GuardianPhone) {
		fe.Add("guardian_phone", "Telefonnummeret kan bare inneholde sifre, mellomrom og +.")
	}
	checkText(fe, "police_report_ref", p.PoliceReportRef, false, 60)
	checkText(fe, "notes", p.Notes, false, MaxNotes, true)
	checkText(fe, "intra_family_reason", p.IntraFamilyReason, false, MaxNotes, true)
	c.School = strings.TrimSpace(in.School)
	c.Personal = p
	return c, fe.Err()
}

func parseAge(fe FieldErrors, s string) int {
	s = strings.TrimSpace(s)
	if s == "" {
		fe.Add("age", "Skriv inn alder.")
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 120 {
		fe.Add("age", "Alder må være et helt tall fra 0 til 120.")
		return 0
	}
	return n
}

func yesNo(fe FieldErrors, field, s string) bool {
	switch s {
	case "yes":
		return true
	case "no":
		return false
	}
	fe.Add(field, "Velg ja eller nei.")
	return false
}

// checkText checks a text field; only a multiline one may hold line breaks
// and tabs.
func checkText(fe FieldErrors, field, s string, required bool, max int, multiline ...bool) {
	if msg := TextProblem(s, len(multiline) > 0 && multiline[0]); msg != "" {
		fe.Add(field, msg)
	}
	if required && s == "" {
		fe.Add(field, "Feltet må fylles ut.")
	}
	if utf8.RuneCountInString(s) > max {
		fe.Add(field, "Teksten er for lang (høyst "+strconv.Itoa(max)+" tegn).")
	}
}

// TextProblem returns why s may not be stored in a text field, or "" when it
// may: invalid UTF-8 (or the replacement character a decoder leaves for it)
// and control characters, which would reach exports and the other systems
// that read them. multiline allows line breaks (CR and LF, as browsers send
// them) and tabs.
func TextProblem(s string, multiline bool) string {
	if !utf8.ValidString(s) {
		return "Teksten har ugyldige tegn (ikke gyldig UTF-8)."
	}
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			return "Teksten har tegn som ikke kunne leses (U+FFFD); sjekk tegnkodingen."
		case multiline && (r == '\n' || r == '\r' || r == '\t'):
		case unicode.IsControl(r):
			return "Teksten har et kontrolltegn (U+" + fmt.Sprintf("%04X", r) + ") som ikke er tillatt her."
		case bidiControl(r):
			// Right-to-left overrides and isolates make a name read
			// differently on screen than it is stored (Trojan Source).
			return "Teksten har et tegn som snur skriveretningen (U+" + fmt.Sprintf("%04X", r) + "), som ikke er tillatt her."
		}
	}
	return ""
}

// bidiControl reports the Unicode bidirectional formatting characters:
// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069).
func bidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}

func phoneLike(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r == ' ' || r == '+' || r == '-') {
			return false
		}
	}
	return true
}

// Oslo is the time zone dates are shown and decided in.
var Oslo = mustLoadOslo()

func mustLoadOslo() *time.Location {
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		panic("tryggspor: time zone Europe/Oslo missing; import time/tzdata: " + err.Error())
	}
	return loc
}

// OsloMidnight is the instant a civil date (as Today returns it) begins in
// Europe/Oslo.
func OsloMidnight(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, Oslo)
}

// Today is the civil date of t in Europe/Oslo, as midnight UTC.
func Today(t time.Time) time.Time {
	y, m, d := t.In(Oslo).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ParseDate accepts YYYY-MM-DD and DD.MM.YYYY and returns midnight UTC.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		t, err := time.Parse("2006-01-02", s)
		return t, err == nil
	}
	for _, layout := range []string{"2006-01-02", "02.01.2006", "2.1.2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// ShowDate writes a civil date as people in Norway read it, dd.mm.yyyy, for
// messages; "" for the zero time.
func ShowDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("02.01.2006")
}

// FormatDate formats a civil date as YYYY-MM-DD, "" for the zero time.
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

func parseDateField(fe FieldErrors, field, s string, required bool) time.Time {
	if strings.TrimSpace(s) == "" {
		if required {
			fe.Add(field, "Skriv inn en dato.")
		}
		return time.Time{}
	}
	t, ok := ParseDate(s)
	if !ok {
		fe.Add(field, "Ugyldig dato. Skriv datoen som dd.mm.åååå.")
		return time.Time{}
	}
	if t.Year() < 1900 {
		fe.Add(field, "Datoen er for langt tilbake.")
	}
	return t
}
