package jobs

import (
	"strconv"
	"strings"
	"testing"
)

// TestSalaryInTextClasses holds fresh cases, written for them, of the
// classes of pay phrasings the shared fixtures showed misread
// (matcher/testdata/eval/fixture_pay.tsv).
func TestSalaryInTextClasses(t *testing.T) {
	for _, tc := range []struct {
		text     string
		fallback string
		want     *Salary
	}{
		// Benefits priced in the text are not pay.
		{"Tuition reimbursement up to $5,250 per year, gym membership included.", "", nil},
		{"Wellness allowance and fertility coverage (up to $15,000 lifetime, $8,000 per year).", "USD", nil},
		{"Mutuelle prise en charge : 600 € par an.", "", nil},
		// Portuguese and Spanish pay words and periods.
		{"Salário: 1.150 euros brutos mensais + subsídio de alimentação.", "", &Salary{Min: 1150, Max: 1150, Currency: "EUR", Period: "month"}},
		{"Sueldo: 24.000 - 28.000 € anuales según experiencia.", "", &Salary{Min: 24000, Max: 28000, Currency: "EUR", Period: "year"}},
		{"Remuneração de 9 euros por hora.", "", &Salary{Min: 9, Max: 9, Currency: "EUR", Period: "hour"}},
		// Dutch, Polish, Italian and German pay words and periods.
		{"Salaris: €3.400 - €4.100 bruto per maand, afhankelijk van ervaring.", "", &Salary{Min: 3400, Max: 4100, Currency: "EUR", Period: "month"}},
		{"Wynagrodzenie: 9 000 - 11 500 PLN brutto miesięcznie (UoP).", "", &Salary{Min: 9000, Max: 11500, Currency: "PLN", Period: "month"}},
		{"RAL: 32.000 - 38.000 € in base all'esperienza.", "", &Salary{Min: 32000, Max: 38000, Currency: "EUR", Period: "year"}},
		{"Bruttojahresgehalt ab 52.000 €, je nach Erfahrung.", "", &Salary{Min: 52000, Currency: "EUR", Period: "year"}},
		{"Uurloon: 16,50 euro per uur.", "", &Salary{Min: 16.5, Max: 16.5, Currency: "EUR", Period: "hour"}},
		// A heading on the line above names the amounts below it.
		{"Compensation\n\n£38,000 - £44,000\n\nAbout us", "", &Salary{Min: 38000, Max: 44000, Currency: "GBP", Period: "year"}},
		{"Rémunération\n- 2 800 € à 3 200 € bruts\n", "", &Salary{Min: 2800, Max: 3200, Currency: "EUR", Period: "month"}},
		{"Benefits\n- $1,500 per year for conferences\n", "", nil},
		{"Read about our compensation philosophy and how we think about fairness at work.\n€45,000\n", "", nil},
		// A money noun right after the amount: not pay; "+ bonus" is.
		{"Every engineer gets a $3,500 yearly learning budget and a new laptop.", "", nil},
		{"You also receive a one-time €800 per year home-office budget.", "", nil},
		{"We offer £48,000 + bonus and 30 days of holiday.", "", &Salary{Min: 48000, Max: 48000, Currency: "GBP", Period: "year"}},
		{"Salaire : 32 000 € par an, primes en plus.", "", &Salary{Min: 32000, Max: 32000, Currency: "EUR", Period: "year"}},
		// The period written on both ends of a range.
		{"Contract rate: $40/hr - $55/hr depending on experience.", "", &Salary{Min: 40, Max: 55, Currency: "USD", Period: "hour"}},
		{"Base pay ranges from $98,000/year to $121,000/year.", "", &Salary{Min: 98000, Max: 121000, Currency: "USD", Period: "year"}},
		// A dollar range whose code after it names the dollar.
		{"Salary range\n\n$88,000 - $104,000 AUD\n", "", &Salary{Min: 88000, Max: 104000, Currency: "AUD", Period: "year"}},
		// A euro sign a feed decoded as Latin-1.
		{"Pay range: \u00e2\u0082\u00ac3.100 - \u00e2\u0082\u00ac3.900 per month", "", &Salary{Min: 3100, Max: 3900, Currency: "EUR", Period: "month"}},
	} {
		checkSalaryInText(t, tc.text, tc.fallback, tc.want)
	}
}

