package tryggspor

import (
	"maps"
	"slices"
	"strconv"
	"time"
)

// input returns the case's fields as the register form would hold them, so a
// correction is validated by exactly the rules a new registration meets.
func (c *Case) input() CaseInput {
	yn := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	p := c.Personal
	return CaseInput{
		RegisteredOn: FormatDate(c.RegisteredOn), Category: string(c.Category), Role: string(c.Role),
		Age: strconv.Itoa(c.Age), Residence: c.Residence, Reported: yn(c.Reported), IntraFamily: yn(c.IntraFamily),
		IntraFamilyReason: p.IntraFamilyReason, PersonName: p.PersonName, BirthDate: p.BirthDate,
		GuardianName: p.GuardianName, GuardianPhone: p.GuardianPhone, PoliceReportRef: p.PoliceReportRef,
		School: c.School, Notes: p.Notes,
	}
}

// applyCorrection changes one field of c as ev describes, keeping the old value
// on the event so the timeline shows what was corrected. The corrected case
// meets the rules the field met when it was registered: the register form's
// validation (vocabulary values, dates not in the future, ages), a school that
// is a school organisation (school is the organisation the value names, nil
// when unknown), and a registration date not after any later event on the
// timeline evs. The ref keeps its year when registered_on is corrected;
// statistics follow registered_on.
func applyCorrection(c *Case, evs []Event, ev *Event, today time.Time, school *Organisation, places Places) error {
	in := c.input()
	f := in.field(ev.Data.Field)
	if f == nil {
		return FieldErrors{"field": "Dette feltet kan ikke rettes."}.Err()
	}
	ev.Text.OldValue = *f
	ev.Text.Value = normaliseCorrection(ev.Data.Field, ev.Text.Value)
	*f = ev.Text.Value
	fixed, err := in.Validate(today, places)
	if err != nil {
		if msg, ok := ErrorFields(err)[ev.Data.Field]; ok {
			return FieldErrors{"value": msg}.Err()
		}
		name, msg := firstMessage(ErrorFields(err))
		return FieldErrors{"value": "Rettingen gjør saken ugyldig (" + name + "): " + msg}.Err()
	}
	switch ev.Data.Field {
	case "school":
		if fixed.School != "" && (school == nil || school.Code != fixed.School) {
			school = nil
		}
		if msg := schoolProblem(school); fixed.School != "" && msg != "" {
			return FieldErrors{"value": msg}.Err()
		}
	case "registered_on":
		if first, ok := firstLaterEvent(evs); ok && fixed.RegisteredOn.After(first.Date) {
			return FieldErrors{"value": "Registreringsdatoen kan ikke være etter den første senere hendelsen i saken (" +
				first.Type.Label() + ", " + ShowDate(first.Date) + ")."}.Err()
		}
	}
	c.RegisteredOn, c.Category, c.Role, c.Age = fixed.RegisteredOn, fixed.Category, fixed.Role, fixed.Age
	c.Residence, c.Reported, c.School, c.Personal = fixed.Residence, fixed.Reported, fixed.School, fixed.Personal
	return nil
}

// firstLaterEvent is the earliest-dated event after the registration, in
// timeline order among equal dates; corrections are about the record, not the
// case's course, and do not count.
func firstLaterEvent(evs []Event) (Event, bool) {
	var first Event
	found := false
	for _, e := range evs {
		if e.Type == EvRegistered || e.Type == EvCorrection || e.Date.IsZero() {
			continue
		}
		if !found || e.Date.Before(first.Date) {
			first, found = e, true
		}
	}
	return first, found
}

// firstMessage is one message of m, the same each time (the first field by
// name), with the field's label (its code if it has none), so a correction
// that breaks another field says which, in words the page can translate.
func firstMessage(m map[string]string) (field, msg string) {
	keys := slices.Sorted(maps.Keys(m))
	if len(keys) == 0 {
		return "", ""
	}
	k := keys[0]
	if l := Label("field", k); l != "" {
		return l, m[k]
	}
	return k, m[k]
}
