package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/passerelle/passerelle/crawler"
	"github.com/passerelle/passerelle/internal/app"
)

// sourcesUsage lists the sources subcommands.
const sourcesUsage = `sources                         list the sources, their last run, health and who changed them
sources check [NAME…] [--force]  robots.txt and one page of each source (all without NAME), nothing published
sources enable|disable NAME --by WHO
sources add URL [--name N] [--kind K] --by WHO [--email-allowed] [--dry-run]`

// sourcesAdmin is what the sources commands need, from the running
// instance's API or from an app started on the data dir or the cluster.
type sourcesAdmin interface {
	SourceStatus(ctx context.Context) ([]crawler.SourceStatus, error)
	CheckSources(ctx context.Context, names []string, force bool) ([]crawler.CheckReport, error)
	SetSourceEnabled(ctx context.Context, name string, enabled bool, by string) (crawler.SourceRecord, error)
	AddSource(ctx context.Context, req crawler.AddRequest) (crawler.CheckReport, error)
}

var _ sourcesAdmin = (*app.App)(nil)

// sources lists, checks, enables, disables or adds sources.
func (c *cli) sources(args []string) error {
	fs, cfg, httpAddr := c.adminFlags("sources")
	force := fs.Bool("force", false, "check: read the page even within the owner's minimum poll interval")
	by := fs.String("by", envOr("PASSERELLE_USER", os.Getenv("USER")), "enable, disable, add: who does it, recorded with the date (env PASSERELLE_USER, USER)")
	name := fs.String("name", "", "add: the source's name (default: from the address)")
	kind := fs.String("kind", "", "add: the kind of the page (default: detected)")
	emailAllowed := fs.Bool("email-allowed", false, "add: the company agrees that its offers are e-mailed")
	dryRun := fs.Bool("dry-run", false, "add: check and show what would be read, add nothing")
	allowPrivate := fs.Bool("allow-private", os.Getenv("PASSERELLE_ALLOW_PRIVATE") == "1", "without a running instance: let sources reach private and loopback addresses (tests, demo; env PASSERELLE_ALLOW_PRIVATE=1)")
	// Flags may come before, between or after the words.
	var words []string
	for rest := args; ; {
		if err := parseFlags(fs, rest); err != nil {
			return err
		}
		if rest = fs.Args(); len(rest) == 0 {
			break
		}
		words, rest = append(words, rest[0]), rest[1:]
	}
	sub := "list"
	if len(words) > 0 {
		sub, words = words[0], words[1:]
	}
	switch sub {
	case "list", "check":
	case "enable", "disable":
		if len(words) != 1 {
			return usageError{"sources " + sub + ": give one source NAME (and --by WHO)"}
		}
		if strings.TrimSpace(*by) == "" {
			return usageError{"sources " + sub + ": say who you are with --by"}
		}
	case "add":
		if len(words) != 1 {
			return usageError{"sources add: give the URL of the careers page (and --by WHO)"}
		}
		if strings.TrimSpace(*by) == "" {
			return usageError{"sources add: say who adds the source with --by"}
		}
	default:
		return usageError{fmt.Sprintf("sources: unknown subcommand %q\n%s", sub, sourcesUsage)}
	}
	cfg.Logger = c.log
	cfg.AllowPrivate = *allowPrivate
	var adm sourcesAdmin
	if base := running(c.ctx, *httpAddr); base != "" && cfg.NATSURL == "" {
		adm = remoteSources{c: c, base: base, dataDir: cfg.DataDir}
	} else if c.token != "" {
		return errTokenNeedsServer
	} else {
		a, err := app.Start(c.ctx, tools(*cfg))
		if err != nil {
			return err
		}
		defer a.Close()
		adm = a
	}
	switch sub {
	case "check":
		return c.sourcesCheck(adm, words, *force)
	case "enable", "disable":
		rec, err := adm.SetSourceEnabled(c.ctx, words[0], sub == "enable", *by)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "%s: %sd by %s at %s\n", rec.Name, sub, rec.By, rec.At.Local().Format("2006-01-02 15:04"))
		if sub == "enable" {
			fmt.Fprintln(c.stdout, "Its owner's terms bind you: run `passerelle sources check "+rec.Name+"` and read them before relying on it.")
		}
		return nil
	case "add":
		rep, err := adm.AddSource(c.ctx, crawler.AddRequest{URL: words[0], Name: *name, Kind: *kind, By: *by,
			EmailAllowed: *emailAllowed, DryRun: *dryRun})
		if rep.URL != "" {
			c.printCheck(rep)
		}
		if err != nil {
			return err
		}
		if *dryRun {
			fmt.Fprintf(c.stdout, "Dry run: nothing was added. Without --dry-run, %q is added and read every 12 hours.\n", rep.Source)
		} else {
			fmt.Fprintf(c.stdout, "Added %q by %s: read within minutes, then every 12 hours.\n", rep.Source, *by)
		}
		return nil
	}
	st, err := adm.SourceStatus(c.ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(c.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tKIND\tSCHEDULE\tLAST RUN\tOFFERS\tHEALTH\tRECOVERED\tHELD\tCHANGED\tLAST ERROR")
	for _, s := range st {
		last := "-"
		if !s.LastRun.IsZero() {
			last = s.LastRun.Local().Format("2006-01-02 15:04")
		}
		health := s.Health
		if !s.Enabled {
			health = "disabled"
		}
		changed := "-"
		switch {
		case s.Origin == crawler.OriginAdded:
			changed = "added by " + s.AddedBy + " " + s.AddedAt.Local().Format("2006-01-02")
		case s.EnabledBy != "" && s.Enabled:
			changed = "enabled by " + s.EnabledBy + " " + s.EnabledAt.Local().Format("2006-01-02")
		case s.EnabledBy != "":
			changed = "disabled by " + s.EnabledBy + " " + s.EnabledAt.Local().Format("2006-01-02")
		}
		// RECOVERED: inputs skipped after a parser or normalizer panic,
		// last run / all runs. HELD: offers waiting for the source's
		// publication delay.
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%d/%d\t%d\t%s\t%s\n", s.Name, s.Kind, s.Schedule, last, s.OffersFound, health,
			s.Recovered, s.TotalRecovered, s.Held, changed, oneLine(s.LastError, 60))
	}
	return tw.Flush()
}

