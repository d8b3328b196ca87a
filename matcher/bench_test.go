package matcher

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/profiles"
	"github.com/passerelle/passerelle/skills"
)

// Synthetic data for the speed benchmark and the large index tests:
// skills drawn with Zipf-like popularity from the embedded taxonomy,
// graduates mostly in Morocco, offers from Moroccan, French and remote
// sources with every gate dimension varied.

type synth struct {
	r      *rand.Rand
	tax    *skills.Taxonomy
	ids    []string // taxonomy ids in popularity order
	labels []string // English labels, same order
	zipf   *rand.Zipf
}

func newSynth(seed uint64) *synth {
	tax := skills.Default()
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	ids := tax.IDs()
	r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	s := &synth{r: r, tax: tax, ids: ids}
	for _, id := range ids {
		s.labels = append(s.labels, tax.Label(id, "en"))
	}
	s.zipf = rand.NewZipf(r, 1.07, 2, uint64(len(ids)-1))
	return s
}

func (s *synth) skillIdx(n int) []int {
	var out []int
	for tries := 0; len(out) < n && tries < 10*n; tries++ {
		i := int(s.zipf.Uint64())
		if !slices.Contains(out, i) {
			out = append(out, i)
		}
	}
	return out
}

func (s *synth) pickW(items []string, weights []int) string {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := s.r.IntN(total)
	for i, w := range weights {
		if x < w {
			return items[i]
		}
		x -= w
	}
	return items[len(items)-1]
}

var (
	synthHeadlines = []string{"Data analyst", "Machine learning engineer", "Ingénieur data", "NLP engineer",
		"Computer vision engineer", "Développeur BI", "MLOps engineer", "Data scientist", "Statisticien", "Full stack developer"}
	synthCities = []string{"Oujda", "Casablanca", "Rabat", "Tanger", "Fès", "Marrakech", "Agadir", "Nador"}
)

func (s *synth) profile(i int) profiles.Profile {
	r := s.r
	var labels []string
	for _, k := range s.skillIdx(5 + r.IntN(8)) {
		labels = append(labels, s.labels[k])
	}
	country := s.pickW([]string{"MA", "FR", "DZ", "TN", "SN", "ES"}, []int{88, 5, 2, 2, 2, 1})
	langs := synthLanguages(r)
	var locs []string
	for range 1 + r.IntN(3) {
		locs = append(locs, s.pickW(append(synthCities, "MA", "FR", "Paris"), []int{20, 20, 15, 5, 5, 5, 2, 3, 15, 5, 5}))
	}
	sen, emp, wp := synthSeeking(r)
	return profiles.Profile{
		ID: fmt.Sprintf("g-%06d", i), Name: "Synthetic Graduate", Email: fmt.Sprintf("g%06d@example.org", i),
		City: "Oujda", Country: country, Headline: synthHeadlines[r.IntN(len(synthHeadlines))],
		Skills: labels, Languages: langs, GraduationYear: 2020 + r.IntN(7),
		Seeking: profiles.Seeking{Seniority: sen, Employment: emp, Workplace: wp, Locations: locs},
		Alerts:  profiles.Alerts{Frequency: "daily"}, Consent: profiles.Consent{Alerts: true},
	}
}

// synthLanguages draws a graduate's spoken languages: French, Arabic and
// English, sometimes Spanish or German more, sometimes no English.
func synthLanguages(r *rand.Rand) []string {
	langs := []string{"fr", "ar", "en"}
	if r.IntN(8) == 0 {
		langs = append(langs, []string{"es", "de"}[r.IntN(2)])
	}
	if r.IntN(10) == 0 {
		langs = langs[:2]
	}
	return langs
}

