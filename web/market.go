package web

import (
	"context"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"

	"github.com/passerelle/passerelle/insights"
	"github.com/passerelle/passerelle/profiles"
)

// MarketService computes the market dashboard of a cohort (empty: every
// graduate), within scope when it is not empty (an officer scoped to
// their school's cohorts).
type MarketService interface {
	Market(ctx context.Context, cohort string, scope []string, days int) (insights.Market, error)
}

// marketView is the dashboard page: charts drawn as server-side SVG.
type marketView struct {
	Cohort, CSV       string
	Days              int
	M                 insights.Market
	Skills            []barPair
	Gaps              []barPair
	Weeks             []weekBar
	ChartH, WeeksW    int
	Employers, Places []insights.NameCount
}

// barPair is one skill's two bars: share of open offers asking for it,
// share of the cohort holding it (widths in % of the chart).
type barPair struct {
	Label               string
	Offers, Cohort      int // percentages
	OfferCount, Holders int
	Y                   int
	OW, CW              int // bar widths in the 240-unit bar area
}

type weekBar struct {
	Label   string
	Count   int
	X, Y, H int
}

func (s *Server) marketParams(r *http.Request) (string, int) {
	cohort := strings.TrimSpace(r.URL.Query().Get("cohort"))
	if len(cohort) > 200 {
		cohort = cohort[:200]
	}
	days := 30
	if r.URL.Query().Get("days") == "90" {
		days = 90
	}
	return cohort, days
}

func (s *Server) marketPage(w http.ResponseWriter, r *http.Request) {
	l := locale(r)
	u, binding, ok := s.authWho(r, roleOfficer)
	if !ok {
		http.Redirect(w, r, "/officers/login?lang="+l, http.StatusSeeOther)
		return
	}
	name := u.name
	cohort, days, m, ok := s.market(w, r, u)
	if !ok {
		return
	}
	label := func(id string) string {
		if sm := s.deps.SkillMapper; sm != nil {
			if x := sm.Label(id, l); x != "" {
				return x
			}
		}
		return id
	}
	mv := &marketView{Cohort: cohort, Days: days, M: m, Employers: m.Employers, Places: m.Places}
	for i, d := range m.Skills {
		mv.Skills = append(mv.Skills, barPair{Label: label(d.Skill), Offers: d.OfferShare, Cohort: d.CohortShare, OfferCount: d.Offers, Holders: d.Holders, Y: i * 34,
			OW: d.OfferShare * 200 / 100, CW: d.CohortShare * 200 / 100})
	}
	for i, d := range m.Gaps {
		mv.Gaps = append(mv.Gaps, barPair{Label: label(d.Skill), Offers: d.OfferShare, Cohort: d.CohortShare, OfferCount: d.Offers, Holders: d.Holders, Y: i * 34})
	}
	mv.ChartH = max(len(mv.Skills), len(mv.Gaps))*34 + 4
	peak := 1
	for _, wk := range m.Weeks {
		peak = max(peak, wk.Count)
	}
	for i, wk := range m.Weeks {
		h := wk.Count * 100 / peak
		mv.Weeks = append(mv.Weeks, weekBar{Label: wk.Start.Format("02/01"), Count: wk.Count, X: i * 40, Y: 110 - h, H: h})
	}
	mv.WeeksW = len(mv.Weeks)*40 + 4
	v := r.URL.Query()
	v.Del("lang")
	mv.CSV = "/officers/market.csv?" + v.Encode()
	d := pageData{L: l, User: name, Scope: u.cohorts, Self: "/officers/market?" + v.Encode(), Market: mv}
	d.CSRF = s.csrfToken(s.csrfNonce(w, r), binding)
	s.render(w, http.StatusOK, "market.html", d)
}

// marketCSV is the dashboard as CSV (UTF-8 with BOM, ';'), for
// spreadsheets: one section per block.
func (s *Server) marketCSV(w http.ResponseWriter, r *http.Request) {
	u, _, ok := s.authWho(r, roleOfficer)
	if !ok {
		http.Redirect(w, r, "/officers/login?lang="+locale(r), http.StatusSeeOther)
		return
	}
	_, _, m, ok := s.market(w, r, u)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="marche.csv"`)
	_ = WriteMarketCSV(w, m)
}

// WriteMarketCSV writes a market as CSV for French Excel (BOM, ';').
func WriteMarketCSV(w interface{ Write([]byte) (int, error) }, m insights.Market) error {
	if _, err := w.Write([]byte("\uFEFF")); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	itoa := strconv.Itoa
	rows := [][]string{{"section", "name", "offers", "offer_share_pct", "holders", "cohort_share_pct"},
		{"summary", "graduates", itoa(m.Graduates), "", "", ""},
		{"summary", "offers", itoa(m.Offers), "", "", ""},
		{"summary", "open_to_cohort", itoa(m.OpenTo), "", "", ""}}
	for _, d := range m.Skills {
		rows = append(rows, []string{"skill", d.Skill, itoa(d.Offers), itoa(d.OfferShare), itoa(d.Holders), itoa(d.CohortShare)})
	}
	for _, d := range m.Gaps {
		rows = append(rows, []string{"gap", d.Skill, itoa(d.Offers), itoa(d.OfferShare), itoa(d.Holders), itoa(d.CohortShare)})
	}
	for _, wk := range m.Weeks {
		rows = append(rows, []string{"week", wk.Start.Format("2006-01-02"), itoa(wk.Count), "", "", ""})
	}
	for _, e := range m.Employers {
		rows = append(rows, []string{"employer", profiles.CSVCell(e.Name), itoa(e.Count), "", "", ""})
	}
	for _, p := range m.Places {
		rows = append(rows, []string{"place", profiles.CSVCell(p.Name), itoa(p.Count), "", "", ""})
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

// marketAPI is the dashboard as JSON: GET /api/market?cohort=&days= (officer
// bearer token).
func (s *Server) marketAPI(w http.ResponseWriter, r *http.Request) {
	u, ok := s.requireWho(w, r, roleOfficer, officerTokenRequired)
	if !ok {
		return
	}
	if s.deps.Market == nil {
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "the market dashboard is not available in this process"})
		return
	}
	cohort, days := s.marketParams(r)
	m, err := s.deps.Market.Market(r.Context(), cohort, u.scope(), days)
	if err != nil {
		s.cfg.Logger.Error("market api", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "market dashboard failed"})
		return
	}
	writeJSON(w, http.StatusOK, m)
}

// market computes the dashboard of the request's cohort and period for the
// officers' pages; it answers a failure itself.
func (s *Server) market(w http.ResponseWriter, r *http.Request, u who) (string, int, insights.Market, bool) {
	if s.deps.Market == nil {
		s.fail(w, r, http.StatusServiceUnavailable, "err_unavailable")
		return "", 0, insights.Market{}, false
	}
	cohort, days := s.marketParams(r)
	m, err := s.deps.Market.Market(r.Context(), cohort, u.scope(), days)
	if err != nil {
		s.cfg.Logger.Error("market dashboard", "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, "err_unavailable")
		return "", 0, insights.Market{}, false
	}
	return cohort, days, m, true
}
