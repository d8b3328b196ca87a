package jobs

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
)

// The signal set (jobs/testdata/signals, written by the Passerelle team):
// short ads testing one or two signals each, in development files
// (dev*.jsonl) and a held-out file (heldout.jsonl). See its README.md for
// the rubric. ScoreSignalSet measures the normalizer on it; the jobs
// tests assert floors and the evaluation command prints it.

// signalNow is the clock of the signal set.
var signalNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// SignalReport is the per-field accuracy of the normalizer on the signal
// set's development and held-out halves.
type SignalReport struct {
	Dev, HeldOut signalScore
}

// ScoreSignalSet reads the signal set in dir and scores both halves.
func ScoreSignalSet(dir string) (*SignalReport, error) {
	dev, err := loadSignalFiles(filepath.Join(dir, "dev*.jsonl"))
	if err != nil {
		return nil, err
	}
	held, err := loadSignalFiles(filepath.Join(dir, "heldout*.jsonl"))
	if err != nil {
		return nil, err
	}
	r := &SignalReport{}
	if r.Dev, err = scoreSignals(dev); err != nil {
		return nil, err
	}
	if r.HeldOut, err = scoreSignals(held); err != nil {
		return nil, err
	}
	return r, nil
}

// loadSignalFiles reads every file matching pattern, in name order.
func loadSignalFiles(pattern string) ([]signalAd, error) {
	paths, _ := filepath.Glob(pattern)
	if len(paths) == 0 {
		return nil, fmt.Errorf("jobs: no signal file matches %s", pattern)
	}
	sort.Strings(paths)
	var out []signalAd
	for _, p := range paths {
		ads, err := loadSignals(p)
		if err != nil {
			return nil, err
		}
		out = append(out, ads...)
	}
	return out, nil
}

// ScoreSignalFile scores the ads of one file of the signal set (a part
// measured on its own, such as a held-out file written later).
func ScoreSignalFile(path string) (*SignalReport, error) {
	ads, err := loadSignals(path)
	if err != nil {
		return nil, err
	}
	r := &SignalReport{}
	if r.HeldOut, err = scoreSignals(ads); err != nil {
		return nil, err
	}
	r.Dev = signalScore{right: map[string]int{}, total: map[string]int{}}
	return r, nil
}

// Fields lists the fields graded, sorted.
func (r *SignalReport) Fields() []string {
	var fields []string
	for f := range r.Dev.total {
		fields = append(fields, f)
	}
	for f := range r.HeldOut.total {
		if !slices.Contains(fields, f) {
			fields = append(fields, f)
		}
	}
	sort.Strings(fields)
	return fields
}

// Accuracy returns the accuracy of a field on the held-out half (heldOut)
// or the development half.
func (r *SignalReport) Accuracy(field string, heldOut bool) float64 {
	if heldOut {
		return r.HeldOut.accuracy(field)
	}
	return r.Dev.accuracy(field)
}

// FalseEligible counts ads admitting a graduate in Morocco that should not.
func (r *SignalReport) FalseEligible() int { return r.Dev.falseEligible + r.HeldOut.falseEligible }

// Misses lists the wrong readings of each half.
func (r *SignalReport) Misses() (dev, heldOut []string) { return r.Dev.misses, r.HeldOut.misses }

// Write prints the per-field table.
func (r *SignalReport) Write(w io.Writer) {
	fmt.Fprintf(w, "%-12s %14s %14s\n", "field", "dev", "held-out")
	for _, f := range r.Fields() {
		d, h := r.Dev, r.HeldOut
		fmt.Fprintf(w, "%-12s %5.1f%% %3d/%-3d %5.1f%% %3d/%-3d\n", f,
			100*d.accuracy(f), d.right[f], d.total[f], 100*h.accuracy(f), h.right[f], h.total[f])
	}
	fmt.Fprintf(w, "false eligible (Morocco admitted when it should not be): dev %d, held-out %d\n", r.Dev.falseEligible, r.HeldOut.falseEligible)
}

type signalAd struct {
	ID            string   `json:"id"`
	Class         string   `json:"class"`
	Lang          string   `json:"lang"`
	Title         string   `json:"title"`
	Company       string   `json:"company"`
	Description   string   `json:"description"`
	Remote        *bool    `json:"remote"`
	LocationTexts []string `json:"location_texts"`
	// EligibilityTexts are a feed's applicant-location fields (We Work
	// Remotely's <region>, Remotive's candidate_required_location).
	EligibilityTexts []string        `json:"eligibility_texts"`
	Expect           json.RawMessage `json:"expect"`
	Comment          string          `json:"_comment"`
}

type signalExpect struct {
	Salary      *Salary   `json:"salary"`
	Seniority   string    `json:"seniority"`
	Employment  []string  `json:"employment"`
	Workplace   Workplace `json:"workplace"`
	Languages   []string  `json:"languages"`
	Location    string    `json:"location"`
	Company     *string   `json:"company"`
	Title       *string   `json:"title"`
	Eligibility *struct {
		MA        *bool     `json:"ma"`
		Worldwide *bool     `json:"worldwide"`
		Countries []string  `json:"countries"`
		Excluded  []string  `json:"excluded"`
		UTC       []float64 `json:"utc"`
	} `json:"eligibility"`
	has map[string]bool // fields present in the JSON
}

