package jobs

import (
	"encoding/json"
	"os"
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
		// Arabic ranges (من ... إلى / حتى), bounds, the word for thousand,
		// currencies named with their country, periods in words.
		{"الأجر الشهري ما بين 7000 و 9000 درهم.", "", &Salary{Min: 7000, Max: 9000, Currency: "MAD", Period: "month"}},
		{"راتب من 4 الى 6 آلاف درهم شهريا", "", &Salary{Min: 4000, Max: 6000, Currency: "MAD", Period: "month"}},
		{"الراتب: 20 ألف ريال قطري شهرياً", "", &Salary{Min: 20000, Max: 20000, Currency: "QAR", Period: "month"}},
		{"الراتب يصل حتى 14000 درهم إماراتي في الشهر", "", &Salary{Max: 14000, Currency: "AED", Period: "month"}},
		{"أجر 1200 جنيه مصري في الأسبوع", "", &Salary{Min: 1200, Max: 1200, Currency: "EGP", Period: "week"}},
		{"مكافأة التدريب 3000 دينار جزائري بالشهر", "", &Salary{Min: 3000, Max: 3000, Currency: "DZD", Period: "month"}},
		{"الشركة تضم 2 ألف موظف منذ 15 سنة.", "", nil},
		// A k glued to a currency code.
		{"Rémunération : 300 KMAD brut par an.", "", &Salary{Min: 300000, Max: 300000, Currency: "MAD", Period: "year"}},
		{"Salary: 60kEUR - 70kEUR per year", "", &Salary{Min: 60000, Max: 70000, Currency: "EUR", Period: "year"}},
	} {
		checkSalaryInText(t, tc.text, tc.fallback, tc.want)
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

func FuzzSalaryInText(f *testing.F) {
	for _, s := range []string{"Salaire : 8 000 à 10 000 DH/mois", "İİİ $90,000 - $110,000 per annum ẞẞ", "TJM 450€",
		"الراتب بين ١٠٠٠٠ و ١٤٠٠٠ درهم", "401(k) 401k $", "£450-£550 day rate", "ǅ 45-55 K€ brut annuel", "1,2,3,4 € € €",
		"الراتب من 6 إلى 8 آلاف درهم إماراتي شهريا", "220 KDH", "حتى 900 دينار كويتي", "12 ألف", "45kmad k k"} {
		f.Add(s, "MAD")
	}
	f.Fuzz(func(t *testing.T, s, fb string) {
		if len(fb) > 3 {
			fb = ""
		}
		checkScanAmounts(t, s)
		got := salaryInText(s, fb)
		if got == nil {
			return
		}
		checkSalaryShape(t, got)
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

// checkSalaryShape fails unless a salary read from text is well formed:
// bounds not negative and in order, a currency, a known period.
// checkSalaryInText compares what salaryInText reads in text (with the
// board's fallback currency) with want; nil wants no pay.
func checkSalaryInText(t *testing.T, text, fallback string, want *Salary) {
	t.Helper()
	got := salaryInText(text, fallback)
	if (got == nil) != (want == nil) || got != nil && *got != *want {
		t.Errorf("%q: got %+v, want %+v", text, got, want)
	}
}

func checkSalaryShape(t *testing.T, got *Salary) {
	t.Helper()
	if got.Min < 0 || got.Max < 0 || (got.Max > 0 && got.Min > got.Max) || got.Currency == "" {
		t.Fatalf("bad salary %+v", got)
	}
	switch got.Period {
	case "hour", "day", "week", "month", "year":
	default:
		t.Fatalf("bad period %+v", got)
	}
}
