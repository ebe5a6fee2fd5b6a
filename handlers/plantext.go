package handlers

// planWords is the follow-up plan page's text in nynorsk and English, by
// its bokmål wording (the page's keys, as everywhere in the service). The
// plan goes to the family, and many families in the programme's area write
// nynorsk (Stafettloggen is issued in both); the terms follow the reviewed
// glossary in docs/nynorsk.md, where every one of them is listed with its
// source. A new text on the plan page needs a line in both languages here
// and in the glossary; TestPlanPageSpeaksNynorsk fails on a bokmål word.
var planWords = map[string]map[string]string{
	"nn": {
		"Tiltaksplan": "Tiltaksplan", "for": "for", "Tilbake til saken": "Tilbake til saka", "Språk": "Språk",
		"Bruk nettleserens utskrift for å skrive ut planen eller lagre den som PDF.":                                      "Bruk utskrifta i nettlesaren for å skrive ut planen eller lagre han som PDF.",
		"Dette er tiltakene vi har avtalt sammen, hvem som har ansvaret for dem, og når vi skal se på om de har hjulpet.": "Dette er tiltaka vi har avtalt saman, kven som har ansvaret for dei, og når vi skal sjå på om dei har hjelpt.",
		"Sak": "Sak", "Utskrevet": "Skrive ut", "Tiltak": "Tiltak", "Ansvarlig": "Ansvarleg", "Avtalt": "Avtalt",
		"Evalueres innen": "Skal evaluerast innan", "fristen er passert": "fristen er ute", "Evalueringer": "Evalueringar",
		"Tiltaket fortsetter.": "Tiltaket held fram.", "Tiltaket er avsluttet.": "Tiltaket er avslutta.",
		"Ikke evaluert ennå.": "Ikkje evaluert enno.", "Det er ikke avtalt tiltak ennå.": "Det er ikkje avtalt tiltak enno.",
		"Hvem du kan kontakte": "Kven du kan kontakte", "Trygghetsguide": "Tryggleiksguide", "Politiet": "Politiet",
		"Ta kontakt hvis noe ikke fungerer, eller hvis du vil endre et tiltak. Dere får en ny plan etter hvert møte.": "Ta kontakt om noko ikkje fungerer, eller om du vil endre eit tiltak. De får ein ny plan etter kvart møte.",
		// owner and result vocabularies
		"Trygghetsguiden": "Tryggleiksguiden", "Foresatte": "Føresette", "Den unge selv": "Den unge sjølv",
		"Hjalp": "Hjelpte", "Hjalp delvis": "Hjelpte delvis", "Hjalp ikke": "Hjelpte ikkje", "Ble ikke gjennomført": "Vart ikkje gjennomført",
	},
	"en": {
		"Tiltaksplan": "Follow-up plan", "for": "for", "Tilbake til saken": "Back to the case", "Språk": "Language",
		"Bruk nettleserens utskrift for å skrive ut planen eller lagre den som PDF.":                                      "Use the browser's print function to print the plan or save it as a PDF.",
		"Dette er tiltakene vi har avtalt sammen, hvem som har ansvaret for dem, og når vi skal se på om de har hjulpet.": "These are the measures we have agreed together, who is responsible for them, and when we will look at whether they have helped.",
		"Sak": "Case", "Utskrevet": "Printed", "Tiltak": "Measure", "Ansvarlig": "Responsible", "Avtalt": "Agreed",
		"Evalueres innen": "To be evaluated by", "fristen er passert": "overdue", "Evalueringer": "Evaluations",
		"Tiltaket fortsetter.": "The measure continues.", "Tiltaket er avsluttet.": "The measure has ended.",
		"Ikke evaluert ennå.": "Not evaluated yet.", "Det er ikke avtalt tiltak ennå.": "No measures have been agreed yet.",
		"Hvem du kan kontakte": "Whom you can contact", "Trygghetsguide": "Safety guide", "Politiet": "The police",
		"Ta kontakt hvis noe ikke fungerer, eller hvis du vil endre et tiltak. Dere får en ny plan etter hvert møte.": "Get in touch if something does not work, or if you want to change a measure. You will get a new plan after each meeting.",
		"Trygghetsguiden": "The safety guide", "Foresatte": "Parents or guardians", "Den unge selv": "The young person",
		"Hjalp": "Helped", "Hjalp delvis": "Partly helped", "Hjalp ikke": "Did not help", "Ble ikke gjennomført": "Was not carried out",
	},
}
