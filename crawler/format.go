package crawler

import (
	"github.com/passerelle/passerelle/jobs"
)

// Document is one fetched page, feed or API answer.
type Document struct {
	URL         string // where it was fetched from; base for relative links
	ContentType string // Content-Type header, may be empty (files)
	Body        []byte
	// Options are the source's parser options (CSS selectors for the html
	// kind, board token, ...), from the sources config; may be nil.
	Options map[string]string
}

// Skip records a posting that could not be read; the rest still comes through.
type Skip struct {
	Index  int    // position in the document, -1 when unknown
	Reason string // why, for logs and `passerelle sources`
}

// ParseResult is what a parser read from one document.
type ParseResult struct {
	Postings []jobs.Posting
	Skipped  []Skip
	// Next is the next page of the listing when the document says where it
	// is in its own way (a JSON pagination member, a feed's page number);
	// the crawler follows it like a rel=next link, on the same host only.
	Next string `json:",omitempty"`
}

// Format is one source kind: a name used in the sources config and by
// `passerelle extract --format`, a detector for --format auto, and a parser.
type Format struct {
	Name string
	// Detect reports whether doc looks like this kind. Detectors run in the
	// order of Formats(); the most specific kinds come first.
	Detect func(doc Document) bool
	// Parse returns an error only when the whole document is unreadable.
	Parse func(doc Document) (ParseResult, error)
}

// Formats lists every supported kind, most specific first (API shapes
// before generic HTML/feeds).
func Formats() []Format {
	out := apiFormats()
	return append(out, structuredFormats()...)
}

// FormatByName returns the kind called name.
func FormatByName(name string) (Format, bool) {
	for _, f := range Formats() {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}

// DetectFormat returns the first kind whose detector accepts doc.
func DetectFormat(doc Document) (Format, bool) {
	for _, f := range Formats() {
		if f.Detect != nil && f.Detect(doc) {
			return f, true
		}
	}
	return Format{}, false
}
