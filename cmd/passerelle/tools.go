package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/passerelle/passerelle/crawler"
	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/profiles"
	"github.com/passerelle/passerelle/skills"
)

// maxInputBytes caps what extract reads from one file or URL.
const maxInputBytes = 32 << 20

// extract parses pages, feeds or API answers and prints normalized offers
// as JSON lines. A posting that cannot be read is reported on stderr; the
// rest still comes through.
func (c *cli) extract(args []string) error {
	fs := flag.NewFlagSet("extract", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	format := fs.String("format", "auto", "source kind: auto, "+strings.Join(formatNames(), ", "))
	source := fs.String("source", "", "source name written in offer ids (default: the format name)")
	base := fs.String("url", "", "URL the file was saved from, to resolve its relative links")
	opts := optionFlag{}
	fs.Var(opts, "opt", "parser option key=value, repeatable (CSS selectors of the html kind: item, title, url, company, location, date, description)")
	ignoreRobots := fs.Bool("ignore-robots", false, "URLs: do not read robots.txt (only with the site owner's permission)")
	allowPrivate := fs.Bool("allow-private", false, "URLs: allow loopback and private addresses (a server on your own network)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	fetchOpts := crawler.FetchOptions{IgnoreRobots: *ignoreRobots, AllowPrivate: *allowPrivate, MaxBody: maxInputBytes}
	var fetcher *crawler.Crawler // built on the first URL
	if fs.NArg() == 0 {
		return usageError{"extract: give at least one FILE or URL"}
	}
	if *format != "auto" {
		if _, ok := crawler.FormatByName(*format); !ok {
			return usageError{fmt.Sprintf("extract: unknown --format %q (known: auto, %s)", *format, strings.Join(formatNames(), ", "))}
		}
	}
	norm := jobs.Normalizer{Skills: skills.Default()}
	enc := json.NewEncoder(c.stdout)
	enc.SetEscapeHTML(false)
	var failed []string
	recovered := 0
	for _, in := range fs.Args() {
		var doc crawler.Document
		var err error
		if isURL(in) {
			if fetcher == nil {
				fetcher = crawler.NewFetcher(crawler.Config{Logger: c.log})
			}
			doc, err = fetcher.FetchDocument(c.ctx, in, fetchOpts)
			err = explainFetch(in, err)
		} else {
			doc, err = c.readInput(in)
		}
		if err != nil {
			c.log.Error("cannot read input", "input", in, "err", err)
			failed = append(failed, in)
			continue
		}
		if len(opts) > 0 {
			doc.Options = opts
		}
		if *base != "" {
			doc.URL = *base
		}
		var f crawler.Format
		var ok bool
		if *format == "auto" {
			f, ok, err = crawler.DetectSafely(crawler.DetectFormat, doc)
			if err != nil {
				c.log.Error("input skipped after a panic", "input", in, "err", err, "stack", crawler.PanicStack(err))
				recovered++
				failed = append(failed, in)
				continue
			}
			if !ok {
				c.log.Error("format not recognised; pass --format", "input", in)
				failed = append(failed, in)
				continue
			}
		} else {
			f, _ = crawler.FormatByName(*format)
		}
		res, err := crawler.ParseSafely(f, doc)
		if errors.Is(err, crawler.ErrPanic) {
			c.log.Error("input skipped after a panic", "input", in, "format", f.Name, "err", err, "stack", crawler.PanicStack(err))
			recovered++
			failed = append(failed, in)
			continue
		}
		if err != nil {
			c.log.Error("cannot parse input", "input", in, "format", f.Name, "err", err)
			failed = append(failed, in)
			continue
		}
		for _, s := range res.Skipped {
			c.log.Warn("posting skipped", "input", in, "index", s.Index, "reason", s.Reason)
		}
		src := *source
		if src == "" {
			src = f.Name
		}
		for _, p := range res.Postings {
			p.Source = src
			o, err := crawler.NormalizeSafely(norm, p)
			if errors.Is(err, crawler.ErrPanic) {
				c.log.Error("posting skipped after a panic", "input", in, "source_id", p.SourceID, "url", p.URL, "err", err, "stack", crawler.PanicStack(err))
				recovered++
				continue
			}
			if err != nil {
				c.log.Warn("posting skipped", "input", in, "title", p.Title, "reason", err)
				continue
			}
			if err := enc.Encode(o); err != nil {
				return fmt.Errorf("write output: %w", err)
			}
		}
		c.log.Info("extracted", "input", in, "format", f.Name, "postings", len(res.Postings), "skipped", len(res.Skipped))
	}
	var errs []error
	if len(failed) > 0 {
		errs = append(errs, fmt.Errorf("%d input(s) could not be read: %s", len(failed), strings.Join(failed, ", ")))
	}
	if recovered > 0 {
		errs = append(errs, fmt.Errorf("%d document(s) or posting(s) skipped after a parser or normalizer panic (logged with the stack above): please report it", recovered))
	}
	return errors.Join(errs...)
}

func isURL(in string) bool {
	return strings.HasPrefix(in, "http://") || strings.HasPrefix(in, "https://")
}

// explainFetch turns the guards' refusals into a message saying what to do.
func explainFetch(in string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, crawler.ErrRobotsDisallowed):
		return fmt.Errorf("%s is disallowed for Passerelle's User-Agent by the site's robots.txt; ask the owner, and pass --ignore-robots only with their permission: %w", in, err)
	case errors.Is(err, crawler.ErrPrivateAddress):
		return fmt.Errorf("%s is on a loopback or private address, refused so that a URL cannot reach your own network; pass --allow-private to read a server you run: %w", in, err)
	}
	return err
}

