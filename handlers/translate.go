package handlers

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
)

// A message with a value in it ("Datoen kan ikke være før saken ble
// registrert (01.02.2026).") cannot be looked up whole. The catalogue holds
// it as a pattern instead: the bokmål with a placeholder where the value
// goes, the fmt verb of its format or %s for a value joined in with +
// ("Datoen kan ikke være før saken ble registrert (%s)."), and the English
// with the same placeholders in the same order. T falls back to the
// patterns when a string has no entry of its own; the values are kept, and
// a value that is itself catalogued (an event label, a nested message) is
// translated too.

// patternVerb is a placeholder in a catalogue entry.
var patternVerb = regexp.MustCompile(`%[0-9]*[sdqvX]`)

// maxPatternDepth bounds how deep values are translated inside values
// (a chain of organisations is one level per link).
const maxPatternDepth = 8

type messagePattern struct {
	nb             *regexp.Regexp
	prefix, suffix string   // the bokmål's fixed start and end, for a cheap first test
	en             []string // the English around the values
}

// messagePatterns are the catalogue entries with placeholders, the most
// specific (the longest fixed text) first.
var messagePatterns = compilePatterns(catalogue)

func compilePatterns(cat map[string]string) []messagePattern {
	var out []messagePattern
	fixed := map[*regexp.Regexp]int{}
	for nb, en := range cat {
		verbs := patternVerb.FindAllString(nb, -1)
		if len(verbs) == 0 || !slices.Equal(verbs, patternVerb.FindAllString(en, -1)) {
			continue // TestPatternsMatchTheirEnglish reports a mismatch
		}
		parts := patternVerb.Split(nb, -1)
		var re strings.Builder
		re.WriteString("^")
		for i, part := range parts {
			re.WriteString(regexp.QuoteMeta(part))
			if i < len(verbs) {
				re.WriteString(verbPattern(verbs[i]))
			}
		}
		re.WriteString("$")
		p := messagePattern{nb: regexp.MustCompile(re.String()), prefix: parts[0], suffix: parts[len(parts)-1],
			en: patternVerb.Split(en, -1)}
		fixed[p.nb] = len(nb) - len(strings.Join(verbs, ""))
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b messagePattern) int {
		return cmp.Or(cmp.Compare(fixed[b.nb], fixed[a.nb]), strings.Compare(a.nb.String(), b.nb.String()))
	})
	return out
}

// verbPattern is what a placeholder matches: digits for %d, hex digits for
// %X, anything (as little as will do) otherwise.
func verbPattern(verb string) string {
	switch verb[len(verb)-1] {
	case 'd':
		return `(-?[0-9]+)`
	case 'X':
		return `([0-9A-F]+)`
	}
	return `(.*?)`
}

// translate is the English of s: its own entry, or the first pattern it
// matches with its values put into the English.
func translate(s string, depth int) (string, bool) {
	if en, ok := englishOf(s); ok {
		return en, true
	}
	if depth >= maxPatternDepth {
		return "", false
	}
	for _, p := range messagePatterns {
		if len(s) < len(p.prefix)+len(p.suffix) || !strings.HasPrefix(s, p.prefix) || !strings.HasSuffix(s, p.suffix) {
			continue
		}
		m := p.nb.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		var b strings.Builder
		for i, part := range p.en {
			b.WriteString(part)
			if i+1 < len(m) {
				v := m[i+1]
				if v != "" {
					if en, ok := translate(v, depth+1); ok {
						v = en
					}
				}
				b.WriteString(v)
			}
		}
		return b.String(), true
	}
	return "", false
}
