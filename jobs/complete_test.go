package jobs

import (
	"errors"
	"strings"
	"testing"
)

// TestCompleteCleansTitleAndDescription checks that an offer a recruiter
// types keeps no markup: the title and description come out as the text
// a crawled offer's would, and what the text states is read.
func TestCompleteCleansTitleAndDescription(t *testing.T) {
	o := Offer{
		ID:          "r:1",
		Source:      "recruiter-x",
		Title:       "Data analyst <script>alert(1)</script> <b>junior</b>",
		Company:     "Atlas Data",
		Description: `<p onclick="x()">Poste à Oujda, CDI.</p><img src=x onerror=alert(2)><script>steal()</script>Python &amp; SQL`,
	}
	Normalizer{}.Complete(&o)
	for _, s := range []string{o.Title, o.Description} {
		for _, bad := range []string{"<", ">", "onclick", "onerror", "steal()", "alert(1)"} {
			if strings.Contains(s, bad) {
				t.Errorf("%q still holds %q", s, bad)
			}
		}
	}
	if o.Title != "Data analyst junior" {
		t.Errorf("title %q, want %q", o.Title, "Data analyst junior")
	}
	if !strings.Contains(o.Description, "Poste à Oujda, CDI.") || !strings.Contains(o.Description, "Python & SQL") {
		t.Errorf("description lost its text: %q", o.Description)
	}
	if len(o.Employment) == 0 || o.Employment[0] != FullTime {
		t.Errorf("employment %v: CDI was not read from the cleaned text", o.Employment)
	}

	plain := Offer{ID: "r:2", Source: "recruiter-x", Title: "  ML engineer ", Company: "Atlas Data", Description: "R&D team.\nSalary < 10k is not what we pay."}
	Normalizer{}.Complete(&plain)
	if plain.Title != "ML engineer" {
		t.Errorf("plain title %q", plain.Title)
	}
	if !strings.Contains(plain.Description, "R&D team.") || !strings.Contains(plain.Description, "10k is not what we pay") {
		t.Errorf("plain description changed meaning: %q", plain.Description)
	}
}

// TestCompleteMarkupOnlyTitle checks that a title made only of markup is
// left empty, for validation to refuse.
func TestCompleteMarkupOnlyTitle(t *testing.T) {
	o := Offer{ID: "r:3", Source: "recruiter-x", Title: "<b></b><script>x()</script>", Company: "Atlas Data"}
	Normalizer{}.Complete(&o)
	var fe *FieldError
	if err := o.Validate(); err == nil || !errors.As(err, &fe) || fe.Field != "title" {
		t.Fatalf("validate after complete: %v, want a title error", err)
	}
}