func (a signalAd) posting() Posting {
	return Posting{Source: "signals", SourceID: a.ID, URL: "https://jobs.example.org/signals/" + a.ID,
		Title: a.Title, Company: a.Company, Description: a.Description, Remote: a.Remote,
		LocationTexts: a.LocationTexts, EligibilityTexts: a.EligibilityTexts}
}

func loadSignals(path string) ([]signalAd, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []signalAd
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var a signalAd
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if a.ID == "" {
			continue // the comment line
		}
		out = append(out, a)
	}
	return out, sc.Err()
}

func (a signalAd) expect() (signalExpect, error) {
	var e signalExpect
	if err := json.Unmarshal(a.Expect, &e); err != nil {
		return e, fmt.Errorf("%s: %w", a.ID, err)
	}
	var m map[string]json.RawMessage
	_ = json.Unmarshal(a.Expect, &m)
	e.has = map[string]bool{}
	for k := range m {
		e.has[k] = true
	}
	return e, nil
}

// signalScore is the per-field tally of one half.
type signalScore struct {
	ads           int
	right, total  map[string]int
	falseEligible int
	misses        []string
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func contains(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

func near(a, b float64) bool { return math.Abs(a-b) <= 0.005*math.Max(1, math.Abs(b)) }

func scoreSignals(ads []signalAd) (signalScore, error) {
	s := signalScore{right: map[string]int{}, total: map[string]int{}}
	n := Normalizer{Now: func() time.Time { return signalNow }}
	s.ads = len(ads)
	for _, a := range ads {
		e, err := a.expect()
		if err != nil {
			return s, err
		}
		o, err := n.Normalize(a.posting())
		if err != nil {
			return s, fmt.Errorf("%s: %w", a.ID, err)
		}
		grade := func(field string, ok bool, got any) {
			s.total[field]++
			if ok {
				s.right[field]++
				return
			}
			s.misses = append(s.misses, fmt.Sprintf("%s %s: got %v", a.ID, field, got))
		}
		if e.has["salary"] {
			ok := false
			if e.Salary == nil {
				ok = o.Salary == nil
			} else if g := o.Salary; g != nil {
				ok = g.Currency == e.Salary.Currency && g.Period == e.Salary.Period && near(g.Min, e.Salary.Min) && near(g.Max, e.Salary.Max)
			}
			got := "none"
			if o.Salary != nil {
				got = fmt.Sprintf("%+v", *o.Salary)
			}
			grade("salary", ok, got)
		}
		if e.has["seniority"] {
			grade("seniority", o.Seniority == e.Seniority, o.Seniority)
		}
		if e.has["employment"] {
			grade("employment", sameSet(o.Employment, e.Employment), o.Employment)
		}
		if e.has["workplace"] {
			grade("workplace", o.Workplace == e.Workplace, o.Workplace)
		}
		if e.has["languages"] {
			grade("languages", sameSet(o.Languages, e.Languages), o.Languages)
		}
		if e.has["location"] {
			ok := false
			for _, l := range o.Locations {
				if LocationMatches(l, e.Location) {
					ok = true
				}
			}
			grade("location", ok, o.Locations)
		}
		if e.Company != nil || e.Title != nil {
			ok := (e.Company == nil || o.Company == *e.Company) && (e.Title == nil || o.Title == *e.Title)
			grade("feed title", ok, o.Company+" | "+o.Title)
		}
		if el := e.Eligibility; el != nil {
			g := o.Eligibility
			open := o.Workplace == Remote || o.Workplace == Hybrid
			admits := open && g.Admits("MA")
			ok := true
			if el.MA != nil {
				ok = ok && admits == *el.MA
				if admits && !*el.MA {
					s.falseEligible++
				}
			}
			if el.Worldwide != nil {
				ok = ok && g.Worldwide == *el.Worldwide
			}
			ok = ok && contains(g.Countries, el.Countries) && contains(g.ExcludedCountries, el.Excluded)
			if len(el.UTC) == 2 {
				ok = ok && g.UTCOffsetMin != nil && g.UTCOffsetMax != nil && *g.UTCOffsetMin == el.UTC[0] && *g.UTCOffsetMax == el.UTC[1]
			}
			got := fmt.Sprintf("ww=%v c=%v ex=%v r=%v admitsMA=%v", g.Worldwide, g.Countries, g.ExcludedCountries, g.Regions, admits)
			if g.UTCOffsetMin != nil && g.UTCOffsetMax != nil {
				got += fmt.Sprintf(" utc=%v..%v", *g.UTCOffsetMin, *g.UTCOffsetMax)
			}
			grade("eligibility", ok, got)
		}
	}
	return s, nil
}

func (s signalScore) accuracy(field string) float64 {
	if s.total[field] == 0 {
		return 1
	}
	return float64(s.right[field]) / float64(s.total[field])
}
