package tryggspor

// The jobs: use cases the system runs on a schedule (and the command line
// once), acting as System rather than as a person.

import (
	"context"
	"fmt"
	"time"
)

// ExpireHandovers records handover_expired on every pending handover whose
// accept-by date has passed, returning responsibility to the officer. It is
// idempotent: a case is expired once, and a run after downtime catches up. The
// expiry is dated the day after the accept-by date, when it took effect.
func (s *Service) ExpireHandovers(ctx context.Context) (int, error) {
	today := Today(s.Now())
	ids, err := s.Store.DueHandovers(ctx, FormatDate(today))
	if err != nil {
		return 0, fmt.Errorf("due handovers: %w", err)
	}
	sys := System("handover-expiry")
	n := 0
	for _, id := range ids {
		decide := func(c *Case, _ []Event) ([]Event, error) {
			if c.PendingTo == "" || !c.AcceptBy.Before(today) {
				return nil, Conflict("Overføringen er ikke lenger ventende.")
			}
			ev := Event{Type: EvHandoverExpired, Date: c.AcceptBy.AddDate(0, 0, 1), ActorName: sys.Name,
				Data: EventData{Destination: c.PendingTo, Auto: true}}
			return []Event{ev}, Permitted(c, sys, ev.Type)
		}
		_, err := s.Store.AppendEvent(ctx, Scope{All: true}, id, decide, NewEntry(sys, ActEventAppend, id, "").With(Det(DetEvent, EvHandoverExpired)))
		switch ErrorKind(err) {
		case KindInternal:
			if err != nil {
				return n, fmt.Errorf("expire handover on %s: %w", id, err)
			}
			n++
		case KindConflict:
			// accepted or withdrawn meanwhile
		default:
			return n, err
		}
	}
	return n, nil
}

// RecordAutoNoResponse records no_response on a case the sweep found due for
// it (auto_no_response = true), if the case is still waiting for an answer.
func (s *Service) RecordAutoNoResponse(ctx context.Context, caseID string, on time.Time, stillDue func(*Case) bool) error {
	sys := System("auto-no-response")
	decide := func(c *Case, _ []Event) ([]Event, error) {
		if !stillDue(c) {
			return nil, Conflict("Saken venter ikke lenger på svar.")
		}
		ev := Event{Type: EvNoResponse, Date: on, ActorName: sys.Name, Data: EventData{Auto: true}}
		return []Event{ev}, Permitted(c, sys, ev.Type)
	}
	_, err := s.Store.AppendEvent(ctx, Scope{All: true}, caseID, decide, NewEntry(sys, ActEventAppend, caseID, "").With(Det(DetEvent, EvNoResponse)))
	if ErrorKind(err) == KindConflict {
		return nil
	}
	return err
}

// Anonymise removes the personal fields of every case closed more than months
// months ago (SPEC §11), keeping the statistics fields; each case's deletion is
// audited. It returns the refs concerned (with dryRun, the refs that would be).
func (s *Service) Anonymise(ctx context.Context, months int, dryRun bool) ([]string, error) {
	if months < 1 {
		return nil, Invalid("Anonymisering må vente minst én måned etter avslutning.")
	}
	cutoff := Today(s.Now()).AddDate(0, -months, 0)
	sys := System("anonymise")
	e := NewEntry(sys, ActCaseAnon, "", "").With(Det(DetClosedBefore, FormatDate(cutoff))).For(PurposeRetention)
	return s.Store.Anonymise(ctx, FormatDate(cutoff), dryRun, e)
}
