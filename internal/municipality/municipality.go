// Package municipality is the list of Norway's municipalities a case's
// residence (bosted) is chosen from: Statistics Norway's classification of
// municipalities, 2024 edition (357), embedded, plus the extra values a
// deployment configures (such as "Utlandet" and "Ukjent"). Normalize maps
// what people type — any case, extra spaces, missing diacritics (Baerum,
// Tromso, Aalesund), former municipalities merged into a current one, and
// parallel Sami and Kven names — to the official name, so counts by
// residence are not split by spelling. It imports only the standard library.
package municipality

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
)

//go:embed kommuner-2024.csv
var data string

// Edition names the classification the list follows.
const Edition = "SSB Klassifikasjon over kommuner, gyldig fra 01.01.2024 (357 kommuner)"

// Municipality is one entry of the classification.
type Municipality struct {
	Number string // four digits, county first
	Name   string // the official name
	Other  []string
}

// official is the embedded list, parsed once.
var official = parse(data)

func parse(s string) []Municipality {
	var out []Municipality
	for i, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, ";")
		if len(f) != 3 || len(f[0]) != 4 {
			panic(fmt.Sprintf("municipality: line %d of the embedded list is malformed", i+1))
		}
		m := Municipality{Number: f[0], Name: f[1]}
		if f[2] != "" {
			m.Other = strings.Split(f[2], "|")
		}
		out = append(out, m)
	}
	return out
}

// All returns the official list in number order.
func All() []Municipality { return append([]Municipality(nil), official...) }

// List is the official list and a deployment's extra values, with every way
// of writing each that maps to it unambiguously.
type List struct {
	names []string          // official names and extras, for the form's choices
	exact map[string]string // lower-cased, spaces collapsed → name
	loose map[string]string // folded (no diacritics, spaces or hyphens) → name; "" when ambiguous
}

// New builds the list with extra values beside the municipalities.
func New(extra []string) *List {
	l := &List{exact: map[string]string{}, loose: map[string]string{}}
	// official: whether name is a current name; a former or parallel name
	// never takes a key from one.
	strong := map[string]bool{}
	addLoose := func(k, name string, official bool) {
		prev, ok := l.loose[k]
		switch {
		case !ok:
			l.loose[k], strong[k] = name, official
		case prev == name:
		case strong[k] && !official:
		default:
			l.loose[k] = "" // two municipalities fold to the same: ask the user
		}
	}
	add := func(alias, name string, official bool) {
		l.exact[squash(alias)] = name
		for _, k := range folds(alias) {
			addLoose(k, name, official)
		}
	}
	for _, m := range official {
		l.names = append(l.names, m.Name)
		add(m.Name, m.Name, true)
		// "Herøy (Nordland)" may be typed "Herøy Nordland" or "Herøy i
		// Nordland"; "Herøy" alone is two municipalities.
		if i := strings.Index(m.Name, " ("); i > 0 {
			base, county := m.Name[:i], strings.TrimSuffix(m.Name[i+2:], ")")
			add(base+" "+county, m.Name, true)
			add(base+" i "+county, m.Name, true)
			for _, k := range folds(base) {
				addLoose(k, "", true)
			}
		}
	}
	// Former and parallel names come after every official name, so an old
	// name never takes over a current one (Os, Bø, Sande stay themselves).
	for _, m := range official {
		for _, o := range m.Other {
			if _, taken := l.exact[squash(o)]; !taken {
				add(o, m.Name, false)
			}
		}
	}
	for _, e := range extra {
		if e = strings.TrimSpace(e); e != "" {
			l.names = append(l.names, e)
			add(e, e, true)
		}
	}
	sort.SliceStable(l.names, func(i, j int) bool { return folds(l.names[i])[0] < folds(l.names[j])[0] })
	return l
}

// Normalize returns the official name s stands for, and false when s is not
// a municipality (or an extra value) or could be more than one.
func (l *List) Normalize(s string) (string, bool) {
	if name, ok := l.exact[squash(s)]; ok {
		return name, true
	}
	for _, k := range folds(s) {
		if name, ok := l.loose[k]; ok {
			return name, name != ""
		}
	}
	return "", false
}

// Names are the values the register form offers, in alphabetical order.
func (l *List) Names() []string { return append([]string(nil), l.names...) }

// Official reports whether name is exactly an official name or extra value.
func (l *List) Official(name string) bool {
	n, ok := l.exact[squash(name)]
	return ok && n == name
}

// squash lower-cases s and collapses its white space.
func squash(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// folds are the loose keys of s: lower case, without spaces, hyphens, dots
// and diacritics; ø and å each folded two ways (o/oe, a/aa) so that both
// "Tromso" and "Tromsoe", "Alesund" and "Aalesund" are found.
func folds(s string) []string {
	s = strings.ToLower(s)
	var a, b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ' || r == '-' || r == '–' || r == '—' || r == '.' || r == '\'' || r == '\t':
			continue
		case r == 'æ' || r == 'ä':
			a.WriteString("ae")
			b.WriteString("ae")
		case r == 'ø' || r == 'ö':
			a.WriteString("o")
			b.WriteString("oe")
		case r == 'å':
			a.WriteString("a")
			b.WriteString("aa")
		default:
			if f, ok := plain[r]; ok {
				r = f
			}
			a.WriteRune(r)
			b.WriteRune(r)
		}
	}
	return []string{a.String(), b.String()}
}

// plain folds the other letters of Norwegian, Sami and Kven names.
var plain = map[rune]rune{'á': 'a', 'à': 'a', 'â': 'a', 'č': 'c', 'đ': 'd', 'é': 'e', 'è': 'e', 'ê': 'e',
	'ŋ': 'n', 'š': 's', 'ŧ': 't', 'ž': 'z', 'ü': 'u', 'ó': 'o', 'ò': 'o', 'ô': 'o', 'í': 'i'}

// DefaultExtra are the extra values when the configuration names none.
var DefaultExtra = []string{"Utlandet", "Ukjent"}

// Default is the official list with the default extras, for callers that
// were given no list of their own (tests, tools). It is never changed.
var Default = New(DefaultExtra)