// synthSeeking draws the levels, employment types and workplaces a
// graduate seeks.
func synthSeeking(r *rand.Rand) (sen, emp, wp []string) {
	sen = [][]string{{"internship", "junior"}, {"junior"}, {"internship"}, {"junior", "mid"}, {"mid"}}[r.IntN(5)]
	emp = [][]string{{"full_time"}, {"full_time", "internship"}, {"internship"}, {"full_time", "contract"}, {}, {"apprenticeship", "internship"}}[r.IntN(6)]
	wp = [][]string{{"remote", "hybrid", "onsite"}, {"remote"}, {"onsite", "hybrid"}, {}, {"remote", "hybrid"}}[r.IntN(5)]
	return sen, emp, wp
}

func (s *synth) offer(i int, now time.Time) jobs.Offer {
	r := s.r
	o := jobs.Offer{
		ID: fmt.Sprintf("synth:%05d", i), Source: "synth", URL: fmt.Sprintf("https://example.org/jobs/%d", i),
		Title: synthHeadlines[r.IntN(len(synthHeadlines))], Company: "Synthetic Co",
		Seniority:  s.pickW([]string{"internship", "junior", "mid", "senior", "lead", "unknown"}, []int{15, 30, 20, 15, 3, 17}),
		Employment: [][]string{{"full_time"}, {"internship"}, {"contract"}, {}, {"apprenticeship"}, {"part_time"}}[s.r.IntN(6)],
		PostedAt:   ptrTime(now.Add(-time.Duration(r.IntN(30*24)) * time.Hour)),
		Terms:      jobs.Terms{EmailAllowed: r.IntN(5) != 0},
	}
	for _, k := range s.skillIdx(3 + r.IntN(8)) {
		o.Skills = append(o.Skills, s.ids[k])
	}
	for _, k := range s.skillIdx(r.IntN(4)) {
		if !slices.Contains(o.Skills, s.ids[k]) {
			o.OptionalSkills = append(o.OptionalSkills, s.ids[k])
		}
	}
	switch x := r.IntN(100); {
	case x < 45:
		o.Workplace = jobs.Remote
		switch y := r.IntN(100); {
		case y < 30:
			o.Eligibility = jobs.Eligibility{Worldwide: true, Known: true}
		case y < 50:
			o.Eligibility = jobs.Eligibility{Known: false}
		case y < 70:
			o.Eligibility = jobs.Eligibility{Countries: []string{"US"}, Known: true}
		case y < 80:
			o.Eligibility = jobs.Eligibility{Regions: []string{"Europe"}, Known: true}
		case y < 90:
			o.Eligibility = jobs.Eligibility{Regions: []string{"EMEA"}, Known: true}
		default:
			o.Eligibility = jobs.Eligibility{Countries: []string{"MA"}, Known: true}
		}
	default:
		o.Workplace = []jobs.Workplace{jobs.Onsite, jobs.Hybrid, jobs.WorkplaceUnknown}[r.IntN(3)]
		switch y := r.IntN(100); {
		case y < 60:
			o.Locations = []jobs.Location{{City: synthCities[r.IntN(len(synthCities))], Country: "MA"}}
		case y < 85:
			o.Locations = []jobs.Location{{City: []string{"Paris", "Lyon", "Toulouse"}[r.IntN(3)], Country: "FR"}}
		default:
			o.Locations = []jobs.Location{{City: []string{"Berlin", "London", "New York"}[r.IntN(3)], Country: []string{"DE", "GB", "US"}[r.IntN(3)]}}
		}
	}
	switch r.IntN(10) {
	case 0, 1, 2:
		o.Languages = []string{"fr"}
	case 3:
		o.Languages = []string{"en"}
	case 4:
		o.Languages = []string{"de"}
	}
	if r.IntN(20) == 0 {
		o.ValidThrough = ptrTime(now.Add(-24 * time.Hour))
	}
	return o
}

// Generators of synthetic data. "zipf" is the first generator: every skill
// drawn independently from one global Zipf over the whole taxonomy, offers
// spread evenly over remote, Moroccan and foreign places. "clustered" is
// closer to the market Passerelle serves (see specialties below).
// "places" is "zipf" with one more wished place per graduate, typed as
// free text: 20,000 distinct villages, as a form without a place list
// would collect.
var generators = []string{"zipf", "clustered", "places"}

