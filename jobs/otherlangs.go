package jobs

// Workplace words of the other languages ads reach our graduates in:
// Spanish (companies of northern Morocco and Spain), Portuguese, Italian
// and German (boards such as Arbeitnow). The main patterns read French,
// English and Arabic; these are read on the folded text (accents stripped)
// when those found nothing. Their contract words are in employmentProse.

var (
	// otherNoRemoteRe: remote work ruled out ("sin teletrabajo",
	// "Teletrabajo: no", "kein Homeoffice").
	otherNoRemoteRe = newFastRe(`(?i)\b(?:sin\s+(?:posibilidad\s+de\s+)?teletrabajo|no\s+(?:hay\s+|se\s+ofrece\s+)?teletrabajo|teletrabajo\s*:\s*no|sem\s+(?:possibilidade\s+de\s+)?teletrabalho|teletrabalho\s*:\s*nao|kein(?:e)?\s+(?:homeoffice|home[\s-]office|remote))\b`)
	// otherHybridRe: "modalidad híbrida", "regime híbrido", "lavoro
	// ibrido", "2 días de teletrabajo", "zwei Tage Homeoffice".
	otherHybridRe = newFastRe(`(?i)\b(?:hibrid[oa]s?|ibrid[oa]|modalidad\s+mixta|tele(?:trabajo|trabalho)\s+(?:parcial|flexible|flexivel|algunos\s+dias|alguns\s+dias)|(?:\d|uno|una|dos|tres|cuatro|um|uma|dois|duas|quatro)\s+dias?\s+(?:(?:a\s+la|por)\s+semana\s+)?(?:de\s+|em\s+|en\s+)?(?:teletrabajo|teletrabalho|remoto|casa)|teilweise\s+(?:remote|homeoffice|home[\s-]office|mobil)|(?:\d|ein|zwei|drei|vier)\s+tage?\s+(?:pro\s+woche\s+)?(?:im\s+)?(?:homeoffice|home[\s-]office|remote|mobiles?\s+arbeiten))\b`)
	// otherRemoteRe: "100% remoto", "trabajo en remoto", "teletrabajo
	// completo", "vollständig remote".
	otherRemoteRe = newFastRe(`(?i)\b(?:teletrabajo|teletrabalho|telelavoro|(?:100\s*%|totalmente|completamente|integralmente)\s+(?:en\s+|em\s+|da\s+|in\s+)?remot[oa]|(?:trabajo|trabalho|lavoro|puesto|empleo|vaga|posicion|posizione|modalidad|modalidade)\s*:?\s*(?:100\s*%\s+)?(?:en\s+|em\s+|da\s+|in\s+)?remot[oa]|(?:en|em|da)\s+remoto|(?:100\s*%|vollstandig|komplett)\s+(?:remote|im\s+homeoffice|homeoffice))\b`)
	// otherOnsiteRe: "puesto presencial", "in presenza".
	otherOnsiteRe = newFastRe(`(?i)\b(?:presencial(?:mente)?|in\s+presenza|(?:trabajo|puesto)\s+en\s+(?:la\s+|nuestra\s+)?oficina)\b`)
)

// workplaceOtherLangs reads the workplace in Spanish, Portuguese, Italian
// or German words (d folded); WorkplaceUnknown when none is stated.
func workplaceOtherLangs(d *scanText) Workplace {
	switch {
	case otherNoRemoteRe.MatchString(d):
		return Onsite
	case otherHybridRe.MatchString(d):
		return Hybrid
	case otherRemoteRe.MatchString(d):
		return Remote
	case otherOnsiteRe.MatchString(d):
		return Onsite
	}
	return WorkplaceUnknown
}
