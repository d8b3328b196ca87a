package crawler

import (
	"testing"
	"time"
)

// "@every" schedules are aligned on the clock: two processes started at
// different moments have the same activations, and the activation a run
// belongs to is the same whenever in its period it is computed.
func TestScheduleAlignedAcrossProcesses(t *testing.T) {
	s, err := parseSchedule("@every 2m")
	if err != nil {
		t.Fatal(err)
	}
	a := time.Date(2026, 12, 7, 10, 0, 13, 0, time.UTC) // process A starts
	b := time.Date(2026, 12, 7, 10, 1, 41, 0, time.UTC) // process B starts
	if na, nb := s.Next(a), s.Next(b); !na.Equal(nb) || !na.Equal(time.Date(2026, 12, 7, 10, 2, 0, 0, time.UTC)) {
		t.Errorf("next activations %v and %v, want both 10:02:00", na, nb)
	}
	if la, lb := lastActivation(s, a), lastActivation(s, b); !la.Equal(lb) || !la.Equal(time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("current activations %v and %v, want both 10:00:00", la, lb)
	}
}

func TestLastActivationOfCronSpecs(t *testing.T) {
	at := time.Date(2026, 12, 7, 13, 47, 5, 0, time.UTC) // a Monday
	for _, c := range []struct {
		spec string
		want time.Time
	}{
		{"0 */6 * * *", time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)},
		{"@daily", time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)},
		{"30 8 * * 5", time.Date(2026, 12, 4, 8, 30, 0, 0, time.UTC)},   // last Friday
		{"0 0 1 * *", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)},     // monthly
		{"0 0 1 1 *", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},      // yearly
		{"47 13 * * *", time.Date(2026, 12, 7, 13, 47, 0, 0, time.UTC)}, // now is an activation
	} {
		s, err := parseSchedule(c.spec)
		if err != nil {
			t.Fatalf("%s: %v", c.spec, err)
		}
		if got := lastActivation(s, at); !got.Equal(c.want) {
			t.Errorf("%s: last activation %v, want %v", c.spec, got, c.want)
		}
	}
}