// shuffledIDs, after a generator's name, shuffles its profiles: the
// generators make them in id order, as the matcher loads them from the
// store at start; profiles added later take ordinals out of id order
// (see Index.disorder), which costs sortHits more.
const shuffledIDs = "+shuffled"

// synthesize returns nProfiles profiles and nOffers offers from generator
// gen ("zipf", "clustered" or "places", optionally followed by
// shuffledIDs).
func synthesize(tb testing.TB, gen string, seed uint64, nProfiles, nOffers int) ([]profiles.Profile, []jobs.Offer) {
	tb.Helper()
	if base, ok := strings.CutSuffix(gen, shuffledIDs); ok {
		ps, os := synthesize(tb, base, seed, nProfiles, nOffers)
		r := rand.New(rand.NewPCG(seed, 99))
		r.Shuffle(len(ps), func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
		return ps, os
	}
	switch gen {
	case "zipf":
		return synthData(seed, nProfiles, nOffers)
	case "places":
		ps, os := synthData(seed, nProfiles, nOffers)
		for i := range ps {
			ps[i].Seeking.Locations = append(ps[i].Seeking.Locations, fmt.Sprintf("Douar %d", i%20_000))
		}
		return ps, os
	case "clustered":
		c, err := newClustered(seed)
		if err != nil {
			tb.Fatal(err)
		}
		return c.data(nProfiles, nOffers)
	}
	tb.Fatalf("unknown generator %q", gen)
	return nil, nil
}

func synthData(seed uint64, nProfiles, nOffers int) ([]profiles.Profile, []jobs.Offer) {
	s := newSynth(seed)
	return draw(s.profile, s.offer, nProfiles, nOffers)
}

// draw makes nProfiles profiles, then nOffers offers, with a generator's
// functions.
func draw(profile func(int) profiles.Profile, offer func(int, time.Time) jobs.Offer, nProfiles, nOffers int) ([]profiles.Profile, []jobs.Offer) {
	ps := make([]profiles.Profile, nProfiles)
	for i := range ps {
		ps[i] = profile(i)
	}
	os := make([]jobs.Offer, nOffers)
	for i := range os {
		os[i] = offer(i, testNow)
	}
	return ps, os
}

func synthOptions(os []jobs.Offer) Options {
	opts := Options{Now: func() time.Time { return testNow }, Specificity: NewSpecificity(0)}
	for _, o := range os {
		opts.Specificity.Observe(o)
	}
	return opts
}

func heapAfterGC() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestIndexMemoryPerProfile builds the index of 100,000 profiles from each
// generator and checks it holds less than 1 KiB per profile.
func TestIndexMemoryPerProfile(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("builds 100,000 profiles")
	}
	const n = 100_000
	for _, gen := range generators {
		ps, os := synthesize(t, gen, 7, n, 200)
		ix, per := buildIndex(ps, synthOptions(os))
		t.Logf("%s: index of %d profiles: %.0f bytes per profile", gen, ix.Len(), per)
		if per >= 1024 {
			t.Errorf("%s: %.0f bytes per profile, want < 1024", gen, per)
		}
		runtime.KeepAlive(ps)
	}
}

// buildIndex indexes ps and returns the heap the index holds per profile.
func buildIndex(ps []profiles.Profile, opts Options) (*Index, float64) {
	before := heapAfterGC()
	ix := NewIndex(opts)
	for _, p := range ps {
		ix.Upsert(p)
	}
	per := float64(heapAfterGC()-before) / float64(len(ps))
	runtime.KeepAlive(ix)
	return ix, per
}

