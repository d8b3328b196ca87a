package profiles

import (
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// heapSampler is a reader over n bytes of one repeated line that records
// the live heap (after a GC) every sampleEvery bytes.
type heapSampler struct {
	line             []byte
	left, sinceProbe int
	sampleEvery      int
	maxLive          uint64
	pos              int
}

func (h *heapSampler) Read(p []byte) (int, error) {
	if h.left <= 0 {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && h.left > 0 {
		c := copy(p[n:], h.line[h.pos:])
		c = min(c, h.left)
		n += c
		h.left -= c
		h.pos = (h.pos + c) % len(h.line)
	}
	h.sinceProbe += n
	if h.sinceProbe >= h.sampleEvery {
		h.sinceProbe = 0
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		h.maxLive = max(h.maxLive, ms.HeapAlloc)
	}
	return n, nil
}

// TestImportOfBadLinesKeepsMemoryFlat: 30 MB of bad lines keep at most
// MaxKeptLineErrors errors, count every one, and the live heap stays
// about the same as for 3 MB (an officer's 10 MB of bad lines once took
// 3.4 GB and a 638 MB answer).
func TestImportOfBadLinesKeepsMemoryFlat(t *testing.T) {
	line := []byte(`{"id":"bad id with spaces","name":"` + strings.Repeat("x", 200) + `"}` + "\n")
	live := func(size int) (uint64, ImportReport) {
		runtime.GC()
		var base runtime.MemStats
		runtime.ReadMemStats(&base)
		h := &heapSampler{line: line, left: size, sampleEvery: 1 << 20}
		rep, err := ImportEach(h, 100, func([]Profile) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		if h.maxLive < base.HeapAlloc {
			return 0, rep
		}
		return h.maxLive - base.HeapAlloc, rep
	}
	small, repSmall := live(3 << 20)
	big, repBig := live(30 << 20)
	wantLines := (30 << 20) / len(line)
	if repBig.Rejected < wantLines || repBig.Imported != 0 {
		t.Errorf("rejected %d, imported %d; want >= %d rejected", repBig.Rejected, repBig.Imported, wantLines)
	}
	if len(repBig.Errors) != MaxKeptLineErrors || len(repSmall.Errors) != MaxKeptLineErrors {
		t.Errorf("kept %d and %d line errors, want %d", len(repBig.Errors), len(repSmall.Errors), MaxKeptLineErrors)
	}
	if big > small+4<<20 {
		t.Errorf("live heap grew by %d bytes for 30 MB of input against %d for 3 MB: not flat", big, small)
	}
	if msg := repBig.Err().Error(); len(msg) > 4000 || !strings.Contains(msg, strconv.Itoa(repBig.Rejected)) {
		t.Errorf("error message of %d bytes: %.200s", len(msg), msg)
	}
}

// TestMergeImportKeepsTheGraduatesChoices: consent and alert settings the
// graduate set survive an officer's import; a profile the graduate
// manages gets only the school's fields from it.
func TestMergeImportKeepsTheGraduatesChoices(t *testing.T) {
	now := time.Now()
	imported := Profile{ID: "g-1", Name: "Salma", Email: "salma@example.org", Cohort: "LP 2025", GraduationYear: 2025, Skills: []string{"Excel"},
		Consent: Consent{Alerts: true, Searchable: true, Recruiters: true}, Alerts: Alerts{Frequency: FrequencyInstant},
		Source: SourceSelf} // a file cannot pass for the graduate
	first := MergeImport(nil, imported, now)
	if first.Source != SourceImport || first.Consent.SetBy != SetBySchool || first.Alerts.SetBy != SetBySchool {
		t.Fatalf("new import = %+v", first)
	}
	// The graduate withdrew consent to be searchable and turned alerts off.
	withdrawn := first
	withdrawn.Consent = Consent{Alerts: false, Searchable: false, SetBy: SetByGraduate}
	withdrawn.Alerts = Alerts{Frequency: FrequencyOff, SetBy: SetByGraduate}
	again := MergeImport(&withdrawn, imported, now)
	if again.Consent.Searchable || again.Consent.Alerts || again.Alerts.Frequency != FrequencyOff {
		t.Errorf("import undid the graduate's withdrawal: %+v %+v", again.Consent, again.Alerts)
	}
	if !slices.Equal(again.Skills, []string{"Excel"}) {
		t.Errorf("school data not updated on an imported profile: %v", again.Skills)
	}
	// Once the graduate manages the profile, only school fields change.
	self := withdrawn
	self.Source, self.Skills, self.Headline = SourceSelf, []string{"Python", "SQL"}, "Data analyst"
	upd := imported
	upd.Cohort, upd.GraduationYear, upd.Skills, upd.Headline = "Master 2026", 2026, []string{"Word"}, "Secrétaire"
	got := MergeImport(&self, upd, now)
	if got.Cohort != "Master 2026" || got.GraduationYear != 2026 || !slices.Equal(got.Skills, []string{"Python", "SQL"}) || got.Headline != "Data analyst" || got.Source != SourceSelf {
		t.Errorf("self-managed profile after import = %+v", got)
	}
}
