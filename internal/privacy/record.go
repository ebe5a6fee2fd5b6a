// Package privacy writes the record of processing activities (GDPR Art. 30)
// and a starting point for the data protection impact assessment from the
// running configuration and the data dictionary, so the document says what
// the installation actually does — its retention, its sign-in providers, its
// keys — not what someone once wrote about it.
package privacy

import (
	"fmt"
	"strings"

	"tryggspor/internal/config"
	"tryggspor/internal/tryggspor"
)

// Section is one heading of the record with its paragraphs and points.
type Section struct {
	Title      string
	Paragraphs []string
	Points     []string
	Table      [][]string // first row is the header
}

// Record is the record of processing activities.
type Record struct {
	Title    string
	Sections []Section
}

// Build writes the record from the configuration.
func Build(cfg config.Config) Record {
	r := Record{Title: "Protokoll over behandlingsaktiviteter – Tryggspor (Trygghetsprogrammet)"}
	r.Sections = append(r.Sections,
		Section{Title: "Behandlingen og formålet", Paragraphs: []string{
			"Tryggspor brukes av politiets forebyggende tjeneste til å følge opp barn og unge under 18 år som er utsatt for vold, ran, trusler eller seksuallovbrudd, og personer i alle aldre som er utsatt for hatkriminalitet, gjennom Trygghetsprogrammet: registrering, tilbud om trygghetssamtale, utfall, og eventuell overføring til skole, kommunal tjeneste eller Barnehuset, der en trygghetsguide følger opp.",
			"Formålene er å gi den utsatte trygghet tilbake, forebygge ny utsatthet og at den utsatte søker beskyttelse i kriminelle miljøer, og å gi seksjonsledere nøyaktige, anonyme tall for programmet."},
			Points: purposes()},
		Section{Title: "Behandlingsgrunnlag", Points: []string{
			"Politiets forebyggende oppgaver: politiloven § 1 og § 2 nr. 3, politiregisterloven §§ 4 og 6 (behandling for forebyggende formål), politiregisterforskriften.",
			"Overføring til skole eller kommunal tjeneste: samtykke fra den utsatte og/eller foresatte, registrert med mottaker og gyldighet, eller lovhjemmel som oppgis med henvisning ved hver overføring.",
			"Særlige kategorier (opplysninger om at en person er utsatt for straffbare handlinger, og om helse der det står i notater): behandles bare når det er nødvendig for formålet, kryptert og med tilgangskontroll."}},
		Section{Title: "Kategorier av registrerte", Points: []string{
			"Barn og unge under 18 år utsatt for straffbare handlinger, og personer i alle aldre utsatt for hatkriminalitet.",
			"Vitner der det er behov.",
			"Foresatte (navn og telefon) til utsatte under 18 år.",
			"Ansatte som bruker løsningen (politi, trygghetsguider, ledere, administratorer, personvernombud): navn, e-post, rolle, organisasjon, og hva de har sett og gjort."}},
		Section{Title: "Kategorier av personopplysninger", Paragraphs: []string{
			"Feltene i saken (datafeltene i docs/product.md). Personopplysninger er kryptert med AES-256-GCM med nøkkel utenfor databasen, og slettes ved anonymisering. De andre feltene beholdes slik at statistikken aldri endres."},
			Table: fieldTable()},
		Section{Title: "Oppfølgingsplan (tiltak og evalueringer)", Paragraphs: []string{
			"Etter en overføring avtaler den unge, familien, trygghetsguiden og politiet tiltak med en ansvarlig og en evalueringsdato. Tiltakene og evalueringene er hendelser i saken: teksten, ansvarliges navn og notater er kryptert som andre personopplysninger og slettes ved anonymisering; ansvarlig rolle, datoer og resultat beholdes for statistikken. Planen registreres av politiet i enheten som eier saken og av trygghetsguiden så lenge organisasjonen har tilgang. Planen som skrives ut til familien viser bare fornavnet, tiltakene og kontaktpersonene, og hver utskrift logges. Planen er med i innsynsrapporten."}},
		Section{Title: "Mottakere og hvem som ser hva", Table: recipientTable(), Paragraphs: []string{
			"Opplysninger utleveres ikke utenfor organisasjonene i tabellen. Den daglige e-posten inneholder bare antall, saksreferanser og lenker — aldri navn, telefonnummer, notater eller kategori."}},
		Section{Title: "Innlogging og hvem som er betrodd", Points: providers(cfg)},
		Section{Title: "Lagringstid og sletting", Points: retention(cfg)},
		Section{Title: "Sikkerhetstiltak", Points: measures(cfg)},
		Section{Title: "Utgangspunkt for personvernkonsekvensvurdering (DPIA)", Paragraphs: []string{
			"Risikoene nedenfor er de løsningen selv reduserer. Virksomheten må vurdere restrisiko, driftsmiljø, leverandører og rutiner."},
			Table: risks(cfg)},
	)
	return r
}

