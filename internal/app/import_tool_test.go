package app

import (
	"context"
	"strings"
	"testing"

	"github.com/passerelle/passerelle/profiles"
)

// TestImportOnDataDirCatchesIndexUp: a command run on the data dir (no
// component, nothing following the bucket) imports, then brings the
// search index up to date itself: the profiles are found at once and no
// "index is behind" warning is logged after waiting for an indexer that
// does not run.
func TestImportOnDataDirCatchesIndexUp(t *testing.T) {
	h := newHarness(t)
	a, _ := h.start([]string{})
	in := `{"id":"tool-1","name":"Nadia Tool","email":"nadia.tool@example.org","skills":["python"],"consent":{"searchable":true}}` + "\n"
	rep, err := a.ImportProfiles(context.Background(), strings.NewReader(in))
	if err != nil || rep.Created != 1 {
		t.Fatalf("import: %+v %v", rep, err)
	}
	res, err := a.Store().Search(context.Background(), profiles.Query{Text: "Nadia", Limit: 10})
	if err != nil || res.Total != 1 {
		t.Errorf("search right after the import: %+v %v, want Nadia", res, err)
	}
	if strings.Contains(h.logs.String(), "search index is behind") {
		t.Errorf("the import waited for an indexer that does not run:\n%s", h.logs.String())
	}
}
