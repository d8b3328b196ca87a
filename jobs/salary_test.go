package jobs

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/passerelle/passerelle/internal/fixtures"
)

func TestParseSalary(t *testing.T) {
	tests := []struct {
		in   string
		want *Salary
	}{
		{"45 000 €", &Salary{45000, 45000, "EUR", "year"}},
		{"45\u00a0000\u00a0€ brut annuel", &Salary{45000, 45000, "EUR", "year"}},
		{"15 000 DH/mois", &Salary{15000, 15000, "MAD", "month"}},
		{"8000 - 12000 MAD par mois", &Salary{8000, 12000, "MAD", "month"}},
		{"Salaire : 6 000 à 8 000 dirhams", &Salary{6000, 8000, "MAD", "month"}},
		{"$80k-$100k", &Salary{80000, 100000, "USD", "year"}},
		{"$80 - 100k", &Salary{80000, 100000, "USD", "year"}},
		{"60K - 80K USD a year", &Salary{60000, 80000, "USD", "year"}},
		{"500€/jour", &Salary{500, 500, "EUR", "day"}},
		{"TJM 450 €", &Salary{450, 450, "EUR", "day"}},
		{"£40,000 - £50,000", &Salary{40000, 50000, "GBP", "year"}},
		{"€50.000 - €60.000 per annum", &Salary{50000, 60000, "EUR", "year"}},
		{"45k€ - 55k€", &Salary{45000, 55000, "EUR", "year"}},
		{"CA$90,000–110,000", &Salary{90000, 110000, "CAD", "year"}},
		{"90000 CAD", &Salary{90000, 90000, "CAD", "year"}},
		{"$18 - $22/hr", &Salary{18, 22, "USD", "hour"}},
		{"$14/hr", &Salary{14, 14, "USD", "hour"}},
		{"$31,2k- $52k", &Salary{31200, 52000, "USD", "year"}},
		{"OTE $25k - $35k", &Salary{25000, 35000, "USD", "year"}},
		{"$3k - $10k", &Salary{3000, 10000, "USD", "month"}},
		{"$45,000 - $50,000", &Salary{45000, 50000, "USD", "year"}},
		{"up to $120k", &Salary{0, 120000, "USD", "year"}},
		{"à partir de 2 500 € par mois", &Salary{2500, 0, "EUR", "month"}},
		{"1 800 € - 2 200 € brut mensuel", &Salary{1800, 2200, "EUR", "month"}},
		{"100000 - 80000 USD", &Salary{80000, 100000, "USD", "year"}},
		{"15 €/h", &Salary{15, 15, "EUR", "hour"}},
		{"2 000 TND", &Salary{2000, 2000, "TND", "month"}},
		{"Pay per task", nil},
		{"Competitive", nil},
		{"45 000 - 50 000", nil}, // no currency
		{"", nil},
		{"3+ years of experience, $", nil},
	}
	for _, tt := range tests {
		got, ok := ParseSalary(tt.in)
		if tt.want == nil {
			if ok || got != nil {
				t.Errorf("ParseSalary(%q) = %+v, %v; want nothing", tt.in, got, ok)
			}
			continue
		}
		if !ok || got == nil || *got != *tt.want {
			t.Errorf("ParseSalary(%q) = %+v, %v; want %+v", tt.in, got, ok, tt.want)
		}
	}
}

func TestParseSalaryFallbackCurrency(t *testing.T) {
	got, ok := parseSalary("9 000 - 11 000 par mois", "MAD")
	if !ok || *got != (Salary{9000, 11000, "MAD", "month"}) {
		t.Fatalf("got %+v, %v", got, ok)
	}
}

