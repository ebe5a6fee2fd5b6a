// Package demo holds the demonstration data of `tryggspor dev` and
// `tryggspor demo`: the organisations of SPEC §3 and a handful of cases in
// every stage, created through the Service exactly as an officer would.
package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"tryggspor/internal/importer"
	"tryggspor/internal/tryggspor"
)

// Organisations are the demo organisations of SPEC §3. Their organisation
// numbers are made up (valid check digits, not the real organisations').
var Organisations = []tryggspor.Organisation{
	{Code: "oslo", Name: "Oslo politidistrikt", Kind: tryggspor.OrgPoliceUnit, Municipality: "Oslo", OrgNo: "996395448"},
	{Code: "vest", Name: "Enhet Vest", Kind: tryggspor.OrgPoliceUnit, Parent: "oslo", Municipality: "Bærum", OrgNo: "988552275"},
	{Code: "baerum", Name: "Forebyggende seksjon Bærum", Kind: tryggspor.OrgPoliceUnit, Parent: "vest", Municipality: "Bærum", OrgNo: "931445677"},
	{Code: "asker", Name: "Forebyggende seksjon Asker", Kind: tryggspor.OrgPoliceUnit, Parent: "vest", Municipality: "Asker", OrgNo: "974828189"},
	{Code: "majorstua", Name: "Forebyggende seksjon Majorstua", Kind: tryggspor.OrgPoliceUnit, Parent: "vest", Municipality: "Oslo", OrgNo: "903547413"},
	{Code: "barnehuset-oslo", Name: "Statens barnehus Oslo", Kind: tryggspor.OrgBarnehuset, Municipality: "Oslo", OrgNo: "909351790"},
	{Code: "bekkestua-ungdomsskole", Name: "Bekkestua ungdomsskole", Kind: tryggspor.OrgSchool, Municipality: "Bærum", OrgNo: "977293812"},
	{Code: "sandvika-vgs", Name: "Sandvika videregående skole", Kind: tryggspor.OrgSchool, Municipality: "Bærum", OrgNo: "996551075"},
	{Code: "ungdom-og-fritid", Name: "Ungdom og fritid, Bærum kommune", Kind: tryggspor.OrgMunicipalService, Municipality: "Bærum", OrgNo: "984046863"},
}

// OrgStore is what seeding needs.
type OrgStore interface {
	importer.Store
	UpsertOrganisations(ctx context.Context, orgs []tryggspor.Organisation, a tryggspor.AuditEntry) error
	HasCases(ctx context.Context) (bool, error)
}

// Empty reports whether the database has no cases yet.
func Empty(ctx context.Context, st OrgStore) (bool, error) {
	has, err := st.HasCases(ctx)
	return !has, err
}

// Seed loads the organisations and the demo cases. Case dates are relative to
// now so reminders and lists look alive whenever the demo is started.
func Seed(ctx context.Context, st OrgStore, svc *tryggspor.Service, now time.Time) error {
	sys := tryggspor.System("demo")
	if err := st.UpsertOrganisations(ctx, Organisations, tryggspor.NewEntry(sys, tryggspor.ActOrgImport, "", "").
		With(tryggspor.Det(tryggspor.DetOrgs, len(Organisations))).For(tryggspor.PurposeDemo)); err != nil {
		return fmt.Errorf("demo organisations: %w", err)
	}
	if _, err := importer.Import(ctx, st, tryggspor.System("demo"), strings.NewReader(HistoryCSV()), false, now); err != nil {
		return fmt.Errorf("demo history: %w", err)
	}
	officer := tryggspor.Actor{Name: "Demodata", Role: tryggspor.RoleOfficer, Org: "baerum"}
	for i, dc := range demoCases {
		if err := dc.create(ctx, svc, officer, now); err != nil {
			return fmt.Errorf("demo case %d: %w", i+1, err)
		}
	}
	return nil
}

type demoCase struct {
	daysAgo  int
	in       tryggspor.CaseInput
	timeline []step
}