// sourcesCheck prints each source's check and fails when one did not pass.
func (c *cli) sourcesCheck(adm sourcesAdmin, names []string, force bool) error {
	reps, err := adm.CheckSources(c.ctx, names, force)
	for _, rep := range reps {
		c.printCheck(rep)
	}
	if err != nil {
		return err
	}
	var failed []string
	for _, rep := range reps {
		if !rep.OK {
			failed = append(failed, rep.Source)
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d source(s) did not pass the check: %s", len(failed), len(reps), strings.Join(failed, ", "))
	}
	return nil
}

// checkLabels name the terms checklist's lines.
var checkLabels = map[string]string{
	"attribution":        "credit the source as",
	"attribution_url":    "link to the source",
	"email_allowed":      "offers may be e-mailed",
	"apply_via_listing":  "apply button leads to the listing",
	"show_behind_signup": "may be shown behind a sign-in",
	"min_poll_interval":  "minimum interval between polls",
	"publication_delay":  "publication delay",
	"schedule":           "schedule",
	"notes":              "notes",
}

// printCheck writes one check report for an operator.
func (c *cli) printCheck(rep crawler.CheckReport) {
	w := c.stdout
	fmt.Fprintf(w, "== %s (%s) %s\n", rep.Source, rep.Kind, rep.URL)
	if rep.RobotsURL != "" {
		verdict := "disallowed"
		if rep.Allowed {
			verdict = "allowed"
		}
		status := "unreachable"
		if rep.RobotsStatus != 0 {
			status = fmt.Sprintf("HTTP %d", rep.RobotsStatus)
		}
		fmt.Fprintf(w, "   robots.txt  %s, %s for %s", status, verdict, crawler.DefaultUserAgent)
		if rep.CrawlDelay != "" {
			fmt.Fprintf(w, ", Crawl-delay %s", rep.CrawlDelay)
		}
		fmt.Fprintln(w)
		if rep.RobotsNote != "" {
			fmt.Fprintf(w, "               %s\n", rep.RobotsNote)
		}
	}
	if rep.Status != 0 {
		fmt.Fprintf(w, "   page        HTTP %d, %d posting(s) read, %d offer(s), %d open to Morocco\n", rep.Status, rep.Postings, rep.Offers, rep.OpenToMorocco)
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(w, "   problem     %s\n", p)
	}
	for _, o := range rep.Sample {
		ma := ""
		if o.OpenToMorocco {
			ma = " [open to MA]"
		}
		fmt.Fprintf(w, "   sample      %s — %s (%s)%s\n", oneLine(o.Title, 70), oneLine(o.Company, 40), strings.Join(o.Places, "; "), ma)
	}
	fmt.Fprintln(w, "   owner's terms as recorded, to confirm by hand on the owner's pages:")
	for _, it := range rep.Checklist {
		label := checkLabels[it.Key]
		if label == "" {
			label = it.Key
		}
		fmt.Fprintf(w, "   [ ] %s: %s\n", label, oneLine(it.Value, 300))
	}
	result := "OK"
	if !rep.OK {
		result = "NOT OK"
	}
	fmt.Fprintf(w, "   result      %s\n\n", result)
}

// remoteSources reaches the sources through a running instance's API.
type remoteSources struct {
	c       *cli
	base    string
	dataDir string
}

func (r remoteSources) SourceStatus(context.Context) ([]crawler.SourceStatus, error) {
	var st []crawler.SourceStatus
	err := r.c.callRunning(r.base, http.MethodGet, "/api/sources", r.dataDir, nil, &st)
	return st, err
}

func (r remoteSources) CheckSources(_ context.Context, names []string, force bool) ([]crawler.CheckReport, error) {
	body, _ := json.Marshal(map[string]any{"names": names, "force": force})
	var reps []crawler.CheckReport
	err := r.c.callRunning(r.base, http.MethodPost, "/api/sources/check", r.dataDir, bytes.NewReader(body), &reps)
	return reps, err
}

func (r remoteSources) SetSourceEnabled(_ context.Context, name string, enabled bool, by string) (crawler.SourceRecord, error) {
	verb := "disable"
	if enabled {
		verb = "enable"
	}
	body, _ := json.Marshal(map[string]string{"by": by})
	var rec crawler.SourceRecord
	err := r.c.callRunning(r.base, http.MethodPost, "/api/sources/"+url.PathEscape(name)+"/"+verb, r.dataDir, bytes.NewReader(body), &rec)
	return rec, err
}

// AddSource keeps the check report of a refusal (HTTP 422), which
// callRunning would turn into text.
func (r remoteSources) AddSource(ctx context.Context, req crawler.AddRequest) (crawler.CheckReport, error) {
	tok, err := app.AdminToken(r.dataDir)
	if err != nil {
		return crawler.CheckReport{}, err
	}
	body, _ := json.Marshal(map[string]any{"url": req.URL, "name": req.Name, "kind": req.Kind, "by": req.By,
		"email_allowed": req.EmailAllowed, "dry_run": req.DryRun})
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, r.base+"/api/sources", bytes.NewReader(body))
	if err != nil {
		return crawler.CheckReport{}, err
	}
	hreq.Header.Set("Authorization", "Bearer "+tok)
	hreq.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 5 * time.Minute}).Do(hreq)
	if err != nil {
		return crawler.CheckReport{}, fmt.Errorf("call %s: %w", r.base, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return crawler.CheckReport{}, err
	}
	var rep crawler.CheckReport
	switch resp.StatusCode {
	case http.StatusOK, http.StatusCreated:
		return rep, json.Unmarshal(b, &rep)
	case http.StatusUnprocessableEntity:
		if err := json.Unmarshal(b, &rep); err != nil {
			return rep, err
		}
		return rep, fmt.Errorf("%w: %s", crawler.ErrCheckFailed, strings.Join(rep.Problems, "; "))
	}
	var apiErr struct {
		Error string `json:"error"`
	}
	_ = json.Unmarshal(b, &apiErr)
	return rep, errors.New("running instance answered " + resp.Status + ": " + apiErr.Error)
}
