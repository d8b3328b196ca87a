package eval

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/passerelle/passerelle/jobs"
)

// TestFixturePay compares the pay the normalizer reads in the real
// fixture offers with the pay the team read in them (testdata/eval/
// fixture_pay.tsv). An offer whose ad states pay is right when currency,
// period and both bounds agree (to the unit; an open bound is zero). An
// offer whose ad states none counts as false pay when pay is read in it:
// that figure is reported apart, as a wrong amount shown to a graduate is
// worse than none.
func TestFixturePay(t *testing.T) {
	byID := fixtureOffersByID(t)
	readings, err := readPay(filepath.Join("..", "testdata", "eval", "fixture_pay.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var right, stated, falsePay, none, unknown int
	var misses []string
	for _, r := range readings {
		o, ok := byID[r.id]
		if !ok {
			unknown++
			continue
		}
		got := o.Salary
		if r.pay == nil {
			none++
			if got != nil {
				falsePay++
				misses = append(misses, fmt.Sprintf("false pay %s: got %s", r.id, showPay(got)))
			}
			continue
		}
		stated++
		if samePay(got, r.pay) {
			right++
		} else {
			misses = append(misses, fmt.Sprintf("pay %s: got %s, read %s", r.id, showPay(got), showPay(r.pay)))
		}
	}
	if unknown > 0 {
		t.Errorf("%d readings name offers the fixtures no longer hold", unknown)
	}
	if stated == 0 || none == 0 {
		t.Fatalf("readings hold %d offers with pay and %d without: the file is not read", stated, none)
	}
	t.Logf("pay stated   %3d/%-3d %5.1f%% read right", right, stated, 100*float64(right)/float64(stated))
	t.Logf("no pay       %3d/%-3d %5.1f%% false pay", falsePay, none, 100*float64(falsePay)/float64(none))
	if testing.Verbose() {
		for _, m := range misses {
			t.Log("miss: " + m)
		}
	}
}

type payReading struct {
	id  string
	pay *jobs.Salary // nil: the ad states no pay
}

// readPay reads fixture_pay.tsv: offer_id, then min, max, currency,
// period, or "none".
func readPay(path string) ([]payReading, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eval: open %s: %w", path, err)
	}
	defer f.Close()
	var out []payReading
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) == 2 && c[1] == "none" {
			out = append(out, payReading{id: c[0]})
			continue
		}
		if len(c) != 5 {
			return nil, fmt.Errorf("eval: %s:%d: want 5 columns or \"none\", got %d", path, n, len(c))
		}
		s := &jobs.Salary{Currency: c[3], Period: c[4]}
		for i, p := range []*float64{&s.Min, &s.Max} {
			if c[1+i] == "" {
				continue
			}
			v, err := strconv.ParseFloat(c[1+i], 64)
			if err != nil {
				return nil, fmt.Errorf("eval: %s:%d: amount %q: %w", path, n, c[1+i], err)
			}
			*p = v
		}
		out = append(out, payReading{id: c[0], pay: s})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("eval: read %s: %w", path, err)
	}
	return out, nil
}

// samePay reports whether got agrees with the reading: currency, period,
// and both bounds to the unit.
func samePay(got, want *jobs.Salary) bool {
	if got == nil {
		return false
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1 }
	return got.Currency == want.Currency && got.Period == want.Period && near(got.Min, want.Min) && near(got.Max, want.Max)
}

func showPay(s *jobs.Salary) string {
	if s == nil {
		return "none"
	}
	return fmt.Sprintf("%g-%g %s/%s", s.Min, s.Max, s.Currency, s.Period)
}

// TestSamePay checks the grading itself.
func TestSamePay(t *testing.T) {
	want := &jobs.Salary{Min: 33.65, Max: 38.70, Currency: "USD", Period: "hour"}
	for _, c := range []struct {
		got  *jobs.Salary
		same bool
	}{
		{&jobs.Salary{Min: 33.65, Max: 38.7, Currency: "USD", Period: "hour"}, true},
		{&jobs.Salary{Min: 34, Max: 39, Currency: "USD", Period: "hour"}, true},
		{&jobs.Salary{Min: 70000, Max: 80000, Currency: "USD", Period: "year"}, false},
		{&jobs.Salary{Min: 33.65, Max: 38.7, Currency: "CAD", Period: "hour"}, false},
		{&jobs.Salary{Min: 33.65, Currency: "USD", Period: "hour"}, false},
		{nil, false},
	} {
		if samePay(c.got, want) != c.same {
			t.Errorf("samePay(%s, %s) = %v", showPay(c.got), showPay(want), !c.same)
		}
	}
}
