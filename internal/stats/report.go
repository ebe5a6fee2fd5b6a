package stats

import (
	"fmt"
	"strconv"
	"strings"
)

// Group writes an integer with thin spaces between thousands, as Norwegian
// typography does (12 345); anything else is returned as it is. Four-digit
// numbers stay whole (2021, 1234), as the Language Council recommends.
func Group(s string) string {
	sign := ""
	if s != "" && (s[0] == '+' || s[0] == '-') {
		sign, s = s[:1], s[1:]
	}
	if _, err := strconv.Atoi(s); err != nil || len(s) <= 4 {
		return sign + s
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune('\u202f') // narrow no-break space: thin, and keeps the number on one line
		}
		b.WriteRune(r)
	}
	return sign + b.String()
}

// counter words a count: "229 saker", "én sak", "ingen saker".
func counter(lang, one, many string) func(int) string {
	zero, oneWord := "ingen ", one
	if lang == "en" {
		zero, oneWord = "no ", "one "+one
	}
	return func(n int) string {
		switch n {
		case 0:
			return zero + many
		case 1:
			return oneWord
		}
		return Group(strconv.Itoa(n)) + " " + many
	}
}

// words is the report's wording in one language.
type words struct {
	cases, children                    func(int) string
	registered, registered0, residents string
	totalHidden                        string
	intro                              func(int) string
	outcome                            map[string]func(int) string
	hiddenWho                          map[string]string
	hiddenOne, hiddenMany, and         string
	localOutcome                       string
	handovers, handovers0, split       string
	splitHidden, handoversHidden       string
	kinds                              map[string]string
	notForPublication                  string
}

var nbWords = words{
	cases:       counter("nb", "én sak", "saker"),
	children:    counter("nb", "ett barn", "barn"),
	registered:  "I %d er det registrert %s under Trygghetsprogrammet, %s.",
	registered0: "I %d er det ikke registrert noen saker under Trygghetsprogrammet, %s.",
	residents:   "%s av disse gjelder barn og unge bosatt i %s.",
	totalHidden: "Antallet saker registrert under Trygghetsprogrammet, %s, i %d er ikke vist av personvernhensyn.",
	intro: func(n int) string {
		if n == 1 {
			return "Av den ene saken som er registrert, "
		}
		return "Av de " + Group(strconv.Itoa(n)) + " sakene som er registrert, "
	},
	outcome: map[string]func(int) string{
		"conversation": func(n int) string {
			return "har " + counter("nb", "ett barn", "barn")(n) + " vært i trygghetssamtale."
		},
		"declined": func(n int) string {
			if n == 0 {
				return "Ingen har takket nei til tilbudet."
			}
			return counter("nb", "ett barn", "barn")(n) + " har fått tilbud om trygghetssamtale, men har takket nei."
		},
		"no_response": func(n int) string {
			if n == 0 {
				return "Ingen saker er avsluttet fordi familien ikke svarte."
			}
			return counter("nb", "én utsatt", "utsatte")(n) + " har ikke svart på henvendelser."
		},
	},
	hiddenWho:         map[string]string{"conversation": "antallet som har vært i trygghetssamtale", "declined": "antallet som har takket nei", "no_response": "antallet som ikke har svart"},
	hiddenOne:         "%s, er ikke vist av personvernhensyn.",
	hiddenMany:        "%s, er ikke vist av personvernhensyn.",
	and:               " og ",
	localOutcome:      "Blant barn og unge bosatt i %s har %s vært i trygghetssamtale, mens %s har takket nei til samtale.",
	handovers:         "Det er totalt %s som er overført fra politiet til andre instanser for videre oppfølging",
	handovers0:        "Ingen saker er overført fra politiet til andre instanser for videre oppfølging.",
	split:             "; %s.",
	splitHidden:       ". Fordelingen på mottakere er ikke vist av personvernhensyn.",
	handoversHidden:   "Antallet saker som er overført fra politiet til andre instanser for videre oppfølging, er ikke vist av personvernhensyn.",
	kinds:             map[string]string{"school": "til kommune/skole", "barnehuset": "til Barnehuset", "other": "til andre instanser"},
	notForPublication: PublicationFormat,
}

