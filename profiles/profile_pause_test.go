package profiles

import (
	"testing"
	"time"
)

// A pause lasts to the end of its day in Morocco, whatever the server's zone.
func TestAlertsPausedUntilTheEndOfTheDay(t *testing.T) {
	a := Alerts{PausedUntil: "2026-12-10"}
	for _, c := range []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC), true},
		{time.Date(2026, 12, 10, 22, 30, 0, 0, time.UTC), true}, // 23:30 in Casablanca (UTC+1)
		{time.Date(2026, 12, 10, 23, 30, 0, 0, time.UTC), false},
	} {
		if got := a.AlertsPaused(c.at); got != c.want {
			t.Errorf("paused at %v = %v, want %v", c.at, got, c.want)
		}
	}
	if (Alerts{}).AlertsPaused(time.Now()) || (Alerts{PausedUntil: "bientôt"}).AlertsPaused(time.Now()) {
		t.Error("no date, or a bad one, pauses nothing")
	}
	p := Profile{ID: "g", Alerts: Alerts{Frequency: FrequencyDaily, PausedUntil: "31/12/2026"}}
	if err := p.Validate(); err == nil {
		t.Error("a pause date in another format was accepted")
	}
}
