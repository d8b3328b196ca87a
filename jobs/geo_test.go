package jobs

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/passerelle/passerelle/internal/fixtures"
)

func TestCountryCode(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"Maroc", "MA", true}, {"Morocco", "MA", true}, {"المغرب", "MA", true}, {"MA", "MA", true},
		{"MAR", "MA", true}, {"ma", "MA", true}, {"USA", "US", true}, {"United States", "US", true},
		{"United States of America", "US", true}, {"Deutschland", "DE", true}, {"Royaume-Uni", "GB", true},
		{"UK", "GB", true}, {"England", "GB", true}, {"Allemagne", "DE", true}, {"ESPAÑA", "ES", true},
		{"Algérie", "DZ", true}, {"الجزائر", "DZ", true}, {"Tunisie", "TN", true}, {"تونس", "TN", true},
		{"Côte d'Ivoire", "CI", true}, {"Ivory Coast", "CI", true}, {"South Korea", "KR", true},
		{"Émirats arabes unis", "AE", true}, {"UAE", "AE", true}, {"Pays-Bas", "NL", true},
		{"The Netherlands", "NL", true}, {"Czech Republic", "CZ", true}, {"Türkiye", "TR", true},
		{"Kenya", "KE", true}, {"Bosnia & Herzegovina", "BA", true}, {"Hong Kong", "HK", true},
		{"Mauritanie", "MR", true}, {"مصر", "EG", true}, {"Kosovo", "XK", true},
		{"Remote", "", false}, {"Europe", "", false}, {"", "", false}, {"Narnia", "", false}, {"ZZ", "", false},
	}
	for _, tt := range tests {
		got, ok := CountryCode(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("CountryCode(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCountryCodeCoversAllCountries(t *testing.T) {
	g := geo()
	if n := len(g.alpha2); n < 245 || n > 255 {
		t.Fatalf("%d alpha-2 codes, want about 249", n)
	}
	for cc := range g.alpha2 {
		if got, ok := CountryCode(cc); !ok || got != cc {
			t.Errorf("CountryCode(%q) = %q, %v", cc, got, ok)
		}
		if _, ok := CountryUTCOffset(cc); !ok && cc != "AQ" {
			// Every inhabited country has a representative offset.
			t.Errorf("CountryUTCOffset(%q) missing", cc)
		}
	}
}

func TestCountryUTCOffset(t *testing.T) {
	tests := []struct {
		cc   string
		want float64
	}{{"MA", 1}, {"FR", 1}, {"GB", 0}, {"US", -5}, {"IN", 5.5}, {"JP", 9}, {"BR", -3}, {"ma", 1}}
	for _, tt := range tests {
		if got, ok := CountryUTCOffset(tt.cc); !ok || got != tt.want {
			t.Errorf("CountryUTCOffset(%q) = %v, %v; want %v", tt.cc, got, ok, tt.want)
		}
	}
	if _, ok := CountryUTCOffset("ZZ"); ok {
		t.Error("CountryUTCOffset(ZZ) ok")
	}
}

func TestParseLocation(t *testing.T) {
	tests := []struct {
		in   string
		want Location
		ok   bool
	}{
		{"Casablanca", Location{City: "Casablanca", Country: "MA"}, true},
		{"Oujda", Location{City: "Oujda", Country: "MA"}, true},
		{"OUJDA", Location{City: "Oujda", Country: "MA"}, true},
		{"Nador", Location{City: "Nador", Country: "MA"}, true},
		{"Berkane", Location{City: "Berkane", Country: "MA"}, true},
		{"Taza", Location{City: "Taza", Country: "MA"}, true},
		{"Fes", Location{City: "Fès", Country: "MA"}, true},
		{"Fez, Morocco", Location{City: "Fès", Country: "MA"}, true},
		{"Tangier", Location{City: "Tanger", Country: "MA"}, true},
		{"Salé", Location{City: "Salé", Country: "MA"}, true},
		{"Kenitra", Location{City: "Kénitra", Country: "MA"}, true},
		{"Meknes", Location{City: "Meknès", Country: "MA"}, true},
		{"Marrakesh", Location{City: "Marrakech", Country: "MA"}, true},
		{"Agadir, Maroc", Location{City: "Agadir", Country: "MA"}, true},
		{"Oujda - Maroc", Location{City: "Oujda", Country: "MA"}, true},
		{"Rabat-Salé", Location{City: "Rabat", Country: "MA"}, true},
		{"وجدة", Location{City: "Oujda", Country: "MA"}, true},
		{"Tunis, Tunisie", Location{City: "Tunis", Country: "TN"}, true},
		{"Alger", Location{City: "Alger", Country: "DZ"}, true},
		{"Paris, France", Location{City: "Paris", Country: "FR"}, true},
		{"Paris (75)", Location{City: "Paris", Country: "FR"}, true},
		{"Berlin, DE", Location{City: "Berlin", Country: "DE"}, true},
		{"Offenburg", Location{}, false},
		{"Offenburg, Germany", Location{City: "Offenburg", Country: "DE"}, true},
		{"San Francisco, CA", Location{City: "San Francisco", Region: "CA", Country: "US"}, true},
		{"Arlington, TX", Location{City: "Arlington", Region: "TX", Country: "US"}, true},
		{"Atlanta, Georgia", Location{City: "Atlanta", Region: "Georgia", Country: "US"}, true},
		{"Chicago, IL", Location{City: "Chicago", Region: "IL", Country: "US"}, true},
		{"Washington, D.C.", Location{City: "Washington DC", Country: "US"}, true},
		{"New York, NY (HQ)", Location{City: "New York", Region: "NY", Country: "US"}, true},
		{"San Francisco, California", Location{City: "San Francisco", Region: "California", Country: "US"}, true},
		{"Bombay, MH", Location{City: "Mumbai", Region: "MH", Country: "IN"}, true},
		{"Amsterdam, Netherlands", Location{City: "Amsterdam", Country: "NL"}, true},
		{"Toronto, ON, Canada", Location{City: "Toronto", Region: "ON", Country: "CA"}, true},
		{"London, UK", Location{City: "London", Country: "GB"}, true},
		{"Remote, Italy", Location{Country: "IT"}, true},
		{"Remote, Bangalore", Location{City: "Bangalore", Country: "IN"}, true},
		{"Remote (Canada)", Location{Country: "CA"}, true},
		{"Remote (US)", Location{Country: "US"}, true},
		{"Kenya", Location{Country: "KE"}, true},
		{"Remote (Europe)", Location{}, false},
		{"Remote", Location{}, false},
		{"Worldwide", Location{}, false},
		{"", Location{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseLocation(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseLocation(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestLocationMatches(t *testing.T) {
	fes := Location{City: "Fès", Country: "MA"}
	tests := []struct {
		l      Location
		wanted string
		want   bool
	}{
		{fes, "Fes", true}, {fes, "FÈS", true}, {fes, "Fez", true}, {fes, "MA", true}, {fes, "ma", true},
		{fes, "Maroc", true}, {fes, "Oujda", false}, {fes, "FR", false}, {fes, "", false},
		{Location{City: "Tanger", Country: "MA"}, "Tangier", true},
		{Location{City: "Casablanca", Country: "MA"}, "Casa", true},
		{Location{Country: "MA"}, "Oujda", false},
		{Location{City: "Paris", Country: "FR"}, "Paris", true},
		{Location{City: "Paris", Country: "FR"}, "France", true},
	}
	for _, tt := range tests {
		if got := LocationMatches(tt.l, tt.wanted); got != tt.want {
			t.Errorf("LocationMatches(%+v, %q) = %v, want %v", tt.l, tt.wanted, got, tt.want)
		}
	}
}

// TestParseLocationFixtures reads every location string of the shared API
// fixtures and checks that the ones naming a known place resolve.
func TestParseLocationFixtures(t *testing.T) {
	want := map[string]string{ // location as found -> country
		"Remote, Italy": "IT", "Remote, Bangalore": "IN", "Remote, United States": "US", "Italy": "IT", "India": "IN",
	}
	var gh struct {
		Jobs []struct {
			Location struct {
				Name string `json:"name"`
			} `json:"location"`
		} `json:"jobs"`
	}
	b, err := os.ReadFile(fixtures.Path(t, "greenhouse/brete-greenhouse.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &gh); err != nil {
		t.Fatal(err)
	}
	if len(gh.Jobs) == 0 {
		t.Fatal("no greenhouse jobs")
	}
	for _, j := range gh.Jobs {
		n := j.Location.Name
		l, ok := ParseLocation(n)
		if cc, known := want[n]; known && (!ok || l.Country != cc) {
			t.Errorf("greenhouse location %q -> %+v, %v; want country %s", n, l, ok, cc)
		}
	}
}

func FuzzParseLocation(f *testing.F) {
	for _, s := range []string{"Casablanca", "Paris, France", "Berlin, DE", "Remote (Europe)", "San Francisco, CA", "Rabat-Salé", "وجدة", ", ,", "-", "((", "a - b - c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, ok := ParseLocation(s)
		if !ok {
			if l != (Location{}) {
				t.Errorf("not ok but %+v", l)
			}
			return
		}
		if l.Country == "" && l.City == "" {
			t.Errorf("ok with nothing: %q", s)
		}
		if l.Country != "" && !isAlpha2(l.Country) {
			t.Errorf("bad country %q for %q", l.Country, s)
		}
		if l.Country != "" && !validCountry(l.Country) {
			t.Errorf("unknown country %q for %q", l.Country, s)
		}
	})
}

// placeKeysMatch is LocationMatches computed through PlaceKeys and
// MatchKeys.
func placeKeysMatch(l Location, wanted string) bool {
	keys := l.MatchKeys()
	for _, k := range PlaceKeys(wanted) {
		if slices.Contains(keys, k) {
			return true
		}
	}
	return false
}

// TestPlaceKeysAgreeWithLocationMatches checks PlaceKeys and MatchKeys
// against LocationMatches over every pair of a set of wishes and places:
// cities with their aliases and other spellings, country codes and names
// in several languages, unknown places and text that is no place.
func TestPlaceKeysAgreeWithLocationMatches(t *testing.T) {
	wishes := []string{"Fes", "FÈS", "Fez", "Fès", "MA", "ma", "Maroc", "Morocco", "المغرب", "Oujda", "وجدة", "FR", "France",
		"Paris", "Tangier", "Tanger", "Casa", "Casablanca", "Rabat", "Luxembourg", "Singapore", "Djibouti", "Monaco",
		"UK", "GB", "United Kingdom", "London", "Village perdu", "", "  ", "x", "remote", "Remote - EMEA", "NY", "New York"}
	places := []Location{
		{City: "Fès", Country: "MA"}, {City: "Fez", Country: "MA"}, {Country: "MA"}, {City: "Oujda", Country: "MA"},
		{City: "Tanger", Country: "MA"}, {City: "Casablanca", Country: "MA"}, {City: "Paris", Country: "FR"},
		{Country: "FR"}, {City: "Luxembourg", Country: "LU"}, {Country: "LU"}, {City: "Singapore", Country: "SG"},
		{City: "London", Country: "GB"}, {City: "Village perdu"}, {City: "New York", Country: "US"}, {City: "ma"},
		{}, {City: "Djibouti", Country: "DJ"}, {City: "Monaco", Country: "MC"},
	}
	agreeing, matching := 0, 0
	for _, l := range places {
		for _, w := range wishes {
			want := LocationMatches(l, w)
			if got := placeKeysMatch(l, w); got != want {
				t.Errorf("place %+v, wish %q: keys say %v, LocationMatches %v (keys %q / %q)", l, w, got, want, l.MatchKeys(), PlaceKeys(w))
				continue
			}
			agreeing++
			if want {
				matching++
			}
		}
	}
	if matching < 20 {
		t.Fatalf("only %d matching pairs of %d: the comparison proves little", matching, agreeing)
	}
}

func FuzzPlaceKeys(f *testing.F) {
	for _, s := range [][3]string{{"Fez", "Fès", "MA"}, {"Maroc", "", "MA"}, {"ma", "ma", ""}, {"Tangier", "Tanger", "MA"}, {"France", "Paris", "FR"}, {"", "", ""}} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, wanted, city, country string) {
		l := Location{City: city, Country: country}
		if got, want := placeKeysMatch(l, wanted), LocationMatches(l, wanted); got != want {
			t.Errorf("place %+v, wish %q: keys say %v, LocationMatches %v (keys %q / %q)", l, wanted, got, want, l.MatchKeys(), PlaceKeys(wanted))
		}
	})
}

// TestCityNameIn: Arabic pages and mails name a known city in Arabic,
// whatever spelling the ad used; other cities and locales keep the name.
func TestCityNameIn(t *testing.T) {
	for _, c := range []struct{ city, cc, locale, want string }{
		{"Oujda", "MA", "ar", "وجدة"},
		{"Casablanca", "MA", "ar", "الدار البيضاء"},
		{"Casa", "MA", "ar", "الدار البيضاء"},
		{"Fez", "MA", "ar", "فاس"},
		{"Fès", "", "ar", "فاس"},
		{"Oujda", "MA", "fr", "Oujda"},
		{"Oujda", "MA", "en", "Oujda"},
		{"Springfield", "US", "ar", "Springfield"},
		{"Oujda", "FR", "ar", "Oujda"}, // not the gazetteer's Oujda
		{"", "MA", "ar", ""},
	} {
		if got := CityNameIn(c.city, c.cc, c.locale); got != c.want {
			t.Errorf("CityNameIn(%q, %q, %q) = %q, want %q", c.city, c.cc, c.locale, got, c.want)
		}
	}
}