var enWords = words{
	cases:       counter("en", "case", "cases"),
	children:    counter("en", "child", "children"),
	registered:  "In %d, %s were registered in the safety programme, %s.",
	registered0: "In %d, no cases were registered in the safety programme, %s.",
	residents:   "%s of these concern children and young people living in %s.",
	totalHidden: "The number of cases registered in the safety programme, %s, in %d is not shown, to protect privacy.",
	intro:       func(n int) string { return "Of the " + counter("en", "case", "cases")(n) + " registered, " },
	outcome: map[string]func(int) string{
		"conversation": func(n int) string { return counter("en", "child", "children")(n) + " had a safety conversation." },
		"declined": func(n int) string {
			if n == 0 {
				return "No one declined the offer."
			}
			return counter("en", "child", "children")(n) + " were offered a safety conversation but declined."
		},
		"no_response": func(n int) string {
			if n == 0 {
				return "No case was closed because the family did not respond."
			}
			return counter("en", "person", "people")(n) + " did not respond."
		},
	},
	hiddenWho:         map[string]string{"conversation": "the number who had a safety conversation", "declined": "the number who declined", "no_response": "the number who did not respond"},
	hiddenOne:         "%s is not shown, to protect privacy.",
	hiddenMany:        "%s are not shown, to protect privacy.",
	and:               " and ",
	localOutcome:      "Of the children and young people living in %s, %s had a safety conversation and %s declined.",
	handovers:         "In total, %s were handed over by the police to other services for follow-up",
	handovers0:        "No cases were handed over by the police to other services for follow-up.",
	split:             ": %s.",
	splitHidden:       ". How they divide between the services is not shown, to protect privacy.",
	handoversHidden:   "The number of cases handed over by the police to other services is not shown, to protect privacy.",
	kinds:             map[string]string{"school": "to the municipality/school", "barnehuset": "to the Children's House", "other": "to other services"},
	notForPublication: "Not for publication: made with suppression limit %d, below the service's %d.",
}

// Paragraphs are the report section's bullet points in lang ("nb" or "en"),
// filled in from the summary, in the words of the SLT report. A hidden figure
// never stands inside a sentence: the sentence says it is not shown instead.
func (s *Summary) Paragraphs(lang string) []string {
	w := nbWords
	if lang == "en" {
		w = enWords
	}
	var p string
	switch {
	case s.TotalHidden:
		p = fmt.Sprintf(w.totalHidden, s.UnitName, s.Year)
	case s.Total == 0:
		p = fmt.Sprintf(w.registered0, s.Year, s.UnitName)
	default:
		p = fmt.Sprintf(w.registered, s.Year, w.cases(s.Total), s.UnitName)
	}
	if l := s.Local; l != nil && !l.TotalHidden && !s.TotalHidden && s.Total > 0 {
		n := Group(strconv.Itoa(l.Total))
		if l.Total == 1 {
			n = strings.Fields(w.cases(1))[0] // "én", "one"
		}
		p += " " + capital(fmt.Sprintf(w.residents, n, l.Residence))
	}
	out := []string{p}
	if s.NotForPublication() {
		out = append([]string{fmt.Sprintf(w.notForPublication, s.Suppress, s.Configured)}, out...)
	}
	if s.Total > 0 || s.TotalHidden {
		out = append(out, s.outcomes(w))
	}
	out = append(out, s.handovers(w))
	if m := s.measures(lang); m != "" {
		out = append(out, m)
	}
	return out
}

