package tryggspor

import (
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

// field returns a pointer to the named field of in.
func (in *CaseInput) field(name string) *string {
	return map[string]*string{
		"registered_on": &in.RegisteredOn, "category": &in.Category, "role": &in.Role, "age": &in.Age,
		"residence_municipality": &in.Residence, "reported": &in.Reported, "school": &in.School,
		"person_name": &in.PersonName, "birth_date": &in.BirthDate, "guardian_name": &in.GuardianName,
		"guardian_phone": &in.GuardianPhone, "police_report_ref": &in.PoliceReportRef, "notes": &in.Notes,
	}[name]
}

// applyCorrection changes one field of c as ev describes, keeping the old value
// on the event so the timeline shows what was corrected. The ref keeps its year
// when registered_on is corrected; statistics follow registered_on.
func applyCorrection(c *Case, ev *Event, today time.Time) error {
	in := c.input()
	f := in.field(ev.Data.Field)
	if f == nil {
		return FieldErrors{"field": "Dette feltet kan ikke rettes."}.Err()
	}
	ev.Text.OldValue = *f
	ev.Text.Value = normaliseCorrection(ev.Data.Field, ev.Text.Value)
	*f = ev.Text.Value
	fixed, err := in.Validate(today)
	if err != nil {
		if msg, ok := ErrorFields(err)[ev.Data.Field]; ok {
			return FieldErrors{"value": msg}.Err()
		}
		return FieldErrors{"value": "Rettingen gjør saken ugyldig: " + firstMessage(ErrorFields(err))}.Err()
	}
	c.RegisteredOn, c.Category, c.Role, c.Age = fixed.RegisteredOn, fixed.Category, fixed.Role, fixed.Age
	c.Residence, c.Reported, c.School, c.Personal = fixed.Residence, fixed.Reported, fixed.School, fixed.Personal
	return nil
}

func firstMessage(m map[string]string) string {
	for k, v := range m {
		return k + ": " + v
	}
	return ""
}

// FieldValue is the case field named name as the register form holds it (a
// code, a YYYY-MM-DD date, a number as text), for prefilling a correction;
// "" for a field that cannot be corrected.
func (c *Case) FieldValue(name string) string {
	in := c.input()
	if f := in.field(name); f != nil {
		return *f
	}
	return ""
}
