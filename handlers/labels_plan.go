package handlers

// planEnglish is the English of the follow-up plan on the case page, its
// forms, rules and statistics (issue 21). The family's printed plan has its
// own three-language text in planWords.
var planEnglish = map[string]string{
	"Tiltak avtalt": "Measure agreed", "Legg til tiltak": "Add a measure", "Tiltaket er lagt til i planen.": "The measure is added to the plan.",
	"Tiltak": "Measure", "Ansvarlig": "Responsible", "Ansvarlig (navn)": "Responsible (name)", "Evalueres innen": "Evaluate by",
	"Tiltak evaluert": "Measure evaluated", "Evaluer": "Evaluate", "Evalueringen er lagret.": "The evaluation is saved.",
	"Fortsetter tiltaket?": "Does the measure continue?",
	"Trygghetsguiden":      "The safety guide", "Foresatte": "Parents or guardians", "Den unge selv": "The young person",
	"Hjalp": "Helped", "Hjalp delvis": "Partly helped", "Hjalp ikke": "Did not help", "Ble ikke gjennomført": "Was not carried out",
	"Skrev ut tiltaksplanen": "Printed the follow-up plan", "Tiltaksplan": "Follow-up plan",
	"Planen har ingen tiltak som venter på evaluering.":           "The plan has no measure waiting for evaluation.",
	"Saken er avsluttet. Planen kan ikke endres lenger.":          "The case is closed. The plan can no longer be changed.",
	"Tiltaksplanen lages etter gjennomført trygghetssamtale.":     "The follow-up plan is made after a held safety conversation.",
	"Evalueringsdatoen må være etter datoen tiltaket ble avtalt.": "The evaluation date must be after the date the measure was agreed.",
	"Sett en evalueringsdato innen seks måneder (%s).":            "Set an evaluation date within six months (%s).",
	"Velg et tiltak fra planen til denne saken.":                  "Choose a measure from this case's plan.",
	"Tiltaket er allerede evaluert og ble ikke videreført.":       "The measure has already been evaluated and was not continued.",
	"Evalueringen kan ikke være før tiltaket ble avtalt (%s).":    "The evaluation cannot be before the measure was agreed (%s).",
	"forfalt": "overdue", "Sist evaluert": "Last evaluated", "fortsetter": "continues", "Ingen tiltak er avtalt ennå.": "No measures agreed yet.",
	"Planen til familien": "The plan for the family", "Velg tiltak": "Choose a measure", "evalueres innen": "evaluate by",
	"tiltak nr.": "measure no.", "ansvarlig": "responsible",
	"Tiltak i planen skal evalueres": "A plan measure is due for evaluation",
	"Avtalt":                         "Agreed", "Tiltak i planene": "Measures in the plans", "Evaluert": "Evaluated",
}