// TestIndexTop10SameAsBruteForce compares the index with Score over every
// profile on the benchmark's generators, offer after offer, until enough
// offers with matches were compared.
func TestIndexTop10SameAsBruteForce(t *testing.T) {
	nProfiles, want := 3_000, 15
	if testing.Short() || raceEnabled {
		nProfiles, want = 800, 4
	}
	for _, gen := range append(generators, "clustered"+shuffledIDs) {
		t.Run(gen, func(t *testing.T) {
			ps, os := synthesize(t, gen, 11, nProfiles, 300)
			ix := NewIndex(synthOptions(os))
			for _, p := range ps {
				ix.Upsert(p)
			}
			compared, withMatches, tried := 0, 0, 0
			for _, o := range os {
				if withMatches == want {
					break
				}
				tried++
				got, exp := top10(ix.Match(o)), top10(bruteForce(ps, o, ix.Options()))
				sameMatches(t, "offer "+o.ID, got, exp)
				compared += len(exp)
				if len(exp) > 0 {
					withMatches++
				}
			}
			t.Logf("%d matches compared over %d offers, %d with matches", compared, tried, withMatches)
			if withMatches < want {
				t.Fatalf("only %d offers with matches: the comparison proves little", withMatches)
			}
		})
	}
}

func top10(ms []Match) []Match {
	if len(ms) > 10 {
		return ms[:10]
	}
	return ms
}

// BenchmarkMatch measures, on 100,000 synthetic profiles and 1,000 offers
// from each generator, the offers matched per second by Index.Match
// (explained matches) and the index's memory per profile, against two
// baselines measured in the same run on a sample of the same offers:
// "brute", Score over every profile (the reference the tests compare the
// index with), and "scan", every packed profile gated and scored with the
// index's own code but without postings or bounds. The top-10 lists of
// the index and of the brute force must be identical on the sample.
// Rates are per CPU second of this process (the machine is shared).
func BenchmarkMatch(b *testing.B) {
	for _, gen := range generators {
		b.Run("gen="+gen, func(b *testing.B) { benchIndex(b, gen, true) })
	}
}

// BenchmarkScore is BenchmarkMatch without building explained matches:
// candidate generation, bounds, gates, exact scoring and ordering; also on
// the clustered profiles inserted out of id order (see shuffledIDs).
func BenchmarkScore(b *testing.B) {
	for _, gen := range append(generators, "clustered"+shuffledIDs) {
		b.Run("gen="+gen, func(b *testing.B) { benchIndex(b, gen, false) })
	}
}

func benchIndex(b *testing.B, gen string, explain bool) {
	const nProfiles, nOffers = 100_000, 1000
	nBrute, nScan := 3, 100
	if raceEnabled {
		nBrute, nScan = 1, 5
	}
	before := heapAfterGC()
	ps, os := synthesize(b, gen, 42, nProfiles, nOffers)
	profileBytes := float64(heapAfterGC()-before) / nProfiles
	ix, perProfile := buildIndex(ps, synthOptions(os))

	// Baselines, each on its own sample of the offers.
	start := cpuTime()
	for _, o := range os[:nBrute] {
		got, want := top10(ix.Match(o)), top10(bruteForce(ps, o, ix.Options()))
		if len(want) == 0 {
			continue
		}
		if len(got) != len(want) {
			b.Fatalf("offer %s: index top-10 has %d, brute force %d", o.ID, len(got), len(want))
		}
		for i := range want {
			if got[i].ProfileID != want[i].ProfileID || got[i].Score != want[i].Score {
				b.Fatalf("offer %s rank %d: index %s %v, brute force %s %v", o.ID, i, got[i].ProfileID, got[i].Score, want[i].ProfileID, want[i].Score)
			}
		}
	}
	bruteRate := float64(nBrute) / (cpuTime() - start).Seconds()
	start = cpuTime()
	for _, o := range os[:nScan] {
		scanMatch(ix, o, explain)
	}
	scanRate := float64(nScan) / (cpuTime() - start).Seconds()
	// The matcher service keeps the index, not the profiles it was built
	// from: let them go so the collector does not mark them while timing.
	ps = nil
	heapAfterGC()

	matches, i := 0, 0
	var cpu0 time.Duration
	for b.Loop() {
		if i == 0 {
			cpu0 = cpuTime()
		}
		o := os[i%len(os)]
		if explain {
			matches += len(ix.Match(o))
		} else {
			ix.mu.RLock()
			sc := ix.getScratch()
			_, h := ix.rank(&o, sc)
			matches += len(h)
			ix.scratch.Put(sc)
			ix.mu.RUnlock()
		}
		i++
	}
	rate := float64(i) / (cpuTime() - cpu0).Seconds()
	b.ReportMetric(rate, "offers/cpu-s")
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "offers/s")
	b.ReportMetric(float64(matches)/float64(i), "matches/offer")
	b.ReportMetric(perProfile, "index-B/profile")
	b.ReportMetric(profileBytes, "profiles-B/profile")
	b.ReportMetric(bruteRate, "brute-offers/cpu-s")
	b.ReportMetric(rate/bruteRate, "x-brute")
	b.ReportMetric(scanRate, "scan-offers/cpu-s")
	b.ReportMetric(rate/scanRate, "x-scan")
}