type step struct {
	daysAgo int
	in      tryggspor.EventInput
	// guide records the step as the school's trygghetsguide (accepting a
	// handover, logging a contact) instead of the officer.
	guide bool
	// expires and acceptBy set expires_on and accept_by this many days
	// after the step's date.
	expires, acceptBy int
	// evaluateBy sets a plan measure's evaluate_by this many days after
	// the step's date.
	evaluateBy int
}

// demoGuide is the school's trygghetsguide of the demo users.
var demoGuide = tryggspor.Actor{Name: "Trygghetsguide Guri Guide", Role: tryggspor.RoleGuide, Org: "bekkestua-ungdomsskole"}

func day(now time.Time, daysAgo int) string {
	return tryggspor.FormatDate(tryggspor.Today(now).AddDate(0, 0, -daysAgo))
}

func (dc demoCase) create(ctx context.Context, svc *tryggspor.Service, a tryggspor.Actor, now time.Time) error {
	in := dc.in
	in.RegisteredOn = day(now, dc.daysAgo)
	c, err := svc.RegisterCase(ctx, a, in)
	if err != nil {
		return err
	}
	for _, s := range dc.timeline {
		ev := s.in
		ev.Date = day(now, s.daysAgo)
		if s.expires != 0 {
			ev.ExpiresOn = day(now, s.daysAgo-s.expires)
		}
		if s.acceptBy != 0 {
			ev.AcceptBy = day(now, s.daysAgo-s.acceptBy)
		}
		if s.evaluateBy != 0 {
			ev.EvaluateBy = day(now, s.daysAgo-s.evaluateBy)
		}
		ev.Confirmed = "yes" // the demo users have decided: no confirmation page
		who := a
		if s.guide {
			who = demoGuide
		}
		if _, err := svc.RecordEvent(ctx, who, c.ID, ev); err != nil {
			return fmt.Errorf("%s: %w", ev.Type, err)
		}
	}
	return nil
}

func minor(name, category, age, guardian, phone string) tryggspor.CaseInput {
	return tryggspor.CaseInput{Category: category, Role: "victim", Age: age, Residence: "Bærum", Reported: "yes",
		IntraFamily: "no", PersonName: name, GuardianName: guardian, GuardianPhone: phone}
}

func contact(reached string) tryggspor.EventInput {
	return tryggspor.EventInput{Type: "contact_attempt", Channel: "phone", Reached: reached, With: "guardian"}
}

