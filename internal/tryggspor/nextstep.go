package tryggspor

// nextSteps are, per status, the events that move a case on, in the order the
// programme expects them: the first one the actor may record is the case
// page's next step. A status without an entry has no next step (a closed
// case; a handover waiting for the other side, for the officer).
var nextSteps = map[Status][]EventType{
	StatusNew:             {EvContactAttempt},
	StatusContacting:      {EvOfferMade, EvContactAttempt},
	StatusOffered:         {EvScheduled},
	StatusScheduled:       {EvHeld},
	StatusHeld:            {EvHandoverProposed, EvClosed},
	StatusHandoverPending: {EvHandoverAccepted},
	StatusGuideFollowUp:   {EvGuideContact},
}

// NextStep is the event the actor is expected to record next on c, or ""
// when nothing is expected of them now. It is always one of NextEvents.
func NextStep(c *Case, actor Actor) EventType {
	for _, t := range nextSteps[c.Status] {
		if Permitted(c, actor, t) == nil {
			return t
		}
	}
	return ""
}
