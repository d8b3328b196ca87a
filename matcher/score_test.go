package matcher

import (
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/profiles"
)

func mlProfile(skills ...string) profiles.Profile {
	p := graduate()
	p.Headline = "Machine learning engineer"
	p.Skills = skills
	return p
}

func mlOffer(required, optional []string) jobs.Offer {
	o := remoteOffer()
	o.Title = "Machine Learning Engineer"
	o.Skills = required
	o.OptionalSkills = optional
	return o
}

func mustScore(t *testing.T, p profiles.Profile, o jobs.Offer, opts Options) Match {
	t.Helper()
	m, ok := scorePair(p, o, opts)
	if !ok {
		t.Fatalf("pair rejected by a gate")
	}
	if m.Score < 0 || m.Score > 1 {
		t.Fatalf("score %v outside [0,1]", m.Score)
	}
	return m
}

// Each case compares two pairs that differ in one respect; the first must
// score higher.
func TestScoreOrdering(t *testing.T) {
	opts := testOptions(t)
	req := []string{"pytorch", "python", "docker"}
	tests := []struct {
		name          string
		better, worse func() (profiles.Profile, jobs.Offer)
	}{
		{"exact skill beats related skill (pytorch vs tensorflow)",
			func() (profiles.Profile, jobs.Offer) {
				return mlProfile("PyTorch", "Python", "Docker"), mlOffer(req, nil)
			},
			func() (profiles.Profile, jobs.Offer) {
				return mlProfile("TensorFlow", "Python", "Docker"), mlOffer(req, nil)
			}},
		{"related skill beats nothing",
			func() (profiles.Profile, jobs.Offer) {
				return mlProfile("TensorFlow", "Python", "Docker"), mlOffer(req, nil)
			},
			func() (profiles.Profile, jobs.Offer) { return mlProfile("Java", "Python", "Docker"), mlOffer(req, nil) }},
		{"narrower skill counts for a broad requirement",
			func() (profiles.Profile, jobs.Offer) {
				return mlProfile("PyTorch", "SQL"), mlOffer([]string{"deep-learning", "sql"}, nil)
			},
			func() (profiles.Profile, jobs.Offer) {
				return mlProfile("Machine learning", "SQL"), mlOffer([]string{"deep-learning", "sql"}, nil)
			}},
		{"broader field gives some credit",
			func() (profiles.Profile, jobs.Offer) {
				return mlProfile("Deep learning", "SQL"), mlOffer([]string{"pytorch", "sql"}, nil)
			},
			func() (profiles.Profile, jobs.Offer) {
				return mlProfile("Excel", "SQL"), mlOffer([]string{"pytorch", "sql"}, nil)
			}},
		{"missing an optional skill costs less than a required one",
			func() (profiles.Profile, jobs.Offer) {
				return mlProfile("Python", "SQL"), mlOffer([]string{"python", "sql"}, []string{"spark"})
			},
			func() (profiles.Profile, jobs.Offer) {
				return mlProfile("Python", "SQL"), mlOffer([]string{"python", "sql", "spark"}, nil)
			}},
		{"title fits the headline",
			func() (profiles.Profile, jobs.Offer) { return mlProfile("PyTorch", "Python"), mlOffer(req, nil) },
			func() (profiles.Profile, jobs.Offer) {
				o := mlOffer(req, nil)
				o.Title = "Backend Developer"
				return mlProfile("PyTorch", "Python"), o
			}},
		{"French title fits an English headline",
			func() (profiles.Profile, jobs.Offer) {
				o := mlOffer(req, nil)
				o.Title = "Ingénieur Machine Learning (H/F)"
				return mlProfile("PyTorch", "Python"), o
			},
			func() (profiles.Profile, jobs.Offer) {
				o := mlOffer(req, nil)
				o.Title = "Développeur Backend (H/F)"
				return mlProfile("PyTorch", "Python"), o
			}},
		{"fresh ad beats an old one",
			func() (profiles.Profile, jobs.Offer) { return mlProfile("PyTorch", "Python"), mlOffer(req, nil) },
			func() (profiles.Profile, jobs.Offer) {
				o := mlOffer(req, nil)
				o.PostedAt = ptrTime(testNow.Add(-40 * 24 * time.Hour))
				return mlProfile("PyTorch", "Python"), o
			}},
		{"full coverage of four skills beats full coverage of one",
			func() (profiles.Profile, jobs.Offer) {
				return mlProfile("Python", "SQL", "pandas", "Docker"), mlOffer([]string{"python", "sql", "pandas", "docker"}, nil)
			},
			func() (profiles.Profile, jobs.Offer) {
				return mlProfile("Python", "SQL", "pandas", "Docker"), mlOffer([]string{"python"}, nil)
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p1, o1 := tc.better()
			p2, o2 := tc.worse()
			a, b := mustScore(t, p1, o1, opts), mustScore(t, p2, o2, opts)
			if a.Score <= b.Score {
				t.Errorf("better pair scored %.4f, worse %.4f", a.Score, b.Score)
			}
		})
	}
}

