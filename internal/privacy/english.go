package privacy

import (
	"fmt"
	"strings"

	"tryggspor/internal/config"
	"tryggspor/internal/tryggspor"
)

// englishWording is the record in English. Norwegian laws keep their names,
// with an English gloss, as they are cited.
var englishWording = wording{
	title:     "Record of processing activities – Tryggspor (the safety programme, Trygghetsprogrammet)",
	planTitle: "Follow-up plan (measures and evaluations)",
	plan: "After a handover, the young person, the family, the safety guide and the police agree on measures, each with a person responsible and an evaluation date. " +
		"Measures and evaluations are events on the case: their text, the responsible person's name and notes are encrypted like other personal data and deleted by anonymisation; " +
		"the responsible role, dates and results are kept for the statistics. The plan is recorded by the police in the unit that owns the case and by the safety guide while the " +
		"organisation has access. The plan printed for the family shows only the first name, the measures and the contact persons, and every printout is logged. The plan is part of the subject access report.",
	titles: [9]string{"The processing and its purpose", "Legal basis", "Categories of data subjects",
		"Categories of personal data", "Recipients and who sees what", "Sign-in and whom the service trusts",
		"Retention and deletion", "Security measures", "Starting point for a data protection impact assessment (DPIA)"},
	purpose: []string{
		"Tryggspor is used by the police's preventive service to follow up children and young people under 18 who are victims of violence, robbery, threats or sexual offences, and people of any age who are victims of hate crime, through the safety programme: registration, the offer of a safety conversation, the outcome, and a possible handover to a school, a municipal service or the Children's House (Barnehuset), where a safety guide follows up.",
		"The purposes are to give the victim back a sense of safety, to prevent new victimisation and the victim seeking protection in criminal circles, and to give section leaders accurate, anonymous figures for the programme."},
	basis: []string{
		"The police's preventive tasks: politiloven (the Police Act) § 1 and § 2 no. 3, politiregisterloven (the Police Databases Act) §§ 4 and 6 (processing for preventive purposes), politiregisterforskriften (the Police Databases Regulations).",
		"Handover to a school or a municipal service: consent from the victim and/or the guardians, recorded with its recipient and period of validity, or a statutory basis stated with its reference at each handover.",
		"Special categories (that a person is the victim of criminal acts, and health where notes mention it): processed only when necessary for the purpose, encrypted and under access control."},
	subjects: []string{
		"Children and young people under 18 who are victims of criminal acts, and people of any age who are victims of hate crime.",
		"Witnesses where needed.",
		"Guardians (name and phone number) of victims under 18.",
		"Staff who use the service (police, safety guides, leaders, administrators, data protection officers): name, e-mail, role, organisation, and what they have seen and done."},
	dataCategories:    "The case's fields (the data fields in docs/product.md). Personal data is encrypted with AES-256-GCM under a key kept outside the database, and deleted at anonymisation. The other fields are kept so that the statistics never change.",
	fieldHead:         []string{"Field", "Personal data", "Storage"},
	yes:               "yes",
	no:                "no",
	keptForStatistics: "kept for statistics",
	encryptedDeleted:  "encrypted; deleted at anonymisation",
	extraFields: [][]string{
		{"Free text in events (reasons, notes, references, corrections)", "yes", "encrypted; deleted at anonymisation"},
		{"Blind index of name and date of birth (repeat victims)", "yes (pseudonym)", "keyed HMAC; deleted at anonymisation"},
		{"Blind index of the starts of the name's words (case list search)", "yes (pseudonym)", "keyed HMAC per unit, truncated; deleted at anonymisation"}},
	recipientHead: []string{"Role", "Organisation type", "Sees"},
	sees: [5]string{"Their own unit's cases with every field and the whole timeline.",
		"Only cases handed over to their own organisation, while the consent or the statutory basis applies and until the case is closed: name, age, guardians, school, category, date of the conversation, owning unit and police contact. Never the police report reference, notes, family circumstances or the police's contact history.",
		"Yearly figures for their own unit and the units below it, without personal data, with small counts suppressed.",
		"Organisations and users; no case content.",
		"The audit log and subject access reports; no case content."},
	recipientsNote: "Data is not disclosed outside the organisations in the table. The daily e-mail holds only counts, case references and links — never names, phone numbers, notes or categories.",
	noProvider:     "No identity provider is set up in the configuration (development mode uses built-in test providers).",
	provider: func(p config.Provider, labels func(string, []string) string) string {
		role := "the role from the claim “" + p.RoleClaim + "”"
		if p.FixedRole != "" {
			role = "everyone gets the role " + labels("userrole", []string{p.FixedRole})
		}
		org := "the organisation from “" + p.OrgClaim + "”"
		if p.FixedOrg != "" {
			org = "everyone belongs to the organisation " + p.FixedOrg
		}
		text := fmt.Sprintf("%s – %s (client %s): %s, %s.", p.Label, p.Issuer, p.ClientID, role, org)
		if len(p.AllowedRoles) > 0 {
			text += " May only give the roles " + labels("userrole", p.AllowedRoles) + "."
		}
		if len(p.AllowedOrgKinds) > 0 {
			text += " May only give access in " + labels("orgkind", p.AllowedOrgKinds) + "."
		}
		if len(p.AllowedOrgs) > 0 {
			text += " Only the organisations " + strings.Join(p.AllowedOrgs, ", ") + "."
		}
		return text + " Users without a valid role and a registered organisation get no access; there is no self-registration."
	},
	replica: "The database is copied continuously to a replica (%s, replication.url) with the same encryption of personal data; " +
		"earlier states are kept for %s (replication.retention), so anonymised data remains in the replica for that long after its deletion.",
	retention: func(cfg config.Config) []string {
		m, h := cfg.Privacy.AnonymiseAfterMonths, cfg.Handover
		grace := "when the case is closed"
		if h.GuideGraceDays > 0 {
			grace = fmt.Sprintf("%d %s after the case is closed", h.GuideGraceDays, plural(h.GuideGraceDays, "day", "days"))
		}
		return []string{
			fmt.Sprintf("A case's personal data is deleted %d %s after the case is closed (privacy.anonymise_after_months), every night at 02:30; the deletion is logged.", m, plural(m, "month", "months")),
			"The statistics fields (category, age, residence, outcome, dates, handovers, safety ratings) are kept without personal data.",
			"The audit log holds no personal data about the data subjects, and is kept for supervision.",
			fmt.Sprintf("Sign-in sessions end after %d minutes of inactivity and after %d hours at the latest, and are deleted %d minutes later "+
				"(the user is remembered that long, so that a form sent after the session ended can be kept for the same user). "+
				"A form waiting for confirmation is kept encrypted for at most %d minutes, and a form sent after the session ended for at most %d minutes. "+
				"A checked import file is deleted when the import is confirmed, and after one hour at the latest.",
				minutes(tryggspor.IdleTimeout), int(tryggspor.AbsoluteTimeout.Hours()), minutes(tryggspor.EndedGrace),
				minutes(tryggspor.HoldConfirm.Lifetime()), minutes(tryggspor.HoldResume.Lifetime())),
			fmt.Sprintf("A safety guide's access to a case handed over ends %s, or when the consent ends if that is sooner. "+
				"A consent can be valid for at most %d %s, and a handover must be answered within at most %d %s.", grace,
				h.ConsentMaxMonths, plural(h.ConsentMaxMonths, "month", "months"), h.AcceptMaxDays, plural(h.AcceptMaxDays, "day", "days")),
		}
	},
	measures: func(cp string) []string {
		return []string{
			"Encryption of personal data (AES-256-GCM) under a key kept outside the database; the key id is stored for rotation.",
			"Access control in every query (a safety guide can only get cases handed over to their own organisation), a role per route, CSRF protection and origin checks.",
			"An audit log of every view, change, download, sign-in and refusal; chained with keyed hashes and anchored in signed checkpoints in " + cp + ".",
			"Sign-in with OpenID Connect (code flow with PKCE), server-side sessions with a short life; no tokens are stored.",
			"Suppression of small counts in all statistics, also in means and downloads.",
			"Files the service makes (database, keys, backups, checkpoints) can only be read by the service's user.",
		}
	},
	dpiaNote: "The risks below are those the service itself reduces. The organisation must assess the remaining risk, the operating environment, suppliers and routines.",
	risks: func(months int) [][]string {
		return [][]string{
			{"Risk", "Measure in the service"},
			{"Unauthorised people in the police see a child's case", "Cases are seen only by their own unit; attempts to open other units' cases give 404 and are logged."},
			{"A school or the Children's House keeps access for too long", "Access only while the consent or the statutory basis applies, ending when the case is closed; only the police can record consent and propose a handover."},
			{"Someone with the database file reads personal data", "Personal data is encrypted under a key kept outside the database."},
			{"Someone with the database file hides traces in the log", "A keyed hash chain and signed checkpoints outside the database; “tryggspor audit verify” finds changed, removed and forged entries."},
			{"Statistics reveal individuals", "Counts below the limit, and counts that could reveal them, are suppressed in tables, means, text and downloads."},
			{"Data stays after its purpose is met", fmt.Sprintf("Automatic deletion %d %s after closing.", months, plural(months, "month", "months"))},
			{"Personal data in e-mail", "The daily reminder holds only counts, references and links."},
		}
	},
}