// scanMatch is the "scan" baseline: Index.Match (explain) or rank without
// postings, every live profile gated and scored.
func scanMatch(ix *Index, o jobs.Offer, explain bool) []Match {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	sc := ix.getScratch()
	defer ix.scratch.Put(sc)
	pl := newPlan(&o, ix.t, ix.opts)
	pl.locCache = sc.loc
	if pl.dismissed() {
		return nil
	}
	hits := ix.scan(pl, sc)
	if !explain {
		return nil
	}
	out := make([]Match, len(hits))
	ix.matches(out, pl, sc, hits, &o)
	return out
}

// cpuTime is the process's user+system CPU time: the machine running the
// benchmarks is shared, so rates per CPU second are the stable figure.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// The clustered generator. Graduates of the Oujda AI/data programmes and
// the ads they receive cluster by specialty: a data-analyst ad and a
// computer-vision graduate share few skills. Parameters (shares in
// percent):
//
//   - Specialty of a graduate / of an ad: the weights of specialties below
//     (graduates first, ads second).
//   - Skills of a graduate: 5 to 12, each drawn 75% from the specialty's
//     pool, 10% from its neighbour specialty's pool, 15% from the generic
//     pool; inside a pool, rank k is drawn with weight 1/(k+1)^1.1 (Zipf),
//     pools being listed most common first. An ad: 3 to 8 required and 0
//     to 3 optional skills, drawn 80/10/10 the same way.
//   - Graduates: country MA 90, FR 4, DZ 2, TN 2, SN 1, ES 1; one to three
//     wished places from Oujda 25, Casablanca 25, Rabat 18, Tanger 7,
//     Fès 5, Marrakech 4, Nador 3, MA (anywhere in Morocco) 10, FR 2,
//     Paris 1.
//   - Ads: 72 on site or hybrid in Morocco (Casablanca 48, Rabat 22,
//     Tanger 9, Marrakech 6, Fès 5, Agadir 4, Oujda 4, Kénitra 2), 8 on
//     site in France, 20 remote. Remote ads are mostly region-restricted:
//     US only 30, Europe 20, a few European countries 12, EMEA 8,
//     worldwide 10, Africa or MENA 5, scope not stated 15.
//
// These figures are our estimates from reading Moroccan and remote boards
// (ReKrute, LinkedIn, Remote OK); they were set before measuring and not
// tuned to reach a speed target.

type specialty struct {
	name               string
	gradShare, adShare int
	neighbour          int // index of the neighbour specialty
	headlines, titles  []string
	pool               []string // taxonomy ids, most common first
}

