package tryggspor

import (
	"strconv"
	"time"
)

// HandoverPolicy is the deployment's limits on handovers and on a guide's
// access (config [handover]). A zero or negative value means the default, so
// a Service built without one is never more permissive than the defaults.
type HandoverPolicy struct {
	// ConsentMonths bounds a consent's expires_on: at most this many months
	// after the date the consent was given (default 12).
	ConsentMonths int
	// AcceptDays bounds a proposal's accept_by: at most this many days after
	// the proposal (default 30).
	AcceptDays int
	// GuideGraceDays is how long a guide organisation keeps access after the
	// case closes (default 0: access ends when the case closes).
	GuideGraceDays int
}

// DefaultHandoverPolicy is the policy when nothing is configured.
var DefaultHandoverPolicy = HandoverPolicy{ConsentMonths: 12, AcceptDays: 30, GuideGraceDays: 0}

func (p HandoverPolicy) consentMonths() int {
	if p.ConsentMonths > 0 {
		return p.ConsentMonths
	}
	return DefaultHandoverPolicy.ConsentMonths
}

func (p HandoverPolicy) acceptDays() int {
	if p.AcceptDays > 0 {
		return p.AcceptDays
	}
	return DefaultHandoverPolicy.AcceptDays
}

// GraceDays is the guide's grace period after closing, never negative.
func (p HandoverPolicy) GraceDays() int {
	if p.GuideGraceDays > 0 {
		return p.GuideGraceDays
	}
	return 0
}

// checkDates refuses a consent or an accept-by date that is not after the
// event's date or lies beyond the policy's bound, beside the field.
func (p HandoverPolicy) checkDates(fe FieldErrors, ev Event) {
	switch ev.Type {
	case EvConsent:
		exp, ok := ParseDate(ev.Data.ExpiresOn)
		if !ok {
			return
		}
		limit := ev.Date.AddDate(0, p.consentMonths(), 0)
		switch {
		case !exp.After(ev.Date):
			fe.Add("expires_on", "Samtykket må gjelde fram i tid: velg en dato etter datoen samtykket ble gitt.")
		case exp.After(limit):
			fe.Add("expires_on", "Et samtykke kan gjelde høyst "+strconv.Itoa(p.consentMonths())+
				" måneder om gangen, til og med "+ShowDate(limit)+". Registrer et nytt samtykke når det fornyes.")
		}
	case EvHandoverProposed:
		acc, ok := ParseDate(ev.Data.AcceptBy)
		if !ok {
			return
		}
		limit := ev.Date.AddDate(0, 0, p.acceptDays())
		switch {
		case !acc.After(ev.Date):
			fe.Add("accept_by", "Svarfristen må være etter datoen for forslaget.")
		case acc.After(limit):
			fe.Add("accept_by", "Svarfristen kan være høyst "+strconv.Itoa(p.acceptDays())+
				" dager etter forslaget, til og med "+ShowDate(limit)+".")
		}
	}
}

// GuideMayAccess reports whether org's guides may see c on the given day:
//   - a pending handover to org, or an accepted one that was not imported
//     (imported handovers are statistics only);
//   - whose consent, when consent is the legal basis, has not expired;
//   - and the case is open, or closed less than graceDays days ago: with 3,
//     the closing day and the two after it (with 0, access ends the moment
//     the case closes, whatever the closing event's date).
//
// The store's guide scope (store/cases.go scopeWhere) is the same rule in SQL;
// store/scope_test.go proves they agree.
func GuideMayAccess(c *Case, org string, today time.Time, graceDays int) bool {
	if org == "" {
		return false
	}
	valid := func(until time.Time) bool { return until.IsZero() || !until.Before(today) }
	if c.Status == StatusClosed && (graceDays <= 0 || !today.Before(c.ClosedOn.AddDate(0, 0, graceDays))) {
		return false
	}
	return (c.PendingTo == org && valid(c.PendingUntil)) ||
		(c.HandoverTo == org && !c.HandoverImported && valid(c.AccessUntil))
}

// GuideMayAccess is the package rule with the service's clock and grace
// period: whether org's guides may see c now.
func (s *Service) GuideMayAccess(c *Case, org string) bool {
	return GuideMayAccess(c, org, Today(s.Now()), s.Handover.GraceDays())
}