// TestSalaryBoardFields covers what the normalizer makes of a board's pay:
// an ad paid by commission alone has no pay whatever the board's figures,
// a period no pay can have is read from the amount, and an amount of a
// thousand or so without period is a month's pay.
func TestSalaryBoardFields(t *testing.T) {
	n := Normalizer{Now: fixedNow}
	for _, tc := range []struct {
		desc string
		p    Posting
		want *Salary
	}{
		{"commission only", Posting{Description: "Compensation: 100% commission, uncapped. Top closers earn $90k.",
			SalaryText: "$40k - $90k"}, nil},
		{"commission-only, structured", Posting{Description: "This is a commission-only role with weekly payouts.",
			Salary: &Salary{Min: 2000, Max: 6000, Currency: "USD", Period: "month"}}, nil},
		{"sans fixe", Posting{Description: "Rémunération uniquement à la commission, sans fixe.", SalaryText: "2 000 € - 5 000 €"}, nil},
		{"base plus commission", Posting{Description: "Base salary plus commission; OTE $70k.", SalaryText: "$50k - $60k"},
			&Salary{Min: 50000, Max: 60000, Currency: "USD", Period: "year"}},
		{"hourly wage filed as annual", Posting{Description: "Vendeur en magasin.",
			Salary: &Salary{Min: 12.5, Currency: "EUR", Period: "year"}}, &Salary{Min: 12.5, Currency: "EUR", Period: "hour"}},
		{"hourly wage written as annual", Posting{Description: "Vendeur en magasin.", SalaryText: "À partir de 12,50 € par an"},
			&Salary{Min: 12.5, Currency: "EUR", Period: "hour"}},
		{"a month's pay without period", Posting{Description: "Support agents in Athens.", SalaryText: "1000 - 1150 EUR"},
			&Salary{Min: 1000, Max: 1150, Currency: "EUR", Period: "month"}},
		// Bulgaria's pay was in leva until the euro (2026).
		{"lev before the euro", Posting{Description: "Support agents in Sofia.", SalaryText: "2800 - 3400", PostedAt: "2025-09-01",
			Locations: []Location{{City: "Sofia", Country: "BG"}}}, &Salary{Min: 2800, Max: 3400, Currency: "BGN", Period: "month"}},
		{"euro since", Posting{Description: "Support agents in Sofia.", SalaryText: "1400 - 1700", PostedAt: "2026-02-01",
			Locations: []Location{{City: "Sofia", Country: "BG"}}}, &Salary{Min: 1400, Max: 1700, Currency: "EUR", Period: "month"}},
	} {
		p := tc.p
		p.Title, p.Source, p.SourceID = "Agent", "x", "1"
		o, err := n.Normalize(p)
		if err != nil {
			t.Fatal(err)
		}
		if (o.Salary == nil) != (tc.want == nil) || (o.Salary != nil && *o.Salary != *tc.want) {
			t.Errorf("%s: got %+v, want %+v", tc.desc, o.Salary, tc.want)
		}
	}
}

// FuzzSalaryClasses fuzzes salaryInText from phrasings of those classes
// and compares the salary patterns with their regexp.
func FuzzSalaryClasses(f *testing.F) {
	for _, s := range []string{"Pay range\n\n$90,000 - $110,000", "Salário: 1.150 euros mensais", "\u00e2\u0082\u00ac2.691 - \u00e2\u0082\u00ac4.037 EUR",
		"Fertility HRA (up to $10,000 per year)", "Benefits\n\n\n- 500 € par an", "Wynagrodzenie: 9 000 - 11 500 PLN brutto miesięcznie",
		"Loon: € 3.200 per maand", "Bruttojahresgehalt: 55.000 €", "$25/hr - $35/hr", "$5,000 learning budget, + bonus",
		"Salary range\n$88,000 - $104,000 AUD", "100% commission, no base salary",
		// blind24
		"Monthly salary SAR 9,500 + housing allowance and annual ticket", "Pay starts at $17/hour", "راتب يصل إلى 15 ألف درهم إماراتي",
		"Up to €65k DOE, plus", "Budget for this role: 1500-2000 USD / month", "CAD $65,000 – $75,000", "Fixe : 45 K€ + variable 15 K€",
		"الراتب 4000 ريال، خبرة سنتين", "6 أيام في الأسبوع، راتب 3500 ريال", "المرتب 7000 جنيه", "الخلصة 5000 درهم فالشهر",
		"lkhalss 200 dh f nhar", "2500 درهم + عمولة", "ريال،،، ، 5 ريال", ", salary , , 3",
		"Rémunération : 45–55 000 € brut annuel", "de 8 à 10 000 DH", "Objectif : 150 000 DH de chiffre d'affaires par mois",
		"12 - 45\u00a0000 MAD", "1 - 9\u202f000 €"} {
		f.Add(s, "EUR")
	}
	res := salaryFastRes()
	f.Fuzz(func(t *testing.T, s, fb string) {
		if len(fb) > 3 {
			fb = ""
		}
		for name, re := range res {
			compareFastRe(t, name, re, s)
		}
		got := salaryInText(s, fb)
		if got == nil {
			return
		}
		checkSalaryShape(t, got)
	})
}

// salaryFastRes are the fastRe patterns of the salary readers.
func salaryFastRes() map[string]*fastRe {
	m := map[string]*fastRe{"payCue": payCueRe, "nonPayCue": nonPayCueRe, "commissionOnly": commissionOnlyRe}
	for i, p := range periodPatterns {
		m["period "+strconv.Itoa(i)+" "+p.period] = p.re
	}
	return m
}

// TestSalaryFastRes compares the salary patterns with their regexp on
// phrasings of pay, benefits and commission.
func TestSalaryFastRes(t *testing.T) {
	for _, s := range []string{"Gehalt: 4.000 € monatlich", "Bruttojahresgehalt 55.000 €", "100 % commission", "commission-only role",
		"sans fixe", "Fertility HRA", "salário mensal", "per maand", "RAL 30k", "al mese", "all'anno", "no base salary", "uniquement à la commission",
		"Salary: $90k/yr; 401k; wellness stipend", "Wynagrodzenie miesięcznie", "Benefits\n\n- $500 per year"} {
		for name, re := range salaryFastRes() {
			compareFastRe(t, name, re, s)
			compareFastRe(t, name, re, strings.ToLower(stripAccents(s)))
		}
	}
}