func purposes() []string {
	var out []string
	for _, r := range []tryggspor.Role{tryggspor.RoleOfficer, tryggspor.RoleGuide, tryggspor.RoleLeader,
		tryggspor.RoleAdmin, tryggspor.RoleAuditor} {
		out = append(out, fmt.Sprintf("%s: %s.", tryggspor.Label("userrole", string(r)), tryggspor.NewEntry(tryggspor.Actor{Role: r}, "", "", "").Purpose))
	}
	return out
}

// fieldTable lists every case field with whether it is personal and how it
// is kept.
func fieldTable() [][]string {
	rows := [][]string{{"Felt", "Personopplysning", "Lagring"}}
	for _, t := range tryggspor.Terms("field") {
		p, keep := "nei", "beholdes for statistikk"
		if tryggspor.PersonalField(t.Code) || t.Code == "intra_family_reason" {
			p, keep = "ja", "kryptert; slettes ved anonymisering"
		}
		rows = append(rows, []string{t.Label, p, keep})
	}
	return append(rows,
		[]string{"Fritekst i hendelser (begrunnelser, notater, henvisninger, rettinger)", "ja", "kryptert; slettes ved anonymisering"},
		[]string{"Blindindeks av navn og fødselsdato (gjentatt utsatthet)", "ja (pseudonym)", "nøkkelbasert HMAC; slettes ved anonymisering"})
}

func recipientTable() [][]string {
	return [][]string{
		{"Rolle", "Organisasjonstype", "Ser"},
		{tryggspor.Label("userrole", "officer"), tryggspor.Label("orgkind", "police_unit"), "Egen enhets saker med alle felt og hele tidslinjen."},
		{tryggspor.Label("userrole", "guide"), tryggspor.Label("orgkind", "school") + ", " + tryggspor.Label("orgkind", "barnehuset") + ", " + tryggspor.Label("orgkind", "municipal_service"),
			"Bare saker overført til egen organisasjon, mens samtykket eller hjemmelen gjelder og til saken avsluttes: navn, alder, foresatte, skole, kategori, samtaledato, eierenhet og kontaktperson i politiet. Aldri anmeldelsesnummer, notater, familieforhold eller politiets kontakthistorikk."},
		{tryggspor.Label("userrole", "leader"), tryggspor.Label("orgkind", "police_unit"), "Årstall for egen enhet og enhetene under, uten personopplysninger, med prikking av små tall."},
		{tryggspor.Label("userrole", "admin"), tryggspor.Label("orgkind", "police_unit"), "Organisasjoner og brukere; ikke saksinnhold."},
		{tryggspor.Label("userrole", "auditor"), tryggspor.Label("orgkind", "police_unit"), "Revisjonsloggen og innsynsrapporter; ikke saksinnhold."},
	}
}

// providers describes every configured sign-in provider (the single
// [oidc] provider or each [[oidc.providers]]): whom the service trusts to say
// who a user is, and what each may assert.
func providers(cfg config.Config) []string {
	list := cfg.OIDC.List()
	if len(list) == 0 {
		return []string{"Ingen identitetsleverandør er satt opp i konfigurasjonen (utviklingsmodus bruker innebygde testleverandører)."}
	}
	var out []string
	for _, p := range list {
		role := "rollen fra kravet «" + p.RoleClaim + "»"
		if p.FixedRole != "" {
			role = "alle får rollen " + tryggspor.Label("userrole", p.FixedRole)
		}
		org := "organisasjonen fra «" + p.OrgClaim + "»"
		if p.FixedOrg != "" {
			org = "alle hører til organisasjonen " + p.FixedOrg
		}
		text := fmt.Sprintf("%s – %s (klient %s): %s, %s.", p.Label, p.Issuer, p.ClientID, role, org)
		if len(p.AllowedRoles) > 0 {
			text += " Kan bare gi rollene " + labels("userrole", p.AllowedRoles) + "."
		}
		if len(p.AllowedOrgKinds) > 0 {
			text += " Kan bare gi tilgang i " + labels("orgkind", p.AllowedOrgKinds) + "."
		}
		if len(p.AllowedOrgs) > 0 {
			text += " Bare organisasjonene " + strings.Join(p.AllowedOrgs, ", ") + "."
		}
		out = append(out, text+" Brukere uten gyldig rolle og registrert organisasjon får ikke tilgang; ingen selvregistrering.")
	}
	return out
}

// labels is codes of vocabulary dim in words, joined.
func labels(dim string, codes []string) string {
	words := make([]string, len(codes))
	for i, c := range codes {
		words[i] = tryggspor.Label(dim, c)
	}
	return strings.Join(words, ", ")
}

