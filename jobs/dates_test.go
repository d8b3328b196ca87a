package jobs

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	utc := func(y int, m time.Month, d, h, mi, s int) time.Time { return time.Date(y, m, d, h, mi, s, 0, time.UTC) }
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2020-10-20 20:28:32 UTC", utc(2020, 10, 20, 20, 28, 32), true},
		{"1603225712", utc(2020, 10, 20, 20, 28, 32), true},
		{"1603225712000", utc(2020, 10, 20, 20, 28, 32), true},
		{"1786813232", utc(2026, 8, 15, 17, 0, 32), true}, // himalayas pubDate
		{"2026-11-20", utc(2026, 11, 20, 0, 0, 0), true},
		{"2026-08-15T15:28:49+00:00", utc(2026, 8, 15, 15, 28, 49), true}, // jobicy
		{"2020-10-20T20:28:32+02:00", utc(2020, 10, 20, 18, 28, 32), true},
		{"2020-10-20T20:28:32", utc(2020, 10, 20, 20, 28, 32), true},
		{"2020-10-20T20:28:32+0200", utc(2020, 10, 20, 18, 28, 32), true},
		{"2020-10-20T20:28:32+02", utc(2020, 10, 20, 18, 28, 32), true},
		{"Tue, 20 Oct 2020 20:28:32 GMT", utc(2020, 10, 20, 20, 28, 32), true},
		{"Tue, 20 Oct 2020 20:28:32 +0000", utc(2020, 10, 20, 20, 28, 32), true},
		{"Tue, 6 Oct 2020 20:28:32 -0500", utc(2020, 10, 7, 1, 28, 32), true},
		{"20 Oct 20 20:28 +0000", utc(2020, 10, 20, 20, 28, 0), true},
		{"20/11/2026", utc(2026, 11, 20, 0, 0, 0), true},
		{"11/20/2026", utc(2026, 11, 20, 0, 0, 0), true},
		{"20.11.2026", utc(2026, 11, 20, 0, 0, 0), true},
		{"20 novembre 2026", utc(2026, 11, 20, 0, 0, 0), true},
		{"1er décembre 2026", utc(2026, 12, 1, 0, 0, 0), true},
		{"November 20, 2026", utc(2026, 11, 20, 0, 0, 0), true},
		{"31/02/2026", time.Time{}, false},
		{"yesterday", time.Time{}, false},
		{"", time.Time{}, false},
		{"0", time.Time{}, false},
		{"1800-01-01", time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseDate(tt.in)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
		if ok && got.Location() != time.UTC {
			t.Errorf("ParseDate(%q) not UTC", tt.in)
		}
	}
}

func TestRelativeDate(t *testing.T) {
	now := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	day := func(d int) time.Time { return time.Date(2026, 11, 20-d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"today", day(0), true}, {"Aujourd'hui", day(0), true}, {"hier", day(1), true},
		{"3 days ago", day(3), true}, {"il y a 2 jours", day(2), true}, {"Posted 30+ days ago", day(30), true},
		{"il y a 1 semaine", day(7), true}, {"5 hours ago", now.Truncate(time.Hour), true},
		{"3 days", time.Time{}, false}, {"soon", time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := relativeDate(tt.in, now)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("relativeDate(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2020-10-20 20:28:32 UTC", "1603225712", "1603225712000", "2026-11-20", "Tue, 20 Oct 2020 20:28:32 GMT", "20/11/2026 10:30", "20 novembre 2026", "2020-10-20T20:28:32+02", "1.5", "99/99/9999 99:99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseDate(s)
		if !ok {
			if !got.IsZero() {
				t.Errorf("not ok but %v", got)
			}
			return
		}
		if got.Year() < 1990 || got.Year() > 2200 || got.Location() != time.UTC {
			t.Errorf("ParseDate(%q) = %v", s, got)
		}
	})
}
