package privacy

import (
	"fmt"
	"strings"
	"time"

	"tryggspor/internal/config"
	"tryggspor/internal/tryggspor"
)

// wording is the record's text in one language. The facts (retention,
// providers, fields, roles) come from the configuration and the data
// dictionary; only the sentences around them are written per language.
type wording struct {
	// vocab is a vocabulary label or purpose (bokmål) in this language.
	vocab          func(string) string
	title          string
	titles         [9]string
	planTitle      string // the follow-up plan's section
	plan           string
	purpose        []string
	basis          []string
	subjects       []string
	dataCategories string
	fieldHead      []string
	yes, no        string
	// keptForStatistics and encryptedDeleted say how a field is kept.
	keptForStatistics, encryptedDeleted string
	extraFields                         [][]string
	recipientHead                       []string
	sees                                [5]string // officer, guide, leader, admin, auditor
	recipientsNote                      string
	noProvider                          string
	provider                            func(p config.Provider, labels func(dim string, codes []string) string) string
	retention                           func(cfg config.Config) []string
	replica                             string // where the replica is (%s) and how long it keeps earlier states (%s)
	measures                            func(checkpoints string) []string
	dpiaNote                            string
	risks                               func(months int) [][]string
}

// label is a vocabulary code's label in the wording's language.
func (w wording) label(dim, code string) string { return w.vocab(tryggspor.Label(dim, code)) }

// labels is codes of vocabulary dim in words, joined.
func (w wording) labels(dim string, codes []string) string {
	words := make([]string, len(codes))
	for i, c := range codes {
		words[i] = w.label(dim, c)
	}
	return strings.Join(words, ", ")
}