func retention(cfg config.Config) []string {
	m := cfg.Privacy.AnonymiseAfterMonths
	return []string{
		fmt.Sprintf("Personopplysninger i en sak slettes %d %s etter at saken er avsluttet (privacy.anonymise_after_months), hver natt kl. 02.30; slettingen logges.", m, plural(m, "måned", "måneder")),
		"Statistikkfeltene (kategori, alder, bosted, utfall, datoer, overføringer, trygghetsvurderinger) beholdes uten personopplysninger.",
		"Revisjonsloggen inneholder ikke personopplysninger om de registrerte, og beholdes for tilsyn.",
		"Innloggingsøkter slettes etter 15 minutters inaktivitet og senest etter 8 timer; en kontrollert importfil slettes når importen bekreftes, og senest etter én time.",
		guideAccess(cfg.Handover),
	}
}

func measures(cfg config.Config) []string {
	cp := cfg.Audit.CheckpointFile
	if cp == "" {
		cp = cfg.Database.Path + ".audit-checkpoints"
	}
	return []string{
		"Kryptering av personopplysninger (AES-256-GCM) med nøkkel utenfor databasen; nøkkel-id lagres for rotasjon.",
		"Tilgangskontroll i hver spørring (en trygghetsguide kan bare få saker overført til egen organisasjon), rolle per rute, CSRF-vern og kontroll av opprinnelse.",
		"Revisjonslogg over hver visning, endring, nedlasting, innlogging og avvisning; kjedet med nøkkelbaserte hasher og forankret i signerte sjekkpunkter i " + cp + ".",
		"Innlogging med OpenID Connect (kodeflyt med PKCE), serverbaserte økter med kort levetid; ingen tokens lagres.",
		"Prikking av små tall i all statistikk, også gjennomsnitt og nedlastinger.",
		"Filer som tjenesten lager (database, nøkler, sikkerhetskopier, sjekkpunkter) kan bare leses av tjenestens bruker.",
	}
}

func risks(cfg config.Config) [][]string {
	return [][]string{
		{"Risiko", "Tiltak i løsningen"},
		{"Uvedkommende i politiet ser et barns sak", "Saker ses bare av egen enhet; forsøk på å åpne andres saker gir 404 og logges."},
		{"En skole eller Barnehuset beholder tilgang for lenge", "Tilgang bare mens samtykket eller hjemmelen gjelder, og opphører når saken avsluttes; bare politiet kan registrere samtykke og foreslå overføring."},
		{"Noen med databasefilen leser personopplysninger", "Personopplysninger er kryptert med nøkkel utenfor databasen."},
		{"Noen med databasefilen skjuler spor i loggen", "Nøkkelbasert hashkjede og signerte sjekkpunkter utenfor databasen; «tryggspor audit verify» finner endrede, fjernede og falske oppføringer."},
		{"Statistikk avslører enkeltpersoner", "Prikking av tall under grensen og av tall som kunne avsløre dem, i tabeller, gjennomsnitt, tekst og nedlastinger."},
		{"Opplysninger blir liggende etter at formålet er nådd", fmt.Sprintf("Automatisk sletting %d %s etter avslutning.", cfg.Privacy.AnonymiseAfterMonths, plural(cfg.Privacy.AnonymiseAfterMonths, "måned", "måneder"))},
		{"Personopplysninger i e-post", "Den daglige påminnelsen inneholder bare antall, referanser og lenker."},
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Markdown writes the record as Markdown, for `tryggspor privacy record`.
func (r Record) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n", r.Title)
	for _, s := range r.Sections {
		fmt.Fprintf(&b, "\n## %s\n\n", s.Title)
		for _, p := range s.Paragraphs {
			b.WriteString(p + "\n\n")
		}
		for _, p := range s.Points {
			b.WriteString("- " + p + "\n")
		}
		if len(s.Table) > 0 {
			if len(s.Points) > 0 {
				b.WriteString("\n")
			}
			for i, row := range s.Table {
				b.WriteString("| " + strings.Join(row, " | ") + " |\n")
				if i == 0 {
					b.WriteString(strings.Repeat("|---", len(row)) + "|\n")
				}
			}
		}
	}
	return b.String()
}

// guideAccess says how long a school or Barnehuset may see a case, from the
// [handover] settings.
func guideAccess(h config.Handover) string {
	grace := "når saken avsluttes"
	if h.GuideGraceDays > 0 {
		grace = fmt.Sprintf("%d %s etter at saken er avsluttet", h.GuideGraceDays, plural(h.GuideGraceDays, "dag", "dager"))
	}
	return fmt.Sprintf("En trygghetsguides tilgang til en overført sak opphører %s, eller når samtykket opphører om det skjer før. "+
		"Et samtykke kan gjelde i høyst %d %s, og en overføring må besvares innen høyst %d %s.", grace,
		h.ConsentMaxMonths, plural(h.ConsentMaxMonths, "måned", "måneder"), h.AcceptMaxDays, plural(h.AcceptMaxDays, "dag", "dager"))
}
