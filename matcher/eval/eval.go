// Package eval measures matching quality on a labelled development set:
// graduate profiles, raw job ads normalized through jobs.Normalizer and the
// skills taxonomy (so the whole pipeline is measured), and graded
// judgments. It reports nDCG@10, precision@5 and the number of ineligible
// offers returned in the top 10, for Passerelle and for a keyword (BM25)
// baseline in the same run.
package eval

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/profiles"
	"github.com/passerelle/passerelle/skills"
)

// Now is the evaluation clock: ads' dates (freshness, expiry) are read
// against it so results do not change with the day the test runs.
var Now = time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)

// Depth of the ranked lists.
const (
	TopN = 10
	TopP = 5
)

// Judgment is one graded pair.
type Judgment struct {
	Grade    int  // 0..3 (RUBRIC.md)
	Eligible bool // false: the graduate cannot take the offer
	Note     string
}

// Dataset is a loaded development set.
type Dataset struct {
	Profiles []profiles.Profile
	Offers   []jobs.Offer
	// Keys maps offer id to the ad key judgments use ("" for extra,
	// unjudged offers).
	Keys map[string]string
	// Judgments by profile id then ad key. Unjudged pairs count as grade 0
	// and eligible (so they never inflate the ineligible count).
	Judgments map[string]map[string]Judgment
}

// Ad is one raw ad of ads.jsonl: a jobs.Posting as a parser would fill it.
type Ad struct {
	Key              string   `json:"key"`
	Source           string   `json:"source"`
	URL              string   `json:"url"`
	Title            string   `json:"title"`
	Company          string   `json:"company"`
	Description      string   `json:"description"`
	LocationTexts    []string `json:"location_texts"`
	WorkplaceTexts   []string `json:"workplace_texts"`
	EligibilityTexts []string `json:"eligibility_texts"`
	TimezoneTexts    []string `json:"timezone_texts"`
	EmploymentTexts  []string `json:"employment_texts"`
	SeniorityTexts   []string `json:"seniority_texts"`
	Languages        []string `json:"languages"`
	PostedAt         string   `json:"posted_at"`
	ValidThrough     string   `json:"valid_through"`
	Comment          string   `json:"_comment"`
}

// Posting converts the ad to what a source parser would produce.
func (a Ad) Posting() jobs.Posting {
	return jobs.Posting{
		Source: a.Source, SourceID: a.Key, URL: a.URL, Title: a.Title, Company: a.Company,
		Description: a.Description, LocationTexts: a.LocationTexts, WorkplaceTexts: a.WorkplaceTexts,
		EligibilityTexts: a.EligibilityTexts, TimezoneTexts: a.TimezoneTexts,
		EmploymentTexts: a.EmploymentTexts, SeniorityTexts: a.SeniorityTexts, Languages: a.Languages,
		PostedAt: a.PostedAt, ValidThrough: a.ValidThrough,
		Terms: jobs.Terms{Attribution: "Passerelle evaluation set", EmailAllowed: true},
	}
}

// Load reads profiles.jsonl, ads.jsonl and judgments.tsv from dir and
// normalizes the ads with the default taxonomy.
func Load(dir string) (*Dataset, error) {
	ds := &Dataset{Keys: map[string]string{}, Judgments: map[string]map[string]Judgment{}}
	if err := readJSONL(filepath.Join(dir, "profiles.jsonl"), func(line []byte) error {
		var p profiles.Profile
		if isComment(line) {
			return nil
		}
		if err := json.Unmarshal(line, &p); err != nil {
			return err
		}
		p.Normalize()
		if err := p.Validate(); err != nil {
			return err
		}
		ds.Profiles = append(ds.Profiles, p)
		return nil
	}); err != nil {
		return nil, err
	}
	n := jobs.Normalizer{Skills: skills.Default(), Now: func() time.Time { return Now }}
	if err := readJSONL(filepath.Join(dir, "ads.jsonl"), func(line []byte) error {
		if isComment(line) {
			return nil
		}
		var a Ad
		if err := json.Unmarshal(line, &a); err != nil {
			return err
		}
		if a.Key == "" {
			return errors.New("ad without key")
		}
		o, err := n.Normalize(a.Posting())
		if err != nil {
			return fmt.Errorf("ad %s: %w", a.Key, err)
		}
		if k, dup := ds.Keys[o.ID]; dup {
			return fmt.Errorf("ads %s and %s normalize to the same id %s", k, a.Key, o.ID)
		}
		ds.Keys[o.ID] = a.Key
		ds.Offers = append(ds.Offers, o)
		return nil
	}); err != nil {
		return nil, err
	}
	if err := readJudgments(filepath.Join(dir, "judgments.tsv"), ds.Judgments); err != nil {
		return nil, err
	}
	return ds, nil
}

