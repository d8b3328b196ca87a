package eval

import (
	"path/filepath"
	"testing"

	"github.com/passerelle/passerelle/jobs"
)

// fixtureOffersByID loads the shared fixture offers as the evaluation
// reads them, by offer id; it skips the test when the fixtures are absent.
func fixtureOffersByID(t *testing.T) map[string]*jobs.Offer {
	t.Helper()
	dir, ok := FixturesDir()
	if !ok {
		t.Skip("no shared fixtures")
	}
	src, err := ReadFixtureSources(filepath.Join("..", "testdata", "eval", "fixture_sources.json"))
	if err != nil {
		t.Fatal(err)
	}
	fx, err := LoadFixtures(dir, src)
	if err != nil {
		t.Fatal(err)
	}
	byID := make(map[string]*jobs.Offer, len(fx.Offers))
	for i := range fx.Offers {
		byID[fx.Offers[i].ID] = &fx.Offers[i]
	}
	return byID
}
