// Package insights computes what Passerelle tells graduates and placement
// officers about the market: for a graduate, the skills whose learning
// would open the most offers that otherwise fit them (the skill gap).
package insights

import (
	"cmp"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/profiles"
	"github.com/passerelle/passerelle/skills"
)

// Gap is one skill a graduate lacks and what learning it would open.
type Gap struct {
	Skill string `json:"skill"` // taxonomy id
	// Opens is how many offers would match the graduate with the skill
	// that do not without it.
	Opens int `json:"opens"`
	// Percent is Opens against the offers that match today (Opens×100
	// when none does).
	Percent int `json:"percent"`
	// Offers are the ids of the offers it would open (at most MaxOffers).
	Offers []string `json:"offers"`
}

// Result is one graduate's skill gap.
type Result struct {
	ProfileID string `json:"profile_id"`
	Fit       int    `json:"fit"` // offers that match today
	Gaps      []Gap  `json:"gaps"`
}

// Config tunes the computation; zero values take the defaults.
type Config struct {
	// Candidates is how many skills are tried per graduate: the ones most
	// demanded by the offers that the graduate lacks. Default 12.
	Candidates int
	// Top is how many gaps are kept per graduate. Default 3.
	Top int
	// Batch is how many graduates are indexed at once (with their
	// variants): memory is bounded by Batch×(Candidates+1) profiles.
	// Default 5000.
	Batch int
	// MaxOffers bounds Gap.Offers. Default 20.
	MaxOffers int
	// Workers is how many batches are computed at once, each with its
	// own index (memory: Workers×Batch×(Candidates+1) profiles). Default
	// GOMAXPROCS: the weekly computation for everyone uses every core.
	Workers int
	// Match are the matcher's options (MinScore: what "fits" means).
	Match matcher.Options
	// Taxonomy maps profile labels to skill ids; default skills.Default().
	Taxonomy *skills.Taxonomy
}

func (c Config) withDefaults() Config {
	if c.Candidates <= 0 {
		c.Candidates = 12
	}
	if c.Top <= 0 {
		c.Top = 3
	}
	if c.Batch <= 0 {
		c.Batch = 5000
	}
	if c.MaxOffers <= 0 {
		c.MaxOffers = 20
	}
	if c.Workers <= 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	if c.Taxonomy == nil {
		c.Taxonomy = skills.Default()
	}
	return c
}

// sep joins a profile id and a candidate skill in a variant's id; it
// cannot occur in either.
const sep = "\x1f"

