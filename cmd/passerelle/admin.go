package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/passerelle/passerelle/bus"
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
	// 503 is a Passerelle with a component unhealthy: still the owner of
	// the data dir, still the one to go through.
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusServiceUnavailable {
		return ""
	}
	return base
}

// streamRunning copies the answer of the running instance's API to w as
// it comes (exports of any size).
func (c *cli) streamRunning(base, path, dataDir string, w io.Writer) error {
	tok, err := c.bearer(dataDir)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(c.ctx, http.MethodGet, base+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("call %s: %w", base+path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return fmt.Errorf("running instance answered %d: %s", resp.StatusCode, strings.TrimSpace(string(b)))
	}
	if _, err := io.Copy(w, resp.Body); err != nil {
		return fmt.Errorf("read %s: %w", base+path, err)
	}
	return nil
}

// callRunning calls the API of the running instance with this data dir's
// admin token.
func (c *cli) callRunning(base, method, path, dataDir string, body io.Reader, out any) error {
	tok, err := c.bearer(dataDir)
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
		return usageError{"profiles: give import FILE.jsonl, export [--csv], search [filters], erase ID… or reindex"}
	}
	sub, rest := args[0], args[1:]
	fs, cfg, httpAddr := c.adminFlags("profiles " + sub)
	csvOut := fs.Bool("csv", false, "export: CSV for spreadsheets (French Excel: UTF-8 with BOM, ';') instead of JSON lines")
	lang := fs.String("lang", "fr", "language of export --csv's column headers and of import's messages (fr, en, ar)")
	dryRun := fs.Bool("dry-run", false, "import: read and check the file, store nothing, say what would change")
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
	exact := fs.Bool("exact", false, "search: skills as asked, without narrower ones (deep learning is found by machine learning otherwise)")
	anySkill := fs.Bool("any", false, "search: graduates with any of --skills rather than all")
	years := fs.String("years", "", "search: graduation years, e.g. 2024-2026")
	fs.StringVar(&q.Sort, "sort", "", "search/export: year, availability or updated (default: relevance, else id)")
	fs.StringVar(&q.Cohort, "cohort", "", "search/export: cohort")
	if err := parseFlags(fs, rest); err != nil {
		return err
	}
	*lang = profiles.ImportLanguage(*lang)
	msg := func(key string, args ...any) string { return cliText(*lang, key, args...) }
	q.Skills = splitList(skillsFlag)
	q.Languages = splitList(langsFlag)
	if *years != "" {
		a, b, _ := strings.Cut(*years, "-")
		from, err1 := strconv.Atoi(strings.TrimSpace(a))
		to, err2 := strconv.Atoi(strings.TrimSpace(b))
		if err1 != nil || err2 != nil || from > to {
			return usageError{fmt.Sprintf("--years %q: want a range such as 2024-2026", *years)}
		}
		q.YearFrom, q.YearTo = from, to
	}
	cfg.Logger = c.log
	base := ""
	if cfg.NATSURL == "" && cfg.MeiliURL == "" {
		// The embedded store belongs to the running process, if any.
		base = running(c.ctx, *httpAddr)
	}
	if c.token != "" && base == "" {
		return errTokenNeedsServer
	}
	switch sub {
	case "erase":
		if fs.NArg() == 0 {
			return usageError{"profiles erase: give the id of each profile to erase"}
		}
		for _, id := range fs.Args() {
			var rep any
			if base != "" {
				var res struct {
					Erased any `json:"erased"`
				}
				if err := c.callRunning(base, http.MethodDelete, "/api/profiles/"+url.PathEscape(id), cfg.DataDir, nil, &res); err != nil {
					return err
				}
				rep = res.Erased
			} else {
				a, err := app.Start(c.ctx, tools(*cfg))
				if err != nil {
					return err
				}
				r, err := a.EraseProfile(c.ctx, id)
				a.Close()
				if err != nil {
					return err
				}
				rep = r
			}
			b, _ := json.Marshal(rep)
			fmt.Fprintf(c.stdout, "%s: effacé (erased) %s\n", id, b)
		}
		return nil
	case "reindex":
		if base != "" {
			return usageError{"profiles reindex: a Passerelle is running on this data dir (" + base + "): stop it first, or restart it, which brings its index up to date"}
		}
		a, err := app.Start(c.ctx, tools(*cfg))
		if err != nil {
			return err
		}
		defer a.Close()
		n, err := a.Reindex(c.ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "index de recherche reconstruit : %d profils (search index rebuilt)\n", n)
		return nil
	case "import":
		if fs.NArg() != 1 {
			return usageError{"profiles import: give one FILE.jsonl or FILE.csv (or - for standard input)"}
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
		var res struct {
			Imported       int      `json:"imported"`
			Rejected       int      `json:"rejected"`
			LineErrors     []string `json:"line_errors"`
			Created        int      `json:"created"`
			Updated        int      `json:"updated"`
			WithoutSeeking int      `json:"without_seeking"`
			WithoutSkills  int      `json:"without_skills"`
			CSV            *struct {
				Encoding  string   `json:"encoding"`
				Delimiter string   `json:"delimiter"`
				Columns   []string `json:"columns"`
				Ignored   []string `json:"ignored"`
			} `json:"csv"`
		}
		via := ""
		if base != "" {
			path := "/api/profiles/import?lang=" + *lang
			if *dryRun {
				path += "&dry_run=1"
			}
			err := c.callRunning(base, http.MethodPost, path, cfg.DataDir, r, &res)
			// Each rejected line, in the officer's language, with its
			// line and column.
			for _, e := range res.LineErrors {
				fmt.Fprintln(c.stderr, e)
			}
			if err != nil {
				return err
			}
			via = " (via " + base + ")"
		} else {
			a, err := app.Start(c.ctx, tools(*cfg))
			if err != nil {
				return err
			}
			defer a.Close()
			imp := a.ImportProfiles
			if *dryRun {
				imp = a.ImportProfilesDryRun
			}
			rep, err := imp(c.ctx, r)
			for _, e := range rep.Errors {
				fmt.Fprintln(c.stderr, e.Localized(*lang))
			}
			var notCSV *profiles.NotCSVError
			if errors.As(err, &notCSV) {
				return errors.New(notCSV.Localized(*lang))
			}
			if err != nil {
				return err
			}
			res.Imported, res.Rejected = rep.Imported, rep.Rejected
			res.Created, res.Updated, res.WithoutSeeking, res.WithoutSkills = rep.Created, rep.Updated, rep.NoSeeking, rep.NoSkills
			if rep.CSV != nil {
				res.CSV = &struct {
					Encoding  string   `json:"encoding"`
					Delimiter string   `json:"delimiter"`
					Columns   []string `json:"columns"`
					Ignored   []string `json:"ignored"`
				}{rep.CSV.Encoding, string(rep.CSV.Delimiter), rep.CSV.Columns, rep.CSV.IgnoredIn(*lang)}
			}
		}
		if res.CSV != nil {
			fmt.Fprintln(c.stdout, msg("csv_info", res.CSV.Encoding, res.CSV.Delimiter, strings.Join(res.CSV.Columns, ", ")))
			for _, ig := range res.CSV.Ignored {
				fmt.Fprintln(c.stdout, msg("csv_ignored", ig))
			}
		}
		if *dryRun {
			fmt.Fprintln(c.stdout, msg("import_dry", res.Created, res.Updated, res.Rejected))
		} else {
			fmt.Fprintln(c.stdout, msg("import_done", res.Imported, via, res.Created, res.Updated, res.Rejected))
		}
		if res.WithoutSeeking > 0 || res.WithoutSkills > 0 {
			fmt.Fprintln(c.stdout, msg("import_incomplete", res.WithoutSeeking, res.WithoutSkills))
		}
		if res.Rejected > 0 {
			return errors.New(msg("import_rejected", res.Rejected, profiles.MaxKeptLineErrors))
		}
		return nil
	case "export", "search":
		// Only graduates who consented to be found, on every path.
		q.OnlySearchable = true
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
			if *exact {
				v.Set("exact", "1")
			}
			if q.Sort != "" {
				v.Set("sort", q.Sort)
			}
			if q.Cohort != "" {
				v.Set("cohort", q.Cohort)
			}
			if *anySkill {
				v.Set("match", "any")
			}
			if q.YearFrom != 0 {
				v.Set("year_from", strconv.Itoa(q.YearFrom))
				v.Set("year_to", strconv.Itoa(q.YearTo))
			}
			if sub == "export" {
				path := "/api/profiles/export.jsonl?"
				if *csvOut {
					// lang= would filter on the languages spoken.
					v.Set("headers", *lang)
					path = "/api/profiles/export.csv?"
				}
				return c.streamRunning(base, path+v.Encode(), cfg.DataDir, c.stdout)
			}
			v.Set("limit", strconv.Itoa(q.Limit))
			var res struct {
				Profiles []profiles.Profile `json:"profiles"`
			}
			if err := c.callRunning(base, http.MethodGet, "/api/profiles?"+v.Encode(), cfg.DataDir, nil, &res); err != nil {
				return err
			}
			return writeProfiles(c.stdout, res.Profiles, *csvOut, *lang)
		}
		if len(q.Skills) > 0 {
			q.SkillGroups = profiles.ExpandSkills(q.Skills, *exact, *anySkill)
			q.Skills = nil
		}
		a, err := app.Start(c.ctx, tools(*cfg))
		if err != nil {
			return err
		}
		defer a.Close()
		if a.Store() == nil {
			return fmt.Errorf("profiles %s: no search index in this process", sub)
		}
		if sub == "export" {
			each := func(ctx context.Context, fn func(profiles.Profile) error) error {
				return profiles.EachResult(ctx, a.Store(), q, fn)
			}
			if *csvOut {
				_, err = profiles.ExportCSVFor(c.ctx, c.stdout, each, *lang)
			} else {
				_, err = profiles.Export(c.ctx, c.stdout, each)
			}
			return err
		}
		res, err := a.Store().Search(c.ctx, q)
		if err != nil {
			return err
		}
		return writeProfiles(c.stdout, res.Profiles, *csvOut, *lang)
	}
	return usageError{fmt.Sprintf("profiles: unknown subcommand %q (import, export, search, erase, reindex)", sub)}
}