func TestScoreSpecificity(t *testing.T) {
	opts := testOptions(t)
	opts.Specificity = NewSpecificity(0)
	// python is in every observed offer, airflow in one.
	for i, extra := range []string{"airflow", "sql", "excel", "docker"} {
		o := remoteOffer()
		o.ID = "obs:" + string(rune('a'+i))
		o.Skills = []string{"python", extra}
		opts.Specificity.Observe(o)
	}
	if w1, w2 := opts.Specificity.Weight("python"), opts.Specificity.Weight("airflow"); w1 >= w2 {
		t.Fatalf("weight(python)=%.3f should be below weight(airflow)=%.3f", w1, w2)
	}
	offer := mlOffer([]string{"python", "airflow"}, nil)
	rare := mustScore(t, mlProfile("Airflow"), offer, opts)
	common := mustScore(t, mlProfile("Python"), offer, opts)
	if rare.Score <= common.Score {
		t.Errorf("holding the rare skill scored %.4f, the common one %.4f", rare.Score, common.Score)
	}
	// Observing the same offer again does not double count; Forget undoes.
	n := opts.Specificity.Len()
	o := remoteOffer()
	o.ID = "obs:a"
	o.Skills = []string{"python", "airflow"}
	opts.Specificity.Observe(o)
	if opts.Specificity.Len() != n {
		t.Errorf("re-observing changed the count: %d -> %d", n, opts.Specificity.Len())
	}
	opts.Specificity.Forget("obs:a")
	if opts.Specificity.Len() != n-1 || opts.Specificity.Weight("airflow") != opts.Specificity.Weight("never-seen") {
		t.Errorf("Forget did not remove the offer's skills")
	}
}

func TestScoreExplains(t *testing.T) {
	opts := testOptions(t)
	o := mlOffer([]string{"pytorch", "python", "docker", "kubernetes"}, []string{"spark"})
	o.Languages = []string{"fr"}
	m := mustScore(t, mlProfile("PyTorch", "Python", "Docker"), o, opts)
	if want := []string{"pytorch", "python", "docker"}; !slices.Equal(m.MatchedSkills, want) {
		t.Errorf("matched %v, want %v", m.MatchedSkills, want)
	}
	if want := []string{"kubernetes"}; !slices.Equal(m.MissingSkills, want) {
		t.Errorf("missing %v, want %v", m.MissingSkills, want)
	}
	want := map[string][]string{
		ReasonRemoteWorldwide: nil,
		ReasonSeniorityFit:    {"junior"},
		ReasonEmploymentFit:   {"full_time"},
		ReasonSkillsMatched:   {"3", "4"},
		ReasonSkillsMissing:   {"Kubernetes"},
		ReasonLanguageOK:      {"fr"},
		ReasonFresh:           {"2"},
		ReasonRoleFit:         {"Machine Learning Engineer"},
	}
	got := map[string][]string{}
	for _, r := range m.ReasonKeys {
		got[r.Key] = r.Args
	}
	for k, args := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("missing reason %q in %v", k, m.Reasons)
			continue
		}
		if !slices.Equal(g, args) {
			t.Errorf("reason %q args %q, want %q", k, g, args)
		}
	}
	if len(got) != len(want) {
		t.Errorf("reasons %v, want exactly the keys %v", m.Reasons, want)
	}
	if m.ProfileID != "g-1" || m.OfferID != o.ID || m.URL != o.URL || m.Title != o.Title || m.Offer == nil {
		t.Errorf("match identity fields wrong: %+v", m)
	}

	// Remote open to one country names it.
	o.Eligibility = jobs.Eligibility{Countries: []string{"MA"}, Known: true}
	m = mustScore(t, mlProfile("PyTorch"), o, opts)
	if m.Reasons[0] != "remote, open to Morocco" || !slices.Equal(m.ReasonKeys[0].Args, []string{"Morocco", "MA"}) {
		t.Errorf("first reason %q %v", m.Reasons[0], m.ReasonKeys[0])
	}

	// An internship says so once, not as both level and contract type.
	o.Seniority, o.Employment = jobs.SeniorityInternship, []string{jobs.Internship}
	m = mustScore(t, mlProfile("PyTorch"), o, opts)
	n := 0
	for _, r := range m.ReasonKeys {
		if slices.Contains(r.Args, "internship") {
			n++
		}
	}
	if n != 1 || !hasKey(m, ReasonSeniorityFit) {
		t.Errorf("internship reasons %v, want the level reason alone", m.Reasons)
	}
}