var specialties = []specialty{
	{"data-analyst", 22, 25, 6, []string{"Data analyst", "Analyste de données", "Data analyst junior"}, []string{"Data Analyst", "Analyste Data", "Junior Data Analyst"},
		[]string{"sql", "excel", "python", "power-bi", "data-analysis", "data-visualization", "tableau", "pandas", "statistics", "dashboards", "reporting", "exploratory-data-analysis", "data-cleaning", "kpi", "google-sheets", "dax", "power-query", "looker-studio", "google-analytics", "product-analytics"}},
	{"data-scientist", 15, 12, 2, []string{"Data scientist", "Data scientist, Master IA", "Ingénieur data science"}, []string{"Data Scientist", "Data Scientist junior", "Ingénieur Data Science"},
		[]string{"python", "machine-learning", "scikit-learn", "pandas", "statistics", "sql", "numpy", "data-science", "jupyter", "xgboost", "feature-engineering", "classification", "regression", "matplotlib", "seaborn", "model-evaluation", "time-series", "forecasting", "hypothesis-testing", "clustering"}},
	{"ml-engineer", 12, 10, 7, []string{"Machine learning engineer", "Ingénieur IA", "ML engineer"}, []string{"Machine Learning Engineer", "Ingénieur Machine Learning", "AI Engineer"},
		[]string{"python", "machine-learning", "deep-learning", "pytorch", "tensorflow", "docker", "scikit-learn", "git", "model-deployment", "keras", "fastapi", "linux", "aws", "transformers", "mlops", "cuda", "numpy", "sql"}},
	{"nlp", 7, 5, 2, []string{"NLP engineer", "Ingénieur NLP", "Data scientist NLP"}, []string{"NLP Engineer", "Ingénieur NLP / LLM", "LLM Engineer"},
		[]string{"nlp", "python", "transformers", "hugging-face", "large-language-models", "bert", "pytorch", "spacy", "nltk", "rag", "prompt-engineering", "langchain", "embeddings", "arabic-nlp", "text-classification", "sentiment-analysis", "named-entity-recognition", "vector-databases", "fine-tuning"}},
	{"computer-vision", 6, 4, 2, []string{"Computer vision engineer", "Ingénieur vision par ordinateur"}, []string{"Computer Vision Engineer", "Ingénieur Vision par ordinateur"},
		[]string{"computer-vision", "python", "opencv", "pytorch", "deep-learning", "cnn", "object-detection", "yolo", "image-segmentation", "image-processing", "tensorflow", "image-classification", "ocr", "cuda", "cpp", "face-recognition"}},
	{"data-engineer", 12, 15, 7, []string{"Data engineer", "Ingénieur big data", "Ingénieur data"}, []string{"Data Engineer", "Ingénieur Big Data", "Ingénieur Data"},
		[]string{"sql", "python", "apache-spark", "etl", "apache-airflow", "data-pipelines", "pyspark", "apache-kafka", "data-warehouse", "hadoop", "dbt", "aws", "docker", "postgresql", "azure", "databricks", "snowflake", "scala", "hive", "mongodb", "gcp", "data-modeling"}},
	{"bi", 10, 12, 0, []string{"Développeur BI", "Consultant BI", "Business intelligence analyst"}, []string{"Développeur BI", "Consultant Business Intelligence", "BI Analyst"},
		[]string{"power-bi", "sql", "business-intelligence", "excel", "dax", "data-warehouse", "ssis", "tableau", "power-query", "data-modeling", "reporting", "sql-server", "qlik", "ssrs", "talend", "oracle-database", "dashboards", "kpi"}},
	{"mlops", 4, 5, 2, []string{"MLOps engineer", "Ingénieur MLOps"}, []string{"MLOps Engineer", "Ingénieur MLOps / DevOps"},
		[]string{"mlops", "docker", "kubernetes", "python", "mlflow", "ci-cd", "aws", "terraform", "git", "linux", "model-deployment", "model-monitoring", "apache-airflow", "kubeflow", "github-actions", "prometheus", "grafana"}},
	{"statistics", 5, 4, 1, []string{"Statisticien", "Statisticienne, Master statistique"}, []string{"Statisticien", "Chargé d'études statistiques", "Biostatisticien"},
		[]string{"statistics", "r", "python", "sas", "excel", "spss", "econometrics", "hypothesis-testing", "regression", "time-series", "probability", "stata", "bayesian-statistics", "ggplot2", "tidyverse", "sql"}},
	{"full-stack", 7, 8, 3, []string{"Full stack developer", "Développeur full stack IA"}, []string{"Full Stack Developer", "Développeur Full Stack", "Développeur web et IA"},
		[]string{"javascript", "react", "python", "nodejs", "typescript", "sql", "git", "docker", "django", "rest-api", "postgresql", "mongodb", "html", "css", "fastapi", "flask", "openai-api", "angular"}},
}