// Demand counts, for each skill id, the offers asking for it, most
// demanded first.
func Demand(offers []jobs.Offer) []string {
	n := map[string]int{}
	for _, o := range offers {
		seen := map[string]bool{}
		for _, s := range o.Skills {
			if s != "" && !seen[s] {
				seen[s] = true
				n[s]++
			}
		}
	}
	out := make([]string, 0, len(n))
	for s := range n {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b string) int {
		if c := cmp.Compare(n[b], n[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return out
}

// SkillGaps computes the skill gap of every graduate in ps against offers
// (normally the last 30 days'), calling emit once per graduate, batch by
// batch (Workers batches at once; emit is never called concurrently, and
// the order of graduates is that of their batch). A graduate's gap counts only offers that pass all their gates
// (place, workplace, eligibility, languages, seniority): adding a skill
// never makes an offer they cannot take count. Graduates are matched with
// and without each candidate skill through one matcher index per batch,
// so the cost is that of matching every offer against Batch×(Candidates+1)
// profiles, batch after batch.
func SkillGaps(ps []profiles.Profile, offers []jobs.Offer, cfg Config, emit func(Result)) {
	cfg = cfg.withDefaults()
	demand := Demand(offers)
	if cfg.Workers == 1 || len(ps) <= cfg.Batch {
		for start := 0; start < len(ps); start += cfg.Batch {
			end := min(start+cfg.Batch, len(ps))
			gapsBatch(ps[start:end], offers, demand, cfg, emit)
		}
		return
	}
	var mu sync.Mutex
	one := func(r Result) {
		mu.Lock()
		defer mu.Unlock()
		emit(r)
	}
	slots := make(chan struct{}, cfg.Workers)
	var wg sync.WaitGroup
	for start := 0; start < len(ps); start += cfg.Batch {
		batch := ps[start:min(start+cfg.Batch, len(ps))]
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			gapsBatch(batch, offers, demand, cfg, one)
		}()
	}
	wg.Wait()
}

func gapsBatch(ps []profiles.Profile, offers []jobs.Offer, demand []string, cfg Config, emit func(Result)) {
	ix := matcher.NewIndex(cfg.Match)
	// who maps every indexed id to its graduate (its position in ps) and
	// candidate (0 for the graduate as they are, c+1 for candidate c).
	type slot struct{ g, c int32 }
	who := make(map[string]slot, len(ps)*(cfg.Candidates+1))
	cands := make([][]string, len(ps))
	in := make([]bool, len(ps))
	for i, p := range ps {
		if p.ID == "" || strings.Contains(p.ID, sep) {
			continue
		}
		if _, dup := who[p.ID]; dup {
			continue
		}
		in[i] = true
		ix.Upsert(p)
		who[p.ID] = slot{int32(i), 0}
		ids, _ := cfg.Taxonomy.MapLabels(p.Skills)
		has := make(map[string]bool, len(ids))
		for _, id := range ids {
			has[id] = true
		}
		for _, s := range demand {
			if len(cands[i]) == cfg.Candidates {
				break
			}
			if !has[s] {
				cands[i] = append(cands[i], s)
			}
		}
		for c, s := range cands[i] {
			v := p
			v.ID = p.ID + sep + s
			v.Skills = append(slices.Clip(p.Skills), s)
			ix.Upsert(v)
			who[v.ID] = slot{int32(i), int32(c + 1)}
		}
	}
	C := cfg.Candidates + 1
	fit := make([]int, len(ps))
	opens := make([]int, len(ps)*C)
	ids := make([][]string, len(ps)*C)
	// Per offer: which graduates fit as they are (epoch-stamped), and the
	// variants that matched.
	fitAt := make([]int32, len(ps))
	var hits []slot
	for oi, o := range offers {
		stamp := int32(oi + 1)
		hits = hits[:0]
		ix.MatchScores(o, func(m matcher.Scored) bool {
			sl, ok := who[m.ProfileID]
			if !ok {
				return true
			}
			if sl.c == 0 {
				fitAt[sl.g] = stamp
				fit[sl.g]++
			} else {
				hits = append(hits, sl)
			}
			return true
		})
		for _, sl := range hits {
			if fitAt[sl.g] == stamp {
				continue // fits already: the skill opens nothing here
			}
			k := int(sl.g)*C + int(sl.c)
			opens[k]++
			if len(ids[k]) < cfg.MaxOffers {
				ids[k] = append(ids[k], o.ID)
			}
		}
	}
	for i, p := range ps {
		if !in[i] {
			continue
		}
		r := Result{ProfileID: p.ID, Fit: fit[i]}
		for c, skill := range cands[i] {
			k := i*C + c + 1
			if opens[k] == 0 {
				continue
			}
			g := Gap{Skill: skill, Opens: opens[k], Offers: ids[k]}
			if r.Fit > 0 {
				g.Percent = opens[k] * 100 / r.Fit
			} else {
				g.Percent = opens[k] * 100
			}
			r.Gaps = append(r.Gaps, g)
		}
		slices.SortFunc(r.Gaps, func(a, b Gap) int {
			if c := cmp.Compare(b.Opens, a.Opens); c != 0 {
				return c
			}
			return strings.Compare(a.Skill, b.Skill)
		})
		if len(r.Gaps) > cfg.Top {
			r.Gaps = r.Gaps[:cfg.Top]
		}
		emit(r)
	}
}