func TestScoreNoOverlapIsNotAMatch(t *testing.T) {
	opts := testOptions(t)
	p, o := mlProfile("Java", "React"), mlOffer([]string{"pytorch", "python"}, nil)
	m, ok := scorePair(p, o, opts)
	if !ok || m.Score != 0 {
		t.Fatalf("gated=%v score=%v, want gates passed and 0", ok, m.Score)
	}
	if _, ok := Score(p, o, opts); ok {
		t.Error("Score reports a match with no skill in common")
	}
	// An offer with no skills matches nobody.
	if _, ok := Score(mlProfile("Python"), mlOffer(nil, nil), opts); ok {
		t.Error("offer without skills matched")
	}
}

// An ad that names only nice-to-have skills ("Excel apprécié" in a coaching
// ad) is too thin to match on skills alone: it needs a title that fits.
func TestScoreOptionalOnlyNeedsRoleFit(t *testing.T) {
	opts := testOptions(t)
	o := mlOffer(nil, []string{"excel"})
	o.Title = "Coach certifié en développement personnel"
	if m, ok := Score(mlProfile("Excel", "SQL"), o, opts); ok {
		t.Errorf("optional-only ad matched an unrelated graduate: %+v", m)
	}
	o.Title = "Machine learning engineer"
	if _, ok := Score(mlProfile("Excel", "SQL"), o, opts); !ok {
		t.Error("optional-only ad whose title fits the headline did not match")
	}
	// One required skill is enough evidence.
	o = mlOffer([]string{"sql"}, []string{"excel"})
	o.Title = "Coach certifié en développement personnel"
	if _, ok := Score(mlProfile("Excel", "SQL"), o, opts); !ok {
		t.Error("ad with a required skill in common did not match")
	}
}

func TestScoreMinScore(t *testing.T) {
	opts := testOptions(t)
	p, o := mlProfile("Python"), mlOffer([]string{"python", "pytorch", "docker", "kubernetes", "spark", "airflow"}, nil)
	m, ok := Score(p, o, opts)
	if !ok {
		t.Fatal("low threshold: expected a match")
	}
	opts.MinScore = m.Score + 0.01
	if _, ok := Score(p, o, opts); ok {
		t.Error("match returned under MinScore")
	}
	if (Options{}).withDefaults().MinScore != DefaultMinScore {
		t.Error("zero MinScore does not default")
	}
}

// TestRoleTokensASCIIFastPath checks that the ASCII path of foldText and
// the inline FNV hash give what the general path and hash/fnv give.
func TestRoleTokensASCIIFastPath(t *testing.T) {
	for _, s := range []string{"Senior Data Analyst (H/F) - Casablanca", "ML_Engineer/NLP 2026", "", "  C++ & Go!  ", "Ingenieur Donnees"} {
		// A trailing "é" sends the same text down the general path.
		general := foldText(s + "é")
		if !strings.HasSuffix(general, "e") {
			t.Fatalf("foldText(%q) = %q: the accent was not folded", s+"é", general)
		}
		if got, want := foldText(s), strings.TrimSuffix(general, "e"); got != want {
			t.Errorf("foldText(%q) = %q, want %q", s, got, want)
		}
		h := fnv.New32a()
		h.Write([]byte(s))
		if got := fnv32a(s); got != h.Sum32() {
			t.Errorf("fnv32a(%q) = %x, want %x", s, got, h.Sum32())
		}
	}
}

// TestScoreMaskPathSameAsGeneral checks that the bitmask scoring used for
// offers of at most 64 skills gives the same bits as the general path.
func TestScoreMaskPathSameAsGeneral(t *testing.T) {
	tax := taxonomy(t)
	r := rand.New(rand.NewPCG(21, 22))
	ps, os := randomData(r, 300, 60, tax.IDs())
	ix := NewIndex(testOptions(t))
	for _, p := range ps {
		ix.Upsert(p)
	}
	compared := 0
	for _, o := range os {
		fast := newPlan(&o, ix.t, ix.opts)
		slow := newPlan(&o, ix.t, ix.opts)
		if fast.masks == nil {
			continue
		}
		slow.maskAt, slow.masks = nil, nil
		best := make([]float64, len(fast.skills))
		for i := range ix.entries {
			e := &ix.entries[i]
			if !e.live {
				continue
			}
			g := gateResult{factor: 1, loc: -1}
			a, b := fast.score(e, g, best), slow.score(e, g, best)
			if a != b {
				t.Fatalf("offer %s profile %s: mask path %+v, general %+v", o.ID, ix.ids[i], a, b)
			}
			if a.score > 0 {
				compared++
			}
		}
	}
	if compared < 100 {
		t.Fatalf("only %d pairs with a score compared", compared)
	}
}
