package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/passerelle/passerelle/crawler"
	"github.com/passerelle/passerelle/internal/app"
	"github.com/passerelle/passerelle/matcher/eval"
	"github.com/passerelle/passerelle/profiles"
)

// running returns the base URL of a Passerelle answering on addr, or "".
func running(ctx context.Context, addr string) string {
	base := "http://" + addr
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/healthz", nil)
	if err != nil {
		return ""
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return ""
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return ""
	}
	return base
}

// callRunning calls the API of the running instance with this data dir's
// admin token.
func (c *cli) callRunning(base, method, path, dataDir string, body io.Reader, out any) error {
	tok, err := app.AdminToken(dataDir)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(c.ctx, method, base+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := (&http.Client{Timeout: 5 * time.Minute}).Do(req)
	if err != nil {
		return fmt.Errorf("call %s: %w", base+path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return fmt.Errorf("call %s: %w", base+path, err)
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("running instance answered %d: %s", resp.StatusCode, strings.TrimSpace(string(b)))
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

func (c *cli) profiles(args []string) error {
	if len(args) == 0 {
		return usageError{"profiles: give import FILE.jsonl, export [--csv] or search [filters]"}
	}
	sub, rest := args[0], args[1:]
	fs := flag.NewFlagSet("profiles "+sub, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	var cfg app.Config
	commonFlags(fs, &cfg)
	httpAddr := fs.String("http", envOr("PASSERELLE_HTTP", "127.0.0.1:8080"), "address of a running instance to go through (env PASSERELLE_HTTP)")
	csvOut := fs.Bool("csv", false, "export: CSV for spreadsheets instead of JSON lines")
	q := profiles.Query{}
	var skillsFlag, langsFlag string
	fs.StringVar(&q.Text, "q", "", "search: free text")
	fs.StringVar(&skillsFlag, "skills", "", "search: comma-separated skills, all required")
	fs.StringVar(&q.City, "city", "", "search: city")
	fs.StringVar(&q.Country, "country", "", "search: ISO country code")
	fs.IntVar(&q.GraduationYear, "year", 0, "search: graduation year")
	fs.StringVar(&langsFlag, "langs", "", "search: comma-separated languages, all required")
	fs.StringVar(&q.Availability, "availability", "", "search: immediate or YYYY-MM-DD")
	fs.IntVar(&q.Limit, "limit", 50, "search: results")
	if err := parseFlags(fs, rest); err != nil {
		return err
	}
	q.Skills = splitList(skillsFlag)
	q.Languages = splitList(langsFlag)
	cfg.Logger = c.log
	base := ""
	if cfg.NATSURL == "" && cfg.MeiliURL == "" {
		// The embedded store belongs to the running process, if any.
		base = running(c.ctx, *httpAddr)
	}
	switch sub {
	case "import":
		if fs.NArg() != 1 {
			return usageError{"profiles import: give one FILE.jsonl (or - for standard input)"}
		}
		var r io.Reader = c.stdin
		if fs.Arg(0) != "-" {
			f, err := os.Open(fs.Arg(0))
			if err != nil {
				return err
			}
			defer f.Close()
			r = f
		}
		if base != "" {
			var res struct {
				Imported   int      `json:"imported"`
				LineErrors []string `json:"line_errors"`
			}
			err := c.callRunning(base, http.MethodPost, "/api/profiles/import", cfg.DataDir, r, &res)
			for _, e := range res.LineErrors {
				c.log.Warn("line not imported", "err", e)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(c.stdout, "%d profils importés (via %s), %d lignes rejetées\n", res.Imported, base, len(res.LineErrors))
			return nil
		}
		a, err := app.Start(c.ctx, tools(cfg))
		if err != nil {
			return err
		}
		defer a.Close()
		n, lineErrs, err := a.ImportProfiles(c.ctx, r)
		for _, e := range lineErrs {
			c.log.Warn("line not imported", "err", e)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "%d profils importés, %d lignes rejetées\n", n, len(lineErrs))
		return nil
	case "export", "search":
		if sub == "export" {
			q.Limit = 0
		}
		var ps []profiles.Profile
		if base != "" {
			v := url.Values{}
			v.Set("q", q.Text)
			for _, s := range q.Skills {
				v.Add("skill", s)
			}
			for _, l := range q.Languages {
				v.Add("lang", l)
			}
			v.Set("city", q.City)
			v.Set("country", q.Country)
			if q.GraduationYear > 0 {
				v.Set("year", strconv.Itoa(q.GraduationYear))
			}
			v.Set("availability", q.Availability)
			v.Set("limit", strconv.Itoa(max(q.Limit, 1000)))
			var res struct {
				Profiles []profiles.Profile `json:"profiles"`
			}
			if err := c.callRunning(base, http.MethodGet, "/api/profiles?"+v.Encode(), cfg.DataDir, nil, &res); err != nil {
				return err
			}
			ps = res.Profiles
		} else {
			a, err := app.Start(c.ctx, tools(cfg))
			if err != nil {
				return err
			}
			defer a.Close()
			if sub == "export" {
				err = a.Store().Each(c.ctx, func(p profiles.Profile) error { ps = append(ps, p); return nil })
			} else {
				var res profiles.Result
				res, err = a.Store().Search(c.ctx, q)
				ps = res.Profiles
			}
			if err != nil {
				return err
			}
		}
		if *csvOut {
			_, err := profiles.ExportCSV(c.ctx, c.stdout, profiles.EachOf(ps...))
			return err
		}
		enc := json.NewEncoder(c.stdout)
		enc.SetEscapeHTML(false)
		for _, p := range ps {
			if err := enc.Encode(p); err != nil {
				return err
			}
		}
		return nil
	}
	return usageError{fmt.Sprintf("profiles: unknown subcommand %q (import, export, search)", sub)}
}

// tools is a configuration with the stores and NATS but no component.
func tools(cfg app.Config) app.Config {
	cfg.Components = []string{}
	return cfg
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// sources prints each source with its last run and health.
func (c *cli) sources(args []string) error {
	fs := flag.NewFlagSet("sources", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	var cfg app.Config
	commonFlags(fs, &cfg)
	httpAddr := fs.String("http", envOr("PASSERELLE_HTTP", "127.0.0.1:8080"), "address of a running instance (env PASSERELLE_HTTP)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg.Logger = c.log
	var st []crawler.SourceStatus
	if base := running(c.ctx, *httpAddr); base != "" && cfg.NATSURL == "" {
		if err := c.callRunning(base, http.MethodGet, "/api/sources", cfg.DataDir, nil, &st); err != nil {
			return err
		}
	} else {
		a, err := app.Start(c.ctx, tools(cfg))
		if err != nil {
			return err
		}
		defer a.Close()
		if st, err = a.SourceStatus(c.ctx); err != nil {
			return err
		}
	}
	tw := tabwriter.NewWriter(c.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tKIND\tSCHEDULE\tLAST RUN\tOFFERS\tHEALTH\tLAST ERROR")
	for _, s := range st {
		last := "-"
		if !s.LastRun.IsZero() {
			last = s.LastRun.Local().Format("2006-01-02 15:04")
		}
		health := s.Health
		if !s.Enabled {
			health = "disabled"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", s.Name, s.Kind, s.Schedule, last, s.OffersFound, health, oneLine(s.LastError, 60))
	}
	return tw.Flush()
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}

// eval prints the matching quality report over the labelled development set.
func (c *cli) eval(args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	dir := fs.String("dir", "matcher/testdata/eval", "labelled development set")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var buf bytes.Buffer
	_, err := eval.Run(*dir, &buf)
	_, _ = c.stdout.Write(buf.Bytes())
	return err
}