// measureWords are the report's sentence on the follow-up plans (issue
// 21): agreed, evaluated, and how the evaluated ones were judged.
var measureWords = map[string]struct {
	agreed, hidden, judged, judgedHidden, and string
	measures                                  func(int) string
	results                                   map[string]string
}{
	"nb": {agreed: "I oppfølgingsplanene for årets saker er det avtalt %s; %s er evaluert.",
		hidden: "Antallet tiltak i oppfølgingsplanene er ikke vist av personvernhensyn.",
		judged: " Vurdert ved siste evaluering: %s.", judgedHidden: " Hvordan de ble vurdert, er ikke vist av personvernhensyn.", and: " og ",
		measures: counter("nb", "ett tiltak", "tiltak"),
		results:  map[string]string{"helped": "%d hjalp", "partly": "%d hjalp delvis", "not_helped": "%d hjalp ikke", "not_done": "%d ble ikke gjennomført"}},
	"en": {agreed: "The follow-up plans of the year's cases agreed %s; %s evaluated.",
		hidden: "The number of measures in the follow-up plans is not shown, to protect privacy.",
		judged: " At their latest evaluation, %s.", judgedHidden: " How they were judged is not shown, to protect privacy.", and: " and ",
		measures: counter("en", "measure", "measures"),
		results:  map[string]string{"helped": "%d helped", "partly": "%d partly helped", "not_helped": "%d did not help", "not_done": "%d were not carried out"}},
}

// measures is the sentence on the plans' measures, "" when there are none
// to speak of. A hidden figure is never written: the sentence says so.
func (s *Summary) measures(lang string) string {
	w, ok := measureWords[lang]
	if !ok {
		w = measureWords["nb"]
	}
	t := s.Table("measures")
	switch {
	case s.MeasuresAgreedHidden || t.TotalHidden:
		return w.hidden
	case s.MeasuresAgreed == 0:
		return ""
	}
	evaluated := strconv.Itoa(t.Total)
	if lang == "en" {
		evaluated += map[bool]string{true: " was", false: " were"}[t.Total == 1]
	}
	p := fmt.Sprintf(w.agreed, w.measures(s.MeasuresAgreed), evaluated)
	if t.Total == 0 {
		return p
	}
	var parts []string
	for _, c := range t.Cells {
		if c.Hidden {
			return p + w.judgedHidden
		}
		if c.Value > 0 {
			parts = append(parts, fmt.Sprintf(w.results[c.Key], c.Value))
		}
	}
	return p + fmt.Sprintf(w.judged, joinAnd(parts, w.and))
}

func (s *Summary) outcomes(w words) string {
	var said []string
	var hidden []string
	for _, k := range []string{"conversation", "declined", "no_response"} {
		c := s.Cell("by_outcome", k)
		if c.Hidden {
			hidden = append(hidden, w.hiddenWho[k])
			continue
		}
		x := w.outcome[k](c.Value)
		// The introduction leads into the conversations' sentence ("Av de
		// 229 sakene som er registrert, har 93 barn …"); the others stand
		// alone.
		if k == "conversation" && !s.TotalHidden {
			x = w.intro(s.Total) + lowerFirst(x)
		}
		said = append(said, capital(x))
	}
	var b strings.Builder
	b.WriteString(strings.Join(said, " "))
	if len(hidden) > 0 {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		tmpl := w.hiddenOne
		if len(hidden) > 1 {
			tmpl = w.hiddenMany
		}
		b.WriteString(capital(fmt.Sprintf(tmpl, joinAnd(hidden, w.and))))
	}
	if l := s.Local; l != nil && !l.TotalHidden && l.Total > 0 {
		conv, dec := l.Cell("by_outcome", "conversation"), l.Cell("by_outcome", "declined")
		if !conv.Hidden && !dec.Hidden {
			b.WriteString(" " + fmt.Sprintf(w.localOutcome, l.Residence, w.children(conv.Value), w.children(dec.Value)))
		}
	}
	return b.String()
}

func (s *Summary) handovers(w words) string {
	t := s.Table("handovers")
	switch {
	case t.TotalHidden:
		return w.handoversHidden
	case t.Total == 0:
		return w.handovers0
	}
	p := fmt.Sprintf(w.handovers, w.cases(t.Total))
	var parts []string
	for _, c := range t.Cells {
		if c.Hidden {
			return p + w.splitHidden
		}
		if c.Value > 0 {
			parts = append(parts, w.cases(c.Value)+" "+w.kinds[c.Key])
		}
	}
	return p + fmt.Sprintf(w.split, joinAnd(parts, w.and))
}

func joinAnd(xs []string, and string) string {
	if len(xs) <= 1 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + and + xs[len(xs)-1]
}

func capital(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

func lowerFirst(s string) string {
	for i, r := range s {
		return strings.ToLower(string(r)) + s[i+len(string(r)):]
	}
	return s
}
