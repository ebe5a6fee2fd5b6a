// Package privacy writes the record of processing activities (GDPR Art. 30)
// and a starting point for the data protection impact assessment from the
// running configuration and the data dictionary, so the document says what
// the installation actually does — its retention, its sign-in providers, its
// keys — not what someone once wrote about it.
package privacy

import (
	"fmt"
	"net/url"
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

// Build writes the record from the configuration, in bokmål (the
// command line's `tryggspor privacy record`).
func Build(cfg config.Config) Record { return BuildIn(cfg, "nb", nil) }

// BuildIn writes the record from the configuration in lang ("nb", or "en"
// for English). The English record is written in English here, not
// translated afterwards: its sentences carry the configuration's numbers,
// claims and paths, and a legal document should read as written. english
// gives the English of the vocabulary's labels (roles, organisation kinds,
// case fields) and of the purposes, from the web layer's one catalogue, so
// they are not defined twice; nil keeps them as they are.
func BuildIn(cfg config.Config, lang string, english func(string) string) Record {
	w := bokmal
	if lang == "en" {
		w = englishWording
		if english != nil {
			w.vocab = english
		}
	}
	if w.vocab == nil {
		w.vocab = func(s string) string { return s }
	}
	t := w.titles
	return Record{Title: w.title, Sections: []Section{
		{Title: t[0], Paragraphs: w.purpose, Points: purposes(w)},
		{Title: t[1], Points: w.basis},
		{Title: t[2], Points: w.subjects},
		{Title: t[3], Paragraphs: []string{w.dataCategories}, Table: fieldTable(w)},
		{Title: w.planTitle, Paragraphs: []string{w.plan}},
		{Title: t[4], Table: recipientTable(w), Paragraphs: []string{w.recipientsNote}},
		{Title: t[5], Points: providers(w, cfg)},
		{Title: t[6], Points: append(w.retention(cfg), replicaRetention(w, cfg)...)},
		{Title: t[7], Points: w.measures(checkpointFile(cfg))},
		{Title: t[8], Paragraphs: []string{w.dpiaNote}, Table: w.risks(cfg.Privacy.AnonymiseAfterMonths)},
	}}
}

// purposes is why each role touches case data, as the audit log records it.
func purposes(w wording) []string {
	var out []string
	for _, r := range []tryggspor.Role{tryggspor.RoleOfficer, tryggspor.RoleGuide, tryggspor.RoleLeader,
		tryggspor.RoleAdmin, tryggspor.RoleAuditor} {
		purpose := string(tryggspor.NewEntry(tryggspor.Actor{Role: r}, "", "", "").Purpose)
		out = append(out, fmt.Sprintf("%s: %s.", w.label("userrole", string(r)), w.vocab(purpose)))
	}
	return out
}

// fieldTable lists every case field with whether it is personal and how it
// is kept.
func fieldTable(w wording) [][]string {
	rows := [][]string{w.fieldHead}
	for _, t := range tryggspor.Terms("field") {
		p, keep := w.no, w.keptForStatistics
		if tryggspor.PersonalField(t.Code) {
			p, keep = w.yes, w.encryptedDeleted
		}
		rows = append(rows, []string{w.vocab(t.Label), p, keep})
	}
	return append(rows, w.extraFields...)
}

// recipientTable is who sees what, by role.
func recipientTable(w wording) [][]string {
	police := w.label("orgkind", "police_unit")
	guides := w.label("orgkind", "school") + ", " + w.label("orgkind", "barnehuset") + ", " + w.label("orgkind", "municipal_service")
	rows := [][]string{w.recipientHead}
	for i, r := range []string{"officer", "guide", "leader", "admin", "auditor"} {
		kind := police
		if r == "guide" {
			kind = guides
		}
		rows = append(rows, []string{w.label("userrole", r), kind, w.sees[i]})
	}
	return rows
}

// providers describes every configured sign-in provider (the single
// [oidc] provider or each [[oidc.providers]]): whom the service trusts to say
// who a user is, and what each may assert.
func providers(w wording, cfg config.Config) []string {
	list := cfg.OIDC.List()
	if len(list) == 0 {
		return []string{w.noProvider}
	}
	var out []string
	for _, p := range list {
		out = append(out, w.provider(p, func(dim string, codes []string) string { return w.labels(dim, codes) }))
	}
	return out
}

// checkpointFile is where the audit log's signed checkpoints are written.
func checkpointFile(cfg config.Config) string {
	if cfg.Audit.CheckpointFile != "" {
		return cfg.Audit.CheckpointFile
	}
	return tryggspor.CheckpointFileFor(cfg.Database.Path)
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

// replicaRetention says, when the database is replicated, where the copy is
// and how long earlier states (anonymised data among them) stay in it.
func replicaRetention(w wording, cfg config.Config) []string {
	if r := cfg.Replication; r.Enabled() {
		return []string{fmt.Sprintf(w.replica, redactURL(r.URL), r.Retention)}
	}
	return nil
}

// redactURL is a replica URL without user information.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "?"
	}
	u.User = nil
	return u.String()
}
