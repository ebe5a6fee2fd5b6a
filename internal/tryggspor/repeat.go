package tryggspor

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"
)

// DefaultLookupsPerDay is how many repeat-victim lookups an officer may make
// in a day when [privacy] repeat_victim_lookups_per_day is not set (SPEC §13).
const DefaultLookupsPerDay = 20

// MaxBackdateDays is how far before today a case's registration date may be
// set, on the register form and by a correction: the registration date
// chooses the 12-month window the repeat-victim lookup searches, so an older
// date would aim the lookup at any year (with this bound it reaches at most
// 24 months back). Older cases come in by import, which shows no indicator.
const MaxBackdateDays = 365

// repeatFields are the fields whose correction changes who the person is or
// which 12 months are searched: correcting one asks for the indicator again
// and recounts the repeat_victim flag.
var repeatFields = map[string]bool{"person_name": true, "birth_date": true, "registered_on": true}

// LookupDecision is called by the store inside the lookup's transaction with
// the officer's lookups so far today and the person's earlier cases; it
// returns the audit entries to write.
type LookupDecision func(used int, prior []PriorCase) []AuditEntry

// RepeatCheck is what an officer learns from one lookup: the earlier cases'
// unit and date, or that the indicator was withheld because the day's limit
// was reached.
type RepeatCheck struct {
	Prior    []PriorCase
	Withheld bool
	Limit    int
}

// lookupsPerDay is the configured daily limit, or the default.
func (s *Service) lookupsPerDay() int {
	if s.LookupsPerDay > 0 {
		return s.LookupsPerDay
	}
	return DefaultLookupsPerDay
}

// backdateProblem says why a registration date is too far back ("" when it
// is not): the register form's rule, which corrections meet as well.
func backdateProblem(d, today time.Time) string {
	if d.IsZero() || !d.Before(today.AddDate(0, 0, -MaxBackdateDays)) {
		return ""
	}
	return "Registreringsdatoen kan ikke være mer enn " + strconv.Itoa(MaxBackdateDays) + " dager før i dag."
}

// repeatLookup shows the indicator of c to the officer a if their
// registration or correction asked for it and it has not been shown yet
// (nil otherwise). Every showing is a disclosure of other cases, so it is
// audited on c and on each earlier case (so their audit page and subject
// access report name who learned what, when); beyond the day's limit the
// indicator is withheld and the refusal audited. Lookups that find nothing
// count too: that a person is unknown is also an answer.
func (s *Service) repeatLookup(ctx context.Context, a Actor, c *Case) (*RepeatCheck, error) {
	if a.Role != RoleOfficer || a.UserID == 0 || c.LookupBy != a.UserID {
		return nil, nil // nothing asked for by this officer: no write on a plain view
	}
	out := &RepeatCheck{Limit: s.lookupsPerDay()}
	decide := func(used int, prior []PriorCase) []AuditEntry {
		if used >= out.Limit {
			out.Withheld = true
			return []AuditEntry{NewEntry(a, ActRepeatLookup, c.ID, "").Denied(
				"Grensen på " + strconv.Itoa(out.Limit) + " oppslag per dag er nådd; visningen er holdt tilbake.")}
		}
		out.Prior = prior
		return lookupEntries(a, c, prior)
	}
	since := OsloMidnight(Today(s.Now()))
	ok, err := s.Store.RepeatLookup(ctx, c, a.UserID, since, decide)
	if err != nil || !ok {
		return nil, err
	}
	return out, nil
}

// lookupEntries are the audit entries of one showing: one on the case shown
// (what it showed; the one the daily limit counts) and one on each earlier
// case naming the case it was shown at.
func lookupEntries(a Actor, c *Case, prior []PriorCase) []AuditEntry {
	shown := []Detail{Det(DetPriorNone, "no")}
	if len(prior) > 0 {
		shown = nil
		for _, p := range prior {
			shown = append(shown, Det(DetPriorUnit, p.Unit), Det(DetPriorDate, FormatDate(p.RegisteredOn)))
		}
	}
	entries := []AuditEntry{NewEntry(a, ActRepeatLookup, c.ID, "").With(shown...)}
	for _, p := range prior {
		entries = append(entries, NewEntry(a, ActRepeatLookup, p.ID, "").
			With(Det(DetShownAt, c.Ref), Det(DetShownUnit, c.Unit)).On(c.Ref))
	}
	return entries
}

// LookupUse is one officer's repeat-victim lookups in the month, for the
// auditor: how many were shown, the most in one day, and how many were
// refused. Near says the officer came close to the daily limit (three
// quarters of it or more in one day) or reached it.
type LookupUse struct {
	Actor, Org string
	Shown      int
	MaxDay     int
	Refused    int
	Near       bool
}

// lookupUse counts the month's lookups per officer from the log's entries:
// the entries on the case shown (object empty) are the lookups; days are
// civil days in Europe/Oslo. Officers nearest the limit come first.
func lookupUse(recs []AuditRecord, limit int) []LookupUse {
	type key struct {
		id   int64
		name string
	}
	by := map[key]*LookupUse{}
	days := map[key]map[string]int{}
	for _, r := range recs {
		e := r.Entry
		if e.Action != ActRepeatLookup || e.Object != "" {
			continue
		}
		k := key{e.Actor.UserID, e.Actor.Name}
		u := by[k]
		if u == nil {
			u = &LookupUse{Actor: e.Actor.Name, Org: e.Actor.Org}
			by[k], days[k] = u, map[string]int{}
		}
		if e.Outcome != OutcomeOK {
			u.Refused++
			continue
		}
		u.Shown++
		d := r.At.In(Oslo).Format(time.DateOnly)
		days[k][d]++
		u.MaxDay = max(u.MaxDay, days[k][d])
	}
	out := make([]LookupUse, 0, len(by))
	for _, u := range by {
		u.Near = u.Refused > 0 || u.MaxDay*4 >= limit*3
		out = append(out, *u)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].MaxDay != out[j].MaxDay {
			return out[i].MaxDay > out[j].MaxDay
		}
		return out[i].Actor < out[j].Actor
	})
	return out
}

// monthLookups is the month summary's lookups per officer since from.
func (s *Service) monthLookups(ctx context.Context, from time.Time) ([]LookupUse, error) {
	recs, err := s.Store.RepeatLookups(ctx, from)
	if err != nil {
		return nil, fmt.Errorf("repeat-victim lookups: %w", err)
	}
	return lookupUse(recs, s.lookupsPerDay()), nil
}