// writeProfiles prints profiles as JSON lines or CSV.
func writeProfiles(w io.Writer, ps []profiles.Profile, csvOut bool, lang string) error {
	if csvOut {
		_, err := profiles.ExportCSVFor(context.Background(), w, profiles.EachOf(ps...), lang)
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, p := range ps {
		if err := enc.Encode(p); err != nil {
			return err
		}
	}
	return nil
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

// adminFlags is the flag set of a command that works through the running
// instance answering on --http when there is one, else on the data dir or
// the production services itself.
func (c *cli) adminFlags(name string) (*flag.FlagSet, *app.Config, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	cfg := &app.Config{}
	commonFlags(fs, cfg)
	httpAddr := fs.String("http", envOr("PASSERELLE_HTTP", "127.0.0.1:8080"), "address of a running instance to go through (env PASSERELLE_HTTP)")
	fs.StringVar(&c.token, "token", os.Getenv("PASSERELLE_TOKEN"), "a placement officer's token, used with the running instance instead of the data dir's admin token (env PASSERELLE_TOKEN)")
	return fs, cfg, httpAddr
}

// errTokenNeedsServer: with --token the command goes through a running
// Passerelle, which applies the officer's scope; it never reads the
// stores around it.
var errTokenNeedsServer = usageError{"--token works through a running Passerelle only (none answers on --http): start it, or leave --token out to use the data dir itself"}

// bearer is the token of calls to the running instance: --token, else
// the data dir's admin token.
func (c *cli) bearer(dataDir string) (string, error) {
	if c.token != "" {
		return c.token, nil
	}
	return app.AdminToken(dataDir)
}

// dead lists the dead letters (messages a component gave up on), or
// replays some: "dead replay 3 7" or "dead replay all".
func (c *cli) dead(args []string) error {
	fs, cfg, httpAddr := c.adminFlags("dead")
	max := fs.Int("max", 1000, "most dead letters listed or replayed")
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
	var replay []string
	switch {
	case len(words) == 0:
	case words[0] == "replay" && len(words) > 1:
		replay = words[1:]
	case words[0] == "replay":
		return usageError{"dead replay: give dead letter numbers (SEQ…) or all"}
	default:
		return usageError{fmt.Sprintf("dead: unknown subcommand %q (replay)", words[0])}
	}
	if *max < 1 || *max > 1000 {
		return usageError{"dead: --max must be from 1 to 1000"}
	}
	cfg.Logger = c.log

	// Through the running instance that holds the embedded server, else
	// directly on the bus.
	var list func() ([]bus.Dead, error)
	var replayOne func(seq uint64) (string, error)
	if base := running(c.ctx, *httpAddr); base != "" && cfg.NATSURL == "" {
		list = func() ([]bus.Dead, error) {
			var d []bus.Dead
			err := c.callRunning(base, http.MethodGet, "/api/dead?max="+strconv.Itoa(*max), cfg.DataDir, nil, &d)
			return d, err
		}
		replayOne = func(seq uint64) (string, error) {
			var out struct {
				Subject string `json:"subject"`
			}
			err := c.callRunning(base, http.MethodPost, "/api/dead/"+strconv.FormatUint(seq, 10)+"/replay", cfg.DataDir, nil, &out)
			return out.Subject, err
		}
	} else if c.token != "" {
		return errTokenNeedsServer
	} else {
		a, err := app.Start(c.ctx, tools(*cfg))
		if err != nil {
			return err
		}
		defer a.Close()
		list = func() ([]bus.Dead, error) { return a.DeadLetters(c.ctx, *max) }
		replayOne = func(seq uint64) (string, error) { return a.ReplayDead(c.ctx, seq) }
	}

	if len(replay) == 0 {
		dead, err := list()
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(c.stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SEQ\tTIME\tCONSUMER\tSUBJECT\tBYTES\tREASON\tDATA")
		for _, d := range dead {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\t%s\n", d.Seq, d.Time.Local().Format("2006-01-02 15:04"), d.Consumer, d.Subject, d.Size, oneLine(d.Reason, 80), oneLine(d.Data, 60))
		}
		return tw.Flush()
	}
	var seqs []uint64
	if slices.Contains(replay, "all") {
		dead, err := list()
		if err != nil {
			return err
		}
		for _, d := range dead {
			seqs = append(seqs, d.Seq)
		}
	} else {
		for _, a := range replay {
			n, err := strconv.ParseUint(a, 10, 64)
			if err != nil || n == 0 {
				return usageError{fmt.Sprintf("dead replay: %q is not a dead letter number", a)}
			}
			seqs = append(seqs, n)
		}
	}
	var errs []error
	for _, seq := range seqs {
		subject, err := replayOne(seq)
		if err != nil {
			errs = append(errs, fmt.Errorf("dead letter %d: %w", seq, err))
			continue
		}
		fmt.Fprintf(c.stdout, "%d\t→ %s\n", seq, subject)
	}
	return errors.Join(errs...)
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n]) + "…"
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