// genericPool holds skills any graduate or ad may list.
var genericPool = []string{"git", "communication", "teamwork", "agile", "problem-solving", "linux", "scrum", "jira", "excel", "autonomy", "python", "sql"}

type weighted[T any] struct {
	items   []T
	weights []int
}

func (w weighted[T]) pick(r *rand.Rand) T {
	total := 0
	for _, x := range w.weights {
		total += x
	}
	x := r.IntN(total)
	for i, v := range w.weights {
		if x < v {
			return w.items[i]
		}
		x -= v
	}
	return w.items[len(w.items)-1]
}

var (
	gradCountries = weighted[string]{[]string{"MA", "FR", "DZ", "TN", "SN", "ES"}, []int{90, 4, 2, 2, 1, 1}}
	gradPlaces    = weighted[string]{[]string{"Oujda", "Casablanca", "Rabat", "Tanger", "Fès", "Marrakech", "Nador", "MA", "FR", "Paris"}, []int{25, 25, 18, 7, 5, 4, 3, 10, 2, 1}}
	adCitiesMA    = weighted[string]{[]string{"Casablanca", "Rabat", "Tanger", "Marrakech", "Fès", "Agadir", "Oujda", "Kénitra"}, []int{48, 22, 9, 6, 5, 4, 4, 2}}
	remoteScopes  = weighted[jobs.Eligibility]{[]jobs.Eligibility{
		{Countries: []string{"US"}, Known: true},
		{Regions: []string{"Europe"}, Known: true},
		{Countries: []string{"FR", "DE", "GB"}, Known: true},
		{Regions: []string{"EMEA"}, Known: true},
		{Worldwide: true, Known: true},
		{Regions: []string{"Africa", "MENA"}, Known: true},
		{Known: false},
	}, []int{30, 20, 12, 8, 10, 5, 15}}
)

type clustered struct {
	r         *rand.Rand
	tax       *skills.Taxonomy
	gradSpec  weighted[int]
	adSpec    weighted[int]
	poolZipfs map[int]*rand.Zipf // pool length -> Zipf over ranks
}

func newClustered(seed uint64) (*clustered, error) {
	tax := skills.Default()
	c := &clustered{
		r:         rand.New(rand.NewPCG(seed, seed^0x243f6a8885a308d3)),
		tax:       tax,
		poolZipfs: map[int]*rand.Zipf{},
	}
	for i, s := range specialties {
		c.gradSpec.items, c.gradSpec.weights = append(c.gradSpec.items, i), append(c.gradSpec.weights, s.gradShare)
		c.adSpec.items, c.adSpec.weights = append(c.adSpec.items, i), append(c.adSpec.weights, s.adShare)
		for _, id := range s.pool {
			if _, ok := tax.Concept(id); !ok {
				return nil, fmt.Errorf("specialty %s: %q is not in the taxonomy", s.name, id)
			}
		}
	}
	for _, id := range genericPool {
		if _, ok := tax.Concept(id); !ok {
			return nil, fmt.Errorf("generic pool: %q is not in the taxonomy", id)
		}
	}
	return c, nil
}

// fromPool draws one id from pool with Zipf weights over ranks.
func (c *clustered) fromPool(pool []string) string {
	z, ok := c.poolZipfs[len(pool)]
	if !ok {
		z = rand.NewZipf(c.r, 1.1, 1, uint64(len(pool)-1))
		c.poolZipfs[len(pool)] = z
	}
	return pool[z.Uint64()]
}