func isComment(line []byte) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(line, &m) != nil {
		return false
	}
	_, ok := m["_comment"]
	return ok && len(m) == 1
}

func readJSONL(path string, fn func([]byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("eval: open %s: %w", path, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 4<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		if len(strings.TrimSpace(string(line))) == 0 {
			continue
		}
		if err := fn(line); err != nil {
			return fmt.Errorf("eval: %s line %d: %w", filepath.Base(path), n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("eval: read %s: %w", path, err)
	}
	return nil
}

func readJudgments(path string, into map[string]map[string]Judgment) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("eval: open %s: %w", path, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "profile_id\t") {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) < 4 {
			return fmt.Errorf("eval: judgments line %d: want profile_id, offer_key, grade, eligible, note", n)
		}
		g, err := strconv.Atoi(c[2])
		if err != nil || g < 0 || g > 3 {
			return fmt.Errorf("eval: judgments line %d: grade %q is not 0..3", n, c[2])
		}
		if c[3] != "yes" && c[3] != "no" {
			return fmt.Errorf("eval: judgments line %d: eligible %q is not yes/no", n, c[3])
		}
		j := Judgment{Grade: g, Eligible: c[3] == "yes"}
		if len(c) > 4 {
			j.Note = c[4]
		}
		if !j.Eligible && j.Grade != 0 {
			return fmt.Errorf("eval: judgments line %d: an ineligible pair must be graded 0", n)
		}
		if into[c[0]] == nil {
			into[c[0]] = map[string]Judgment{}
		}
		into[c[0]][c[1]] = j
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("eval: read %s: %w", path, err)
	}
	return nil
}

// System is one ranking's scores.
type System struct {
	Name       string
	NDCG10     float64 // mean over profiles with at least one relevant offer
	P5         float64 // mean precision@5, grade >= 2 relevant
	Ineligible int     // ineligible offers returned in top-10 lists, summed
	// Unjudged counts returned offers without a judgment (extra offers).
	Unjudged   int
	PerProfile map[string]ProfileScore
}

// ProfileScore is one profile's figures and its ranked offer keys.
type ProfileScore struct {
	NDCG10     float64
	P5         float64
	Ineligible []string
	Ranked     []string
}

// Report is the outcome of one evaluation.
type Report struct {
	Profiles, Offers, Judged int
	Passerelle, Baseline     System
	// Matches are Passerelle's top-10 lists, for inspection.
	Matches map[string][]matcher.Match
	// Missing counts (profile, offer) pairs without a judgment; Stale lists
	// judged offer keys that are not in the pool (ids that changed).
	Missing int
	Stale   []string
	// WithFixtures is the same evaluation with the real shared fixtures
	// added to the pool (Run fills it); nil when they were not found, and
	// FixturesNote then says why.
	WithFixtures *Report
	FixturesNote string
	// Fixtures is what was read from the shared fixtures (WithFixtures only).
	Fixtures *Fixtures
	// HeldOut is the evaluation of the held-out ranking set (profiles, ads
	// and judgments in dir/heldout, never used to tune rules); nil when the
	// folder is absent. HeldOut2 is the second one (dir/heldout2, written
	// blind at stop 20), HeldOut3 the third (dir/heldout3, written blind
	// for issue #13).
	HeldOut, HeldOut2, HeldOut3 *Report
	// Signals is the normalizer's per-field accuracy on the signal set
	// (jobs/testdata/signals, found from dir or PASSERELLE_SIGNALS); nil
	// when it was not found.
	Signals *jobs.SignalReport
}

// SignalsDir finds the signal set: PASSERELLE_SIGNALS, or
// jobs/testdata/signals in the repository that holds dir
// (matcher/testdata/eval).
func SignalsDir(dir string) (string, bool) {
	if d := os.Getenv("PASSERELLE_SIGNALS"); d != "" {
		st, err := os.Stat(d)
		return d, err == nil && st.IsDir()
	}
	d := filepath.Join(dir, "..", "..", "..", "jobs", "testdata", "signals")
	st, err := os.Stat(d)
	return d, err == nil && st.IsDir()
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// Ranker returns, for each profile, offer indexes best first.
type Ranker func(ds *Dataset) [][]int

// PasserelleRanker ranks with matcher.Offline and the given options.
func PasserelleRanker(opts matcher.Options, keep map[string][]matcher.Match) Ranker {
	return func(ds *Dataset) [][]int {
		byID := map[string]int{}
		for i, o := range ds.Offers {
			byID[o.ID] = i
		}
		res := matcher.Offline(ds.Profiles, ds.Offers, TopN, opts)
		out := make([][]int, len(res))
		for i, ms := range res {
			for _, m := range ms {
				out[i] = append(out[i], byID[m.OfferID])
			}
			if keep != nil {
				keep[ds.Profiles[i].ID] = ms
			}
		}
		return out
	}
}

// BaselineRanker ranks with BM25 (no gates).
func BaselineRanker(ds *Dataset) [][]int {
	m := NewBM25(ds.Offers)
	out := make([][]int, len(ds.Profiles))
	for i, p := range ds.Profiles {
		out[i] = m.Rank(p, TopN)
	}
	return out
}

// Evaluate scores both systems on ds.
func Evaluate(ds *Dataset, opts matcher.Options) Report {
	if opts.Now == nil {
		opts.Now = func() time.Time { return Now }
	}
	r := Report{Profiles: len(ds.Profiles), Offers: len(ds.Offers), Matches: map[string][]matcher.Match{}}
	pool := map[string]bool{}
	for _, o := range ds.Offers {
		if k := ds.Keys[o.ID]; k != "" {
			pool[k] = true
		}
	}
	stale := map[string]bool{}
	for _, m := range ds.Judgments {
		r.Judged += len(m)
		for k := range m {
			if !pool[k] {
				stale[k] = true
			}
		}
	}
	for k := range stale {
		r.Stale = append(r.Stale, k)
	}
	sort.Strings(r.Stale)
	for _, p := range ds.Profiles {
		for k := range pool {
			if _, ok := ds.Judgments[p.ID][k]; !ok {
				r.Missing++
			}
		}
	}
	r.Passerelle = score(ds, "Passerelle", PasserelleRanker(opts, r.Matches)(ds))
	r.Baseline = score(ds, "BM25 baseline", BaselineRanker(ds))
	return r
}

func score(ds *Dataset, name string, ranked [][]int) System {
	s := System{Name: name, PerProfile: map[string]ProfileScore{}}
	n := 0
	for i, p := range ds.Profiles {
		js := ds.Judgments[p.ID]
		var ideal []int
		for _, j := range js {
			ideal = append(ideal, j.Grade)
		}
		sort.Sort(sort.Reverse(sort.IntSlice(ideal)))
		ps := ProfileScore{}
		dcg, idcg, rel := 0.0, 0.0, 0
		for k := 0; k < TopN && k < len(ideal); k++ {
			idcg += gain(ideal[k]) / math.Log2(float64(k+2))
		}
		for k, oi := range ranked[i] {
			if k >= TopN {
				break
			}
			key := ds.Keys[ds.Offers[oi].ID]
			ps.Ranked = append(ps.Ranked, key)
			j, judged := js[key]
			if !judged {
				s.Unjudged++
				continue
			}
			dcg += gain(j.Grade) / math.Log2(float64(k+2))
			if k < TopP && j.Grade >= 2 {
				rel++
			}
			if !j.Eligible {
				ps.Ineligible = append(ps.Ineligible, key)
			}
		}
		ps.P5 = float64(rel) / TopP
		s.Ineligible += len(ps.Ineligible)
		if idcg > 0 {
			ps.NDCG10 = dcg / idcg
			s.NDCG10 += ps.NDCG10
			s.P5 += ps.P5
			n++
		}
		s.PerProfile[p.ID] = ps
	}
	if n > 0 {
		s.NDCG10 /= float64(n)
		s.P5 /= float64(n)
	}
	return s
}

func gain(g int) float64 { return math.Exp2(float64(g)) - 1 }

// Print writes the comparison table and the per-profile figures, then the
// evaluation with real fixtures when there is one.
func (r Report) Print(w io.Writer) {
	r.print(w)
	fmt.Fprintln(w)
	if r.WithFixtures == nil {
		if r.FixturesNote != "" {
			fmt.Fprintf(w, "== with real fixtures: skipped: %s\n", r.FixturesNote)
		}
		return
	}
	f := r.WithFixtures
	fmt.Fprintf(w, "== with real fixtures: %d offers read from shared/fixtures added to the pool\n", f.Offers-r.Offers)
	if f.Fixtures != nil {
		fmt.Fprintf(w, "   (%d files, %d duplicates dropped by fingerprint; files not read:", len(f.Fixtures.Files), f.Fixtures.Duplicates)
		for _, ff := range f.Fixtures.Files {
			if ff.Offers == 0 {
				fmt.Fprintf(w, " %s [%s]", ff.Path, ff.Note)
			}
		}
		fmt.Fprintln(w, ")")
	}
	f.print(w)
}

func (r Report) print(w io.Writer) {
	fmt.Fprintf(w, "profiles %d, offers %d, judged pairs %d (unjudged pairs count as grade 0)\n", r.Profiles, r.Offers, r.Judged)
	if r.Missing > 0 || len(r.Stale) > 0 {
		fmt.Fprintf(w, "WARNING: %d pairs without judgment, %d judged offers not in the pool %v\n", r.Missing, len(r.Stale), r.Stale)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "system\tnDCG@10\tP@5\tineligible in top 10\tunjudged in top 10")
	for _, s := range []System{r.Passerelle, r.Baseline} {
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%d\t%d\n", s.Name, s.NDCG10, s.P5, s.Ineligible, s.Unjudged)
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 4, 1, ' ', 0)
	fmt.Fprintln(tw, "profile\tnDCG P\tnDCG BM25\tPasserelle top 10")
	ids := make([]string, 0, len(r.Passerelle.PerProfile))
	for id := range r.Passerelle.PerProfile {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		p, b := r.Passerelle.PerProfile[id], r.Baseline.PerProfile[id]
		fmt.Fprintf(tw, "%s\t%.2f\t%.2f\t%s\n", id, p.NDCG10, b.NDCG10, strings.Join(p.Ranked, " "))
	}
	tw.Flush()
}

// Run loads the development set in dir, evaluates it with default options,
// then again with the real shared fixtures added to the pool when they are
// found (FixturesDir), and writes the report to w (nil for none).
func Run(dir string, w io.Writer) (Report, error) {
	ds, err := Load(dir)
	if err != nil {
		return Report{}, err
	}
	r := Evaluate(ds, matcher.Options{})
	if fdir, ok := FixturesDir(); !ok {
		r.FixturesNote = "shared/fixtures not found beside the repository (set PASSERELLE_FIXTURES to its path)"
		if fdir != "" {
			r.FixturesNote = "PASSERELLE_FIXTURES=" + fdir + " is not a folder"
		}
	} else {
		fds, fx, err := WithFixtures(ds, dir, fdir)
		if err != nil {
			return r, err
		}
		fr := Evaluate(fds, matcher.Options{})
		fr.Fixtures = fx
		r.WithFixtures = &fr
	}
	for _, h := range []struct {
		name string
		into **Report
	}{{"heldout", &r.HeldOut}, {"heldout2", &r.HeldOut2}, {"heldout3", &r.HeldOut3}} {
		hdir := filepath.Join(dir, h.name)
		if !isDir(hdir) {
			continue
		}
		hds, err := Load(hdir)
		if err != nil {
			return r, fmt.Errorf("eval: held-out set %s: %w", h.name, err)
		}
		hr := Evaluate(hds, matcher.Options{})
		*h.into = &hr
	}
	if sdir, ok := SignalsDir(dir); ok {
		sr, err := jobs.ScoreSignalSet(sdir)
		if err != nil {
			return r, err
		}
		r.Signals = sr
	}
	if w != nil {
		r.Print(w)
		for _, h := range []struct {
			name, what string
			r          *Report
		}{
			{"heldout", "written for it by a helper; the matcher was never tuned on it, the readers were fixed after its first run", r.HeldOut},
			{"heldout2", "written blind by the lead at stop 20; first run: nDCG@10 0.841, P@5 0.560, 0 ineligible", r.HeldOut2},
			{"heldout3", "written blind for issue #13; first run: nDCG@10 0.862, P@5 0.720, 1 ineligible", r.HeldOut3},
		} {
			if h.r != nil {
				fmt.Fprintf(w, "\n== held-out ranking set %s/%s (%d profiles, %d ads %s)\n", filepath.Base(dir), h.name, h.r.Profiles, h.r.Offers, h.what)
				h.r.print(w)
			}
		}
		if r.Signals != nil {
			fmt.Fprintf(w, "\n== signal set (%s): field accuracy of the normalizer\n", "jobs/testdata/signals")
			r.Signals.Write(w)
		}
	}
	return r, nil
}
