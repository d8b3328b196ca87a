package crawler

import (
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/passerelle/passerelle/jobs"
)

// ErrPanic is wrapped by the error a recovered panic becomes. No input may
// stop the crawler: a parser or normalizer that panics on one document or
// one posting is recovered at that boundary, the input is skipped, logged
// with its id and the stack, and counted in the source's health.
var ErrPanic = errors.New("crawler: recovered panic")

// PanicError is a recovered panic: what panicked, with the value and the
// goroutine's stack at the time.
type PanicError struct {
	Where string // "parse https://…", "normalize remoteok:123"
	Value any
	Stack string
}

func (e *PanicError) Error() string { return fmt.Sprintf("crawler: %s panicked: %v", e.Where, e.Value) }

// Unwrap makes errors.Is(err, ErrPanic) true.
func (e *PanicError) Unwrap() error { return ErrPanic }

// recoverTo is deferred directly (defer recoverTo(&err, where)) so that its
// recover() stops a panic of the deferring function and stores it in *err.
func recoverTo(err *error, where string) {
	if r := recover(); r != nil {
		*err = &PanicError{Where: where, Value: r, Stack: string(debug.Stack())}
	}
}

// PanicStack returns the stack of a recovered panic in err's chain, "" when
// err is not one (for logs).
func PanicStack(err error) string {
	var pe *PanicError
	if errors.As(err, &pe) {
		return pe.Stack
	}
	return ""
}

// ParseSafely runs f's parser on doc; a panic becomes a *PanicError.
// `passerelle extract` and the crawler read every document through it.
func ParseSafely(f Format, doc Document) (res ParseResult, err error) {
	defer recoverTo(&err, "parse "+doc.URL+" as "+f.Name)
	if f.Parse == nil {
		return ParseResult{}, fmt.Errorf("crawler: parse %s: format %q has no parser", doc.URL, f.Name)
	}
	return f.Parse(doc)
}

// DetectSafely is DetectFormat with a panic of a detector turned into a
// *PanicError.
func DetectSafely(detect func(Document) (Format, bool), doc Document) (f Format, ok bool, err error) {
	defer recoverTo(&err, "detect the format of "+doc.URL)
	f, ok = detect(doc)
	return f, ok, nil
}

// NormalizeSafely normalizes one posting; a panic becomes a *PanicError
// naming the posting (its source id or URL).
func NormalizeSafely(n OfferNormalizer, p jobs.Posting) (o jobs.Offer, err error) {
	defer recoverTo(&err, "normalize "+postingRef(p))
	return n.Normalize(p)
}

// postingRef names a posting in logs: source and source id, else its URL.
func postingRef(p jobs.Posting) string {
	id := p.SourceID
	if id == "" {
		id = p.URL
	}
	if len(id) > 300 {
		id = id[:300] + "…"
	}
	return p.Source + ":" + id
}
