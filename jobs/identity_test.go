package jobs

import (
	"strings"
	"testing"
)

func TestCanonicalURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"HTTPS://Example.COM/jobs/1?utm_source=x&b=2&a=1#apply", "https://example.com/jobs/1?a=1&b=2"},
		{"https://boards.greenhouse.io/gitlab/jobs/123?gh_src=abc&ref=twitter", "https://boards.greenhouse.io/gitlab/jobs/123"},
		{"https://www.linkedin.com/jobs/view/42?trk=public_jobs&refId=x", "https://www.linkedin.com/jobs/view/42"},
		{"https://example.com:443/a?fbclid=1&gclid=2&id=7", "https://example.com/a?id=7"},
		{"http://example.com:80", "http://example.com/"},
		{"https://example.com/a?x=2&x=1", "https://example.com/a?x=1&x=2"},
		{"not a url", "not a url"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := CanonicalURL(tt.in); got != tt.want {
			t.Errorf("CanonicalURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestOfferID(t *testing.T) {
	tests := []struct{ source, id, url, want string }{
		{"remoteok", "123456", "", "remoteok:123456"},
		{"greenhouse", "gitlab.8123", "", "greenhouse:gitlab_8123"},
		{"rss", "1792883/10218731 MESMEO/94V", "", "rss:1792883_10218731_MESMEO_94V"},
		{"my source", "a*b>c", "", "my_source:a_b_c"},
	}
	for _, tt := range tests {
		if got := OfferID(tt.source, tt.id, tt.url); got != tt.want {
			t.Errorf("OfferID(%q, %q, %q) = %q, want %q", tt.source, tt.id, tt.url, got, tt.want)
		}
	}
	a := OfferID("rss", "", "https://Example.com/job/1?utm_source=feed")
	b := OfferID("rss", "", "https://example.com/job/1#top")
	c := OfferID("rss", "", "https://example.com/job/2")
	if a != b || a == c || !strings.HasPrefix(a, "rss:") || len(a) != len("rss:")+16 {
		t.Errorf("URL-derived ids: %q %q %q", a, b, c)
	}
	long := OfferID("src", strings.Repeat("x", 500), "")
	if len(long) > 200 || long == OfferID("src", strings.Repeat("x", 499), "") {
		t.Errorf("long id %d chars or not distinct", len(long))
	}
	for _, id := range []string{a, long, OfferID("", "", "")} {
		if strings.ContainsAny(id, " \t\n*>.") {
			t.Errorf("unsafe id %q", id)
		}
	}
}

func TestFingerprint(t *testing.T) {
	base := Offer{Title: "Data Scientist", Company: "Acme", Locations: []Location{{City: "Paris", Country: "FR"}}}
	same := []Offer{
		{Title: "Data Scientist (H/F)", Company: "ACME SAS", Locations: []Location{{Country: "FR"}}},
		{Title: "data scientist - Remote", Company: "Acme Inc.", Locations: []Location{{City: "Lyon", Country: "FR"}}},
		{Title: "Data  Scientist (m/w/d)", Company: "Acme GmbH", Locations: []Location{{City: "Paris", Country: "FR"}}},
	}
	different := []Offer{
		{Title: "Senior Data Scientist", Company: "Acme", Locations: []Location{{Country: "FR"}}},
		{Title: "Data Scientist", Company: "Other", Locations: []Location{{Country: "FR"}}},
		{Title: "Data Scientist", Company: "Acme", Locations: []Location{{Country: "MA"}}},
		{Title: "Data Scientist (NLP)", Company: "Acme", Locations: []Location{{Country: "FR"}}},
	}
	fp := Fingerprint(base)
	if len(fp) != 24 || strings.Trim(fp, "0123456789abcdef") != "" {
		t.Fatalf("fingerprint %q is not 24 hex digits", fp)
	}
	for _, o := range same {
		if got := Fingerprint(o); got != fp {
			t.Errorf("Fingerprint(%q, %q) differs from the base", o.Title, o.Company)
		}
	}
	for _, o := range different {
		if got := Fingerprint(o); got == fp {
			t.Errorf("Fingerprint(%q, %q, %v) equals the base", o.Title, o.Company, o.Locations)
		}
	}
}