func formatNames() []string {
	var out []string
	for _, f := range crawler.Formats() {
		out = append(out, f.Name)
	}
	return out
}

// readInput reads a file or "-" for standard input (URLs go through the
// crawler's fetcher).
func (c *cli) readInput(in string) (crawler.Document, error) {
	if in == "-" {
		b, err := io.ReadAll(io.LimitReader(c.stdin, maxInputBytes+1))
		if err != nil {
			return crawler.Document{}, err
		}
		if len(b) > maxInputBytes {
			return crawler.Document{}, fmt.Errorf("standard input larger than %d bytes", maxInputBytes)
		}
		return crawler.Document{URL: "stdin:", Body: b}, nil
	}
	st, err := os.Stat(in)
	if err != nil {
		return crawler.Document{}, err
	}
	if st.Size() > maxInputBytes {
		return crawler.Document{}, fmt.Errorf("%s is larger than %d bytes", in, maxInputBytes)
	}
	b, err := os.ReadFile(in)
	if err != nil {
		return crawler.Document{}, err
	}
	return crawler.Document{URL: "file://" + in, Body: b}, nil
}

// match scores offers against profiles offline (with --profiles/--offers)
// or runs the matcher component. Offline, the offers file is read twice,
// one offer at a time: once to count how common each skill is, then to
// match each offer and write its matches at once (best first), so memory
// does not grow with the number of offers.
func (c *cli) match(args []string) error {
	isOffline := false
	for _, a := range args {
		if strings.HasPrefix(strings.TrimLeft(a, "-"), "profiles") || strings.HasPrefix(strings.TrimLeft(a, "-"), "offers") {
			isOffline = true
		}
	}
	if !isOffline {
		return c.serve(args, []string{"match"})
	}
	fs := flag.NewFlagSet("match", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	pfile := fs.String("profiles", "", "profiles as JSON lines (DESIGN.md Profile)")
	ofile := fs.String("offers", "", "offers as JSON lines (output of extract), read one at a time")
	top := fs.Int("top", 0, "best matches per offer (0: all)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *pfile == "" || *ofile == "" {
		return usageError{"match: give both --profiles P.jsonl and --offers O.jsonl"}
	}
	pf, err := os.Open(*pfile)
	if err != nil {
		return err
	}
	defer pf.Close()
	ps, perr := profiles.Import(pf)
	lineErrs, err := profiles.LineErrors(perr)
	if err != nil {
		return err
	}
	for _, e := range lineErrs {
		c.log.Warn("profile line skipped", "err", e)
	}
	// First pass: skill frequencies (skipped lines are reported here).
	spec, err := eachOffer(*ofile, c, true, matcher.CountSpecificity)
	if err != nil {
		return err
	}
	out := bufio.NewWriterSize(c.stdout, 64<<10)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	emit := func(_ *jobs.Offer, ms []matcher.Match) error {
		if *top > 0 && len(ms) > *top {
			ms = ms[:*top]
		}
		for _, m := range ms {
			m.Offer = nil
			if err := enc.Encode(m); err != nil {
				return fmt.Errorf("write output: %w", err)
			}
		}
		// Each offer's matches leave as soon as they are computed.
		if err := out.Flush(); err != nil {
			return fmt.Errorf("write output: %w", err)
		}
		return nil
	}
	_, err = eachOffer(*ofile, c, false, func(next func() (jobs.Offer, error)) (struct{}, error) {
		return struct{}{}, matcher.MatchStream(ps, next, emit, matcher.Options{Taxonomy: skills.Default(), Specificity: spec})
	})
	return err
}

// eachOffer opens the JSON lines file path and calls run with a function
// returning its valid offers one at a time, then io.EOF; invalid lines are
// skipped, and logged when warn is set.
func eachOffer[T any](path string, c *cli, warn bool, run func(next func() (jobs.Offer, error)) (T, error)) (T, error) {
	f, err := os.Open(path)
	if err != nil {
		var zero T
		return zero, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 8<<20)
	line := 0
	next := func() (jobs.Offer, error) {
		for sc.Scan() {
			line++
			b := strings.TrimSpace(sc.Text())
			if b == "" {
				continue
			}
			var o jobs.Offer
			if err := json.Unmarshal([]byte(b), &o); err != nil {
				if warn {
					c.log.Warn("offer line skipped", "file", path, "line", line, "err", err)
				}
				continue
			}
			if err := o.Validate(); err != nil {
				if warn {
					c.log.Warn("offer line skipped", "file", path, "line", line, "err", err)
				}
				continue
			}
			return o, nil
		}
		if err := sc.Err(); err != nil {
			if errors.Is(err, bufio.ErrTooLong) {
				return jobs.Offer{}, fmt.Errorf("%s line %d: longer than 8 MiB", path, line+1)
			}
			return jobs.Offer{}, fmt.Errorf("read %s: %w", path, err)
		}
		return jobs.Offer{}, io.EOF
	}
	return run(next)
}

// optionFlag collects repeated --opt key=value flags.
type optionFlag map[string]string

func (o optionFlag) String() string { return "" }

func (o optionFlag) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(k) == "" {
		return fmt.Errorf("want key=value, got %q", v)
	}
	o[strings.TrimSpace(k)] = val
	return nil
}