var demoCases = []demoCase{
	{daysAgo: 1, in: minor("Emma Demo Hansen", "threats", "14", "Kari Demo Hansen", "+47 900 00 001")},
	{daysAgo: 6, in: minor("Jonas Demo Berg", "robbery", "15", "Per Demo Berg", "+47 900 00 002")},
	{daysAgo: 10, in: minor("Sara Demo Lie", "violence", "13", "Lise Demo Lie", "+47 900 00 003"),
		timeline: []step{{daysAgo: 9, in: contact("yes")}, {daysAgo: 9, in: tryggspor.EventInput{Type: "offer_made"}}}},
	{daysAgo: 30, in: minor("Ali Demo Khan", "hate_crime", "16", "Amina Demo Khan", "+47 900 00 004"),
		timeline: []step{{daysAgo: 29, in: contact("yes")}, {daysAgo: 29, in: tryggspor.EventInput{Type: "offer_made"}},
			{daysAgo: 28, in: contact("no")}, {daysAgo: 25, in: contact("no")}, {daysAgo: 20, in: contact("no")}}},
	{daysAgo: 20, in: minor("Nora Demo Dahl", "sexual_offence", "15", "Eva Demo Dahl", "+47 900 00 005"),
		timeline: []step{{daysAgo: 19, in: contact("yes")}, {daysAgo: 19, in: tryggspor.EventInput{Type: "offer_made"}},
			{daysAgo: 18, in: tryggspor.EventInput{Type: "conversation_scheduled"}}}},
	{daysAgo: 40, in: minor("Lukas Demo Moe", "violence", "14", "Tor Demo Moe", "+47 900 00 006"),
		timeline: []step{{daysAgo: 39, in: contact("yes")}, {daysAgo: 39, in: tryggspor.EventInput{Type: "offer_made"}},
			{daysAgo: 35, in: tryggspor.EventInput{Type: "conversation_held", Safety: "2"}}}},
	{daysAgo: 50, in: minor("Ida Demo Strand", "threats", "12", "Ane Demo Strand", "+47 900 00 007"),
		timeline: []step{{daysAgo: 49, in: contact("yes")}, {daysAgo: 48, in: tryggspor.EventInput{Type: "declined", By: "guardian", Reason: "Familien ønsker ikke oppfølging nå."}}}},
	// Handed over to the school: one waiting for the guide's answer, one the
	// guide follows up — so the guide's pages have something on them.
	{daysAgo: 24, in: minor("Oda Demo Nilsen", "violence", "14", "Siri Demo Nilsen", "+47 900 00 008"),
		timeline: []step{{daysAgo: 23, in: contact("yes")}, {daysAgo: 23, in: tryggspor.EventInput{Type: "offer_made"}},
			{daysAgo: 15, in: tryggspor.EventInput{Type: "conversation_held", Safety: "2"}},
			{daysAgo: 4, in: tryggspor.EventInput{Type: "consent_recorded", By: "both", Destination: "bekkestua-ungdomsskole"}, expires: 180},
			{daysAgo: 4, in: tryggspor.EventInput{Type: "handover_proposed", Destination: "bekkestua-ungdomsskole", LegalBasis: "consent"}, acceptBy: 14}}},
	{daysAgo: 45, in: minor("Mats Demo Aas", "threats", "15", "Hege Demo Aas", "+47 900 00 009"),
		timeline: []step{{daysAgo: 44, in: contact("yes")}, {daysAgo: 44, in: tryggspor.EventInput{Type: "offer_made"}},
			{daysAgo: 38, in: tryggspor.EventInput{Type: "conversation_held", Safety: "2"}},
			{daysAgo: 30, in: tryggspor.EventInput{Type: "consent_recorded", By: "both", Destination: "bekkestua-ungdomsskole"}, expires: 300},
			{daysAgo: 30, in: tryggspor.EventInput{Type: "handover_proposed", Destination: "bekkestua-ungdomsskole", LegalBasis: "consent"}, acceptBy: 14},
			{daysAgo: 27, in: tryggspor.EventInput{Type: "handover_accepted"}, guide: true},
			{daysAgo: 12, in: tryggspor.EventInput{Type: "guide_contact", Safety: "3", Note: "Samtale i skoletiden, trives bedre i klassen."}, guide: true},
			// The follow-up plan (issue 21): measures 9 and 10 agreed with the
			// school, 11 with the police; 9 evaluated and continued, 11 overdue.
			{daysAgo: 26, in: tryggspor.EventInput{Type: "plan_measure", Measure: "Gå skoleveien sammen med en voksen de første to ukene", Owner: "guardian"}, guide: true, evaluateBy: 14},
			{daysAgo: 26, in: tryggspor.EventInput{Type: "plan_measure", Measure: "En fast voksen å gå til i friminuttene", Owner: "guide", OwnerName: "Kontaktlærer"}, guide: true, evaluateBy: 30},
			{daysAgo: 20, in: tryggspor.EventInput{Type: "plan_measure", Measure: "Gruppesamtaler på Barnehuset", Owner: "person"}, evaluateBy: 14},
			{daysAgo: 12, in: tryggspor.EventInput{Type: "plan_evaluation", Measure: "9", Result: "partly", Continue: "yes", Note: "Tryggere på veien, vil fortsette en uke til."}, guide: true}}},
	{daysAgo: 60, in: tryggspor.CaseInput{Category: "hate_crime", Role: "victim", Age: "34", Residence: "Asker", Reported: "no",
		IntraFamily: "no", PersonName: "Voksen Demo Vik"},
		timeline: []step{{daysAgo: 59, in: tryggspor.EventInput{Type: "contact_attempt", Channel: "sms", Reached: "yes", With: "person"}},
			{daysAgo: 58, in: tryggspor.EventInput{Type: "offer_made"}}, {daysAgo: 50, in: tryggspor.EventInput{Type: "conversation_held", Safety: "3"}},
			{daysAgo: 45, in: tryggspor.EventInput{Type: "closed", Reason: "Samtale gjennomført, ikke behov for mer.", Safety: "4"}}}},
}
