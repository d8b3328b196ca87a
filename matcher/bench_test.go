package matcher

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
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
	langs := []string{"fr", "ar", "en"}
	if r.IntN(8) == 0 {
		langs = append(langs, []string{"es", "de"}[r.IntN(2)])
	}
	if r.IntN(10) == 0 {
		langs = langs[:2]
	}
	var locs []string
	for range 1 + r.IntN(3) {
		locs = append(locs, s.pickW(append(synthCities, "MA", "FR", "Paris"), []int{20, 20, 15, 5, 5, 5, 2, 3, 15, 5, 5}))
	}
	sen := [][]string{{"internship", "junior"}, {"junior"}, {"internship"}, {"junior", "mid"}, {"mid"}}[s.r.IntN(5)]
	emp := [][]string{{"full_time"}, {"full_time", "internship"}, {"internship"}, {"full_time", "contract"}, {}, {"apprenticeship", "internship"}}[r.IntN(6)]
	wp := [][]string{{"remote", "hybrid", "onsite"}, {"remote"}, {"onsite", "hybrid"}, {}, {"remote", "hybrid"}}[r.IntN(5)]
	return profiles.Profile{
		ID: fmt.Sprintf("g-%06d", i), Name: "Synthetic Graduate", Email: fmt.Sprintf("g%06d@example.org", i),
		City: "Oujda", Country: country, Headline: synthHeadlines[r.IntN(len(synthHeadlines))],
		Skills: labels, Languages: langs, GraduationYear: 2020 + r.IntN(7),
		Seeking: profiles.Seeking{Seniority: sen, Employment: emp, Workplace: wp, Locations: locs},
		Alerts:  profiles.Alerts{Frequency: "daily"}, Consent: profiles.Consent{Alerts: true},
	}
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

func synthData(seed uint64, nProfiles, nOffers int) ([]profiles.Profile, []jobs.Offer) {
	s := newSynth(seed)
	ps := make([]profiles.Profile, nProfiles)
	for i := range ps {
		ps[i] = s.profile(i)
	}
	os := make([]jobs.Offer, nOffers)
	for i := range os {
		os[i] = s.offer(i, testNow)
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

// TestIndexMemoryPerProfile builds the index of 100,000 profiles and
// checks it holds less than 1 KiB per profile.
func TestIndexMemoryPerProfile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 100,000 profiles")
	}
	const n = 100_000
	ps, os := synthData(7, n, 200)
	opts := synthOptions(os)
	before := heapAfterGC()
	ix := NewIndex(opts)
	for _, p := range ps {
		ix.Upsert(p)
	}
	after := heapAfterGC()
	per := float64(after-before) / n
	t.Logf("index of %d profiles: %.0f bytes per profile", ix.Len(), per)
	if per >= 1024 {
		t.Errorf("%.0f bytes per profile, want < 1024", per)
	}
	runtime.KeepAlive(ps)
	runtime.KeepAlive(ix)
}

// TestIndexTop10SameAsBruteForce compares the index with Score over every
// profile on realistic synthetic data (the benchmark's generator).
func TestIndexTop10SameAsBruteForce(t *testing.T) {
	nProfiles, nOffers := 3_000, 20
	if testing.Short() || raceEnabled {
		nProfiles, nOffers = 1_000, 8
	}
	ps, os := synthData(11, nProfiles, 300)
	opts := synthOptions(os)
	ix := NewIndex(opts)
	for _, p := range ps {
		ix.Upsert(p)
	}
	compared := 0
	for _, o := range os[:nOffers] {
		got := ix.Match(o)
		want := bruteForce(ps, o, ix.Options())
		if len(got) > 10 {
			got = got[:10]
		}
		if len(want) > 10 {
			want = want[:10]
		}
		sameMatches(t, "offer "+o.ID, got, want)
		compared += len(want)
	}
	if compared == 0 {
		t.Fatal("no matches to compare")
	}
}

// BenchmarkMatch measures offers matched per second against 100,000
// profiles on one core, and the brute-force scan (Score over every profile)
// on a sample of the same offers in the same run.
func BenchmarkMatch(b *testing.B) {
	const nProfiles = 100_000
	ps, os := synthData(42, nProfiles, 1000)
	opts := synthOptions(os)
	before := heapAfterGC()
	ix := NewIndex(opts)
	for _, p := range ps {
		ix.Upsert(p)
	}
	perProfile := float64(heapAfterGC()-before) / nProfiles

	// Brute force on a sample of offers, timed once.
	const sample = 5
	start, startCPU := time.Now(), cpuTime()
	for _, o := range os[:sample] {
		bruteForce(ps, o, ix.Options())
	}
	bruteRate := sample / time.Since(start).Seconds()
	bruteCPURate := sample / (cpuTime() - startCPU).Seconds()

	matches := 0
	i := 0
	var cpu0 time.Duration
	for b.Loop() {
		if i == 0 {
			cpu0 = cpuTime()
		}
		matches += len(ix.Match(os[i%len(os)]))
		i++
	}
	cpu := cpuTime() - cpu0
	rate := float64(i) / b.Elapsed().Seconds()
	b.ReportMetric(rate, "offers/s")
	b.ReportMetric(float64(i)/cpu.Seconds(), "offers/cpu-s")
	b.ReportMetric(bruteRate, "brute-offers/s")
	b.ReportMetric(float64(i)/cpu.Seconds()/bruteCPURate, "speedup")
	b.ReportMetric(float64(matches)/float64(i), "matches/offer")
	b.ReportMetric(perProfile, "index-B/profile")
}

// BenchmarkScore measures the index without building explained matches:
// candidate generation, gates and scoring of 100,000 profiles per offer.
func BenchmarkScore(b *testing.B) {
	const nProfiles = 100_000
	ps, os := synthData(42, nProfiles, 1000)
	ix := NewIndex(synthOptions(os))
	for _, p := range ps {
		ix.Upsert(p)
	}
	i, hits := 0, 0
	var cpu0 time.Duration
	for b.Loop() {
		if i == 0 {
			cpu0 = cpuTime()
		}
		o := os[i%len(os)]
		ix.mu.RLock()
		_, h := ix.rank(&o)
		ix.mu.RUnlock()
		hits += len(h)
		i++
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "offers/s")
	b.ReportMetric(float64(i)/cpu.Seconds(), "offers/cpu-s")
	b.ReportMetric(float64(hits)/float64(i), "matches/offer")
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