// TestParseSalaryRemotive reads every non-empty salary string of the
// Remotive fixtures: each must parse with a valid range, or be words only.
func TestParseSalaryRemotive(t *testing.T) {
	for _, name := range []string{"remotive/brete-remotive.json", "remotive/lcarlini-remotive.json", "remotive/ikevinxie-remotive.json"} {
		b, err := os.ReadFile(fixtures.Path(t, name))
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Jobs []struct {
				Salary string `json:"salary"`
			} `json:"jobs"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, j := range doc.Jobs {
			if j.Salary == "" {
				continue
			}
			s, ok := ParseSalary(j.Salary)
			hasDigit := false
			for _, r := range j.Salary {
				hasDigit = hasDigit || (r >= '0' && r <= '9')
			}
			if ok != hasDigit {
				t.Errorf("%s: ParseSalary(%q) = %+v, %v", name, j.Salary, s, ok)
				continue
			}
			if ok {
				o := Offer{ID: "x:1", Title: "t", Salary: s}
				if err := o.Validate(); err != nil {
					t.Errorf("%s: %q -> %+v invalid: %v", name, j.Salary, s, err)
				}
			}
		}
	}
}

func FuzzParseSalary(f *testing.F) {
	for _, s := range []string{"45 000 €", "15 000 DH/mois", "$80k-$100k", "60K - 80K USD a year", "500€/jour", "£40,000 - £50,000", "$31,2k- $52k", "up to 1M$", "9999999999999999999999 €", "1e308 $", "€-5"} {
		f.Add(s)
	}
	f.Add("ȺȺȺ 45 000 € brut annuel İ")
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseSalary(s)
		if !ok {
			if got != nil {
				t.Errorf("not ok but %+v", got)
			}
			return
		}
		o := Offer{ID: "x:1", Title: "t", Salary: got}
		if err := o.Validate(); err != nil {
			t.Errorf("ParseSalary(%q) = %+v: %v", s, got, err)
		}
		if len(got.Currency) != 3 {
			t.Errorf("currency %q", got.Currency)
		}
	})
}

func TestSalaryInText(t *testing.T) {
	for _, tc := range []struct {
		text     string
		fallback string
		want     *Salary
	}{
		{"Salaire : 9 000 - 11 000 net par mois.", "MAD", &Salary{Min: 9000, Max: 11000, Currency: "MAD", Period: "month"}},
		{"We raised $20M and have 45 employees. 401(k) and 25 days of PTO.", "", nil},
		{"Learning budget of €1,000 per year.", "", nil},
		{"Join a team of 12; 3+ years of Python required.", "USD", nil},
		{"Compensation: USD 4,000 - 5,000 monthly, paid in crypto or wire.", "", &Salary{Min: 4000, Max: 5000, Currency: "USD", Period: "month"}},
		{"Rémunération : à partir de 40 k€ brut annuel.", "", &Salary{Min: 40000, Currency: "EUR", Period: "year"}},
		{"Pay up to £30/hour.", "", &Salary{Max: 30, Currency: "GBP", Period: "hour"}},
		{"الراتب: ٨٠٠٠ درهم شهريا", "", &Salary{Min: 8000, Max: 8000, Currency: "MAD", Period: "month"}},
		{"Salaire : 3000 € par mois, 35 heures par semaine.", "", &Salary{Min: 3000, Max: 3000, Currency: "EUR", Period: "month"}},
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
		got := salaryInText(tc.text, tc.fallback)
		if (got == nil) != (tc.want == nil) || (got != nil && *got != *tc.want) {
			t.Errorf("%q: got %+v, want %+v", tc.text, got, tc.want)
		}
	}
	// A board's derived annual figure does not replace the stated hourly pay.
	n := Normalizer{Now: fixedNow}
	o, err := n.Normalize(Posting{Title: "Data labeler", Source: "x", SourceID: "1", Description: "Pay: $25/hour, part-time.",
		Salary: &Salary{Min: 52000, Max: 52000, Currency: "USD", Period: "year"}})
	if err != nil {
		t.Fatal(err)
	}
	if o.Salary == nil || o.Salary.Period != "hour" || o.Salary.Min != 25 {
		t.Errorf("derived annual figure kept: %+v", o.Salary)
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

func FuzzSalaryInText(f *testing.F) {
	for _, s := range []string{"Salaire : 8 000 à 10 000 DH/mois", "İİİ $90,000 - $110,000 per annum ẞẞ", "TJM 450€",
		"الراتب بين ١٠٠٠٠ و ١٤٠٠٠ درهم", "401(k) 401k $", "£450-£550 day rate", "ǅ 45-55 K€ brut annuel", "1,2,3,4 € € €",
		"Pay range\n\n$90,000 - $110,000", "Salário: 1.150 euros mensais", "\u00e2\u0082\u00ac2.691 - \u00e2\u0082\u00ac4.037 EUR",
		"Fertility HRA (up to $10,000 per year)", "Benefits\n\n\n- 500 € par an", "Wynagrodzenie: 9 000 - 11 500 PLN brutto miesięcznie",
		"Loon: € 3.200 per maand", "Bruttojahresgehalt: 55.000 €"} {
		f.Add(s, "MAD")
	}
	res := salaryFastRes()
	f.Fuzz(func(t *testing.T, s, fb string) {
		if len(fb) > 3 {
			fb = ""
		}
		checkScanAmounts(t, s)
		for name, re := range res {
			compareFastRe(t, name, re, s)
		}
		got := salaryInText(s, fb)
		if got == nil {
			return
		}
		if got.Min < 0 || got.Max < 0 || (got.Max > 0 && got.Min > got.Max) || got.Currency == "" {
			t.Fatalf("bad salary %+v", got)
		}
		switch got.Period {
		case "hour", "day", "week", "month", "year":
		default:
			t.Fatalf("bad period %+v", got)
		}
	})
}

// checkScanAmounts compares scanAmounts with the pattern it replaces.
func checkScanAmounts(t *testing.T, s string) {
	t.Helper()
	want := amountTextRe.FindAllStringIndex(s, 200)
	got := scanAmounts(s, 200)
	if len(got) != len(want) {
		t.Fatalf("scanAmounts(%q) = %v, want %v", s, got, want)
	}
	for i := range got {
		if got[i][0] != want[i][0] || got[i][1] != want[i][1] {
			t.Fatalf("scanAmounts(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestScanAmounts(t *testing.T) {
	for _, s := range []string{"1,0000", "12 000 à 15 000", "1234,567", "45.5k", "2\u00a0500\u202f000", "3’000", "9.", ",5", "1,2,3",
		"100 000.50 and 7,5", "0012 345", "1 23 456"} {
		checkScanAmounts(t, s)
	}
}

// salaryFastRes are the fastRe patterns of the salary readers.
func salaryFastRes() map[string]*fastRe {
	m := map[string]*fastRe{"payCue": payCueRe, "nonPayCue": nonPayCueRe, "commissionOnly": commissionOnlyRe}
	for _, p := range periodPatterns {
		m["period "+p.period] = p.re
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