// bokmal is the record as the service has always written it.
var bokmal = wording{
	title:     "Protokoll over behandlingsaktiviteter – Tryggspor (Trygghetsprogrammet)",
	planTitle: "Oppfølgingsplan (tiltak og evalueringer)",
	plan: "Etter en overføring avtaler den unge, familien, trygghetsguiden og politiet tiltak med en ansvarlig og en evalueringsdato. " +
		"Tiltakene og evalueringene er hendelser i saken: teksten, ansvarliges navn og notater er kryptert som andre personopplysninger og slettes ved anonymisering; " +
		"ansvarlig rolle, datoer og resultat beholdes for statistikken. Planen registreres av politiet i enheten som eier saken og av trygghetsguiden så lenge " +
		"organisasjonen har tilgang. Planen som skrives ut til familien viser bare fornavnet, tiltakene og kontaktpersonene, og hver utskrift logges. Planen er med i innsynsrapporten.",
	titles: [9]string{"Behandlingen og formålet", "Behandlingsgrunnlag", "Kategorier av registrerte",
		"Kategorier av personopplysninger", "Mottakere og hvem som ser hva", "Innlogging og hvem som er betrodd",
		"Lagringstid og sletting", "Sikkerhetstiltak", "Utgangspunkt for personvernkonsekvensvurdering (DPIA)"},
	purpose: []string{
		"Tryggspor brukes av politiets forebyggende tjeneste til å følge opp barn og unge under 18 år som er utsatt for vold, ran, trusler eller seksuallovbrudd, og personer i alle aldre som er utsatt for hatkriminalitet, gjennom Trygghetsprogrammet: registrering, tilbud om trygghetssamtale, utfall, og eventuell overføring til skole, kommunal tjeneste eller Barnehuset, der en trygghetsguide følger opp.",
		"Formålene er å gi den utsatte trygghet tilbake, forebygge ny utsatthet og at den utsatte søker beskyttelse i kriminelle miljøer, og å gi seksjonsledere nøyaktige, anonyme tall for programmet."},
	basis: []string{
		"Politiets forebyggende oppgaver: politiloven § 1 og § 2 nr. 3, politiregisterloven §§ 4 og 6 (behandling for forebyggende formål), politiregisterforskriften.",
		"Overføring til skole eller kommunal tjeneste: samtykke fra den utsatte og/eller foresatte, registrert med mottaker og gyldighet, eller lovhjemmel som oppgis med henvisning ved hver overføring.",
		"Særlige kategorier (opplysninger om at en person er utsatt for straffbare handlinger, og om helse der det står i notater): behandles bare når det er nødvendig for formålet, kryptert og med tilgangskontroll."},
	subjects: []string{
		"Barn og unge under 18 år utsatt for straffbare handlinger, og personer i alle aldre utsatt for hatkriminalitet.",
		"Vitner der det er behov.",
		"Foresatte (navn og telefon) til utsatte under 18 år.",
		"Ansatte som bruker løsningen (politi, trygghetsguider, ledere, administratorer, personvernombud): navn, e-post, rolle, organisasjon, og hva de har sett og gjort."},
	dataCategories:    "Feltene i saken (datafeltene i docs/product.md). Personopplysninger er kryptert med AES-256-GCM med nøkkel utenfor databasen, og slettes ved anonymisering. De andre feltene beholdes slik at statistikken aldri endres.",
	fieldHead:         []string{"Felt", "Personopplysning", "Lagring"},
	yes:               "ja",
	no:                "nei",
	keptForStatistics: "beholdes for statistikk",
	encryptedDeleted:  "kryptert; slettes ved anonymisering",
	extraFields: [][]string{
		{"Fritekst i hendelser (begrunnelser, notater, henvisninger, rettinger)", "ja", "kryptert; slettes ved anonymisering"},
		{"Blindindeks av navn og fødselsdato (gjentatt utsatthet)", "ja (pseudonym)", "nøkkelbasert HMAC; slettes ved anonymisering"},
		{"Blindindeks av ordstartene i navnet (søk i sakslisten)", "ja (pseudonym)", "nøkkelbasert HMAC per enhet, avkortet; slettes ved anonymisering"}},
	recipientHead: []string{"Rolle", "Organisasjonstype", "Ser"},
	sees: [5]string{"Egen enhets saker med alle felt og hele tidslinjen.",
		"Bare saker overført til egen organisasjon, mens samtykket eller hjemmelen gjelder og til saken avsluttes: navn, alder, foresatte, skole, kategori, samtaledato, eierenhet og kontaktperson i politiet. Aldri anmeldelsesnummer, notater, familieforhold eller politiets kontakthistorikk.",
		"Årstall for egen enhet og enhetene under, uten personopplysninger, med prikking av små tall.",
		"Organisasjoner og brukere; ikke saksinnhold.",
		"Revisjonsloggen og innsynsrapporter; ikke saksinnhold."},
	recipientsNote: "Opplysninger utleveres ikke utenfor organisasjonene i tabellen. Den daglige e-posten inneholder bare antall, saksreferanser og lenker — aldri navn, telefonnummer, notater eller kategori.",
	noProvider:     "Ingen identitetsleverandør er satt opp i konfigurasjonen (utviklingsmodus bruker innebygde testleverandører).",
	provider: func(p config.Provider, labels func(string, []string) string) string {
		role := "rollen fra kravet «" + p.RoleClaim + "»"
		if p.FixedRole != "" {
			role = "alle får rollen " + labels("userrole", []string{p.FixedRole})
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
		return text + " Brukere uten gyldig rolle og registrert organisasjon får ikke tilgang; ingen selvregistrering."
	},
	replica: "Databasen kopieres fortløpende til en replika (%s, replication.url) med samme kryptering av personopplysninger; " +
		"tidligere tilstander beholdes i %s (replication.retention), så anonymiserte opplysninger finnes i replikaen inntil så lenge etter slettingen.",
	retention: func(cfg config.Config) []string {
		m, h := cfg.Privacy.AnonymiseAfterMonths, cfg.Handover
		grace := "når saken avsluttes"
		if h.GuideGraceDays > 0 {
			grace = fmt.Sprintf("%d %s etter at saken er avsluttet", h.GuideGraceDays, plural(h.GuideGraceDays, "dag", "dager"))
		}
		return []string{
			fmt.Sprintf("Personopplysninger i en sak slettes %d %s etter at saken er avsluttet (privacy.anonymise_after_months), hver natt kl. 02.30; slettingen logges.", m, plural(m, "måned", "måneder")),
			"Statistikkfeltene (kategori, alder, bosted, utfall, datoer, overføringer, trygghetsvurderinger) beholdes uten personopplysninger.",
			"Revisjonsloggen inneholder ikke personopplysninger om de registrerte, og beholdes for tilsyn.",
			fmt.Sprintf("Innloggingsøkter avsluttes etter %d minutters inaktivitet og senest etter %d timer, og slettes %d minutter senere "+
				"(så lenge huskes brukeren, slik at et skjema sendt etter at økten er avsluttet kan tas vare på for den samme brukeren). "+
				"Et skjema som venter på bekreftelse, holdes kryptert i høyst %d minutter, og et skjema sendt etter at økten er avsluttet, i høyst %d minutter. "+
				"En kontrollert importfil slettes når importen bekreftes, og senest etter én time.",
				minutes(tryggspor.IdleTimeout), int(tryggspor.AbsoluteTimeout.Hours()), minutes(tryggspor.EndedGrace),
				minutes(tryggspor.HoldConfirm.Lifetime()), minutes(tryggspor.HoldResume.Lifetime())),
			fmt.Sprintf("En trygghetsguides tilgang til en overført sak opphører %s, eller når samtykket opphører om det skjer før. "+
				"Et samtykke kan gjelde i høyst %d %s, og en overføring må besvares innen høyst %d %s.", grace,
				h.ConsentMaxMonths, plural(h.ConsentMaxMonths, "måned", "måneder"), h.AcceptMaxDays, plural(h.AcceptMaxDays, "dag", "dager")),
		}
	},
	measures: func(cp string) []string {
		return []string{
			"Kryptering av personopplysninger (AES-256-GCM) med nøkkel utenfor databasen; nøkkel-id lagres for rotasjon.",
			"Tilgangskontroll i hver spørring (en trygghetsguide kan bare få saker overført til egen organisasjon), rolle per rute, CSRF-vern og kontroll av opprinnelse.",
			"Revisjonslogg over hver visning, endring, nedlasting, innlogging og avvisning; kjedet med nøkkelbaserte hasher og forankret i signerte sjekkpunkter i " + cp + ".",
			"Innlogging med OpenID Connect (kodeflyt med PKCE), serverbaserte økter med kort levetid; ingen tokens lagres.",
			"Prikking av små tall i all statistikk, også gjennomsnitt og nedlastinger.",
			"Filer som tjenesten lager (database, nøkler, sikkerhetskopier, sjekkpunkter) kan bare leses av tjenestens bruker.",
		}
	},
	dpiaNote: "Risikoene nedenfor er de løsningen selv reduserer. Virksomheten må vurdere restrisiko, driftsmiljø, leverandører og rutiner.",
	risks: func(months int) [][]string {
		return [][]string{
			{"Risiko", "Tiltak i løsningen"},
			{"Uvedkommende i politiet ser et barns sak", "Saker ses bare av egen enhet; forsøk på å åpne andres saker gir 404 og logges."},
			{"En skole eller Barnehuset beholder tilgang for lenge", "Tilgang bare mens samtykket eller hjemmelen gjelder, og opphører når saken avsluttes; bare politiet kan registrere samtykke og foreslå overføring."},
			{"Noen med databasefilen leser personopplysninger", "Personopplysninger er kryptert med nøkkel utenfor databasen."},
			{"Noen med databasefilen skjuler spor i loggen", "Nøkkelbasert hashkjede og signerte sjekkpunkter utenfor databasen; «tryggspor audit verify» finner endrede, fjernede og falske oppføringer."},
			{"Statistikk avslører enkeltpersoner", "Prikking av tall under grensen og av tall som kunne avsløre dem, i tabeller, gjennomsnitt, tekst og nedlastinger."},
			{"Opplysninger blir liggende etter at formålet er nådd", fmt.Sprintf("Automatisk sletting %d %s etter avslutning.", months, plural(months, "måned", "måneder"))},
			{"Personopplysninger i e-post", "Den daglige påminnelsen inneholder bare antall, referanser og lenker."},
		}
	},
}

// minutes is a duration in whole minutes, for the record's sentences: the
// session and form lifetimes are the domain's constants, never typed again.
func minutes(d time.Duration) int { return int(d.Minutes()) }