// skills draws n distinct ids for specialty s; own and near are the
// percentages drawn from its pool and its neighbour's.
func (c *clustered) skills(s int, n, own, near int, except []string) []string {
	var out []string
	for tries := 0; len(out) < n && tries < 20*n; tries++ {
		var id string
		switch x := c.r.IntN(100); {
		case x < own:
			id = c.fromPool(specialties[s].pool)
		case x < own+near:
			id = c.fromPool(specialties[specialties[s].neighbour].pool)
		default:
			id = c.fromPool(genericPool)
		}
		if !slices.Contains(out, id) && !slices.Contains(except, id) {
			out = append(out, id)
		}
	}
	return out
}

func (c *clustered) profile(i int) profiles.Profile {
	r := c.r
	s := c.gradSpec.pick(r)
	sp := &specialties[s]
	var labels []string
	for _, id := range c.skills(s, 5+r.IntN(8), 75, 10, nil) {
		labels = append(labels, c.tax.Label(id, "en"))
	}
	langs := synthLanguages(r)
	var locs []string
	for range 1 + r.IntN(3) {
		if l := gradPlaces.pick(r); !slices.Contains(locs, l) {
			locs = append(locs, l)
		}
	}
	sen, emp, wp := synthSeeking(r)
	return profiles.Profile{
		ID: fmt.Sprintf("c-%06d", i), Name: "Synthetic Graduate", Email: fmt.Sprintf("c%06d@example.org", i),
		City: "Oujda", Country: gradCountries.pick(r), Headline: sp.headlines[r.IntN(len(sp.headlines))],
		Skills: labels, Languages: langs, GraduationYear: 2020 + r.IntN(7),
		Seeking: profiles.Seeking{Seniority: sen, Employment: emp, Workplace: wp, Locations: locs},
		Alerts:  profiles.Alerts{Frequency: "daily"}, Consent: profiles.Consent{Alerts: true},
	}
}

func (c *clustered) offer(i int, now time.Time) jobs.Offer {
	r := c.r
	s := c.adSpec.pick(r)
	sp := &specialties[s]
	o := jobs.Offer{
		ID: fmt.Sprintf("clus:%05d", i), Source: "synth", URL: fmt.Sprintf("https://example.org/c/%d", i),
		Title: sp.titles[r.IntN(len(sp.titles))], Company: "Synthetic Co",
		Seniority:  weighted[string]{[]string{"internship", "junior", "mid", "senior", "lead", "unknown"}, []int{20, 30, 20, 15, 3, 12}}.pick(r),
		Employment: [][]string{{"full_time"}, {"internship"}, {"contract"}, {}, {"apprenticeship"}, {"part_time"}}[r.IntN(6)],
		PostedAt:   ptrTime(now.Add(-time.Duration(r.IntN(30*24)) * time.Hour)),
		Terms:      jobs.Terms{EmailAllowed: r.IntN(5) != 0},
	}
	o.Skills = c.skills(s, 3+r.IntN(6), 80, 10, nil)
	o.OptionalSkills = c.skills(s, r.IntN(4), 80, 10, o.Skills)
	switch x := r.IntN(100); {
	case x < 72:
		o.Workplace = weighted[jobs.Workplace]{[]jobs.Workplace{jobs.Onsite, jobs.Hybrid, jobs.WorkplaceUnknown}, []int{60, 25, 15}}.pick(r)
		o.Locations = []jobs.Location{{City: adCitiesMA.pick(r), Country: "MA"}}
		o.Languages = []string{"fr"}
	case x < 80:
		o.Workplace = jobs.Onsite
		o.Locations = []jobs.Location{{City: []string{"Paris", "Lyon", "Toulouse"}[r.IntN(3)], Country: "FR"}}
		o.Languages = []string{"fr"}
	default:
		o.Workplace = jobs.Remote
		o.Eligibility = remoteScopes.pick(r)
		o.Languages = []string{"en"}
	}
	if r.IntN(4) == 0 {
		o.Languages = nil
	}
	if r.IntN(20) == 0 {
		o.ValidThrough = ptrTime(now.Add(-24 * time.Hour))
	}
	return o
}

func (c *clustered) data(nProfiles, nOffers int) ([]profiles.Profile, []jobs.Offer) {
	return draw(c.profile, c.offer, nProfiles, nOffers)
}
