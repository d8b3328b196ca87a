package jobs

import (
	"strconv"
	"strings"
	"time"
)

// dateLayouts are tried in order; the first that reads the whole string wins.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -0700 MST",
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02",
	"2006/01/02 15:04:05",
	"20060102",
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700",
	"Mon, 2 Jan 2006 15:04:05",
	"Mon, 02 Jan 2006 15:04:05 Z07:00",
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 MST",
	time.RFC822Z,
	time.RFC822,
	time.RFC850,
	time.ANSIC,
	time.UnixDate,
	"Mon Jan 2 15:04:05 2006 -0700",
	"2 Jan 2006",
	"2 January 2006",
	"January 2, 2006",
	"Jan 2, 2006",
	"January 2 2006",
	"Jan 2 2006",
	"Monday, January 2, 2006",
	"Mon, Jan 2, 2006",
}

// frenchMonths maps French (and a few German/Spanish) month names to English.
var frenchMonths = map[string]string{
	"janvier": "January", "fevrier": "February", "mars": "March", "avril": "April", "mai": "May",
	"juin": "June", "juillet": "July", "aout": "August", "septembre": "September", "octobre": "October",
	"novembre": "November", "decembre": "December", "janv": "Jan", "fevr": "Feb", "fev": "Feb",
	"avr": "Apr", "juil": "Jul", "sept": "Sep", "oct": "Oct", "nov": "Nov", "dec": "Dec",
	"januar": "January", "februar": "February", "marz": "March", "juni": "June", "juli": "July",
	"oktober": "October", "dezember": "December",
}

// ParseDate reads a date as sources write it: ISO 8601 variants, RFC 1123 and
// RFC 822 (RSS), "2020-10-20 20:28:32 UTC", epoch seconds or milliseconds as
// a string, "2026-11-20", "20/11/2026" (day first unless impossible), and
// "20 novembre 2026". The result is in UTC; ok=false when nothing fits or the
// year is implausible.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 80 {
		return time.Time{}, false
	}
	if t, ok := parseEpoch(s); ok {
		return t, true
	}
	cands := []string{s}
	if strings.HasSuffix(s, " UTC") || strings.HasSuffix(s, " GMT") {
		cands = append(cands, strings.TrimSpace(s[:len(s)-4]))
	}
	// "2006-01-02T15:04:05+01" (hour-only offset).
	if n := len(s); n > 19 && (s[n-3] == '+' || s[n-3] == '-') && s[10] == 'T' {
		cands = append(cands, s+":00")
	}
	if m := translateMonths(s); m != s {
		cands = append(cands, m)
	}
	for _, c := range cands {
		for _, l := range dateLayouts {
			if t, err := time.Parse(l, c); err == nil {
				return plausible(t)
			}
		}
	}
	if t, ok := parseSlashDate(s); ok {
		return plausible(t)
	}
	return time.Time{}, false
}

func plausible(t time.Time) (time.Time, bool) {
	if t.Year() < 1990 || t.Year() > 2200 {
		return time.Time{}, false
	}
	return t.UTC(), true
}

func parseEpoch(s string) (time.Time, bool) {
	digits := s
	if i := strings.IndexByte(s, '.'); i > 0 {
		digits = s[:i]
		if _, err := strconv.ParseUint(s[i+1:], 10, 64); err != nil {
			return time.Time{}, false
		}
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}, false
	}
	switch len(digits) {
	case 9, 10:
		return plausible(time.Unix(n, 0))
	case 12, 13:
		return plausible(time.UnixMilli(n))
	}
	return time.Time{}, false
}

func translateMonths(s string) string {
	fields := strings.Fields(s)
	changed := false
	for i, f := range fields {
		k := strings.TrimSuffix(fold(f), " ")
		if en, ok := frenchMonths[k]; ok {
			fields[i] = en
			changed = true
		}
		if k == "1er" {
			fields[i] = "1"
			changed = true
		}
	}
	if !changed {
		return s
	}
	return strings.Join(fields, " ")
}

// parseSlashDate reads dd/mm/yyyy or mm/dd/yyyy (and dots or dashes),
// day first unless the first number cannot be a month... or a day.
func parseSlashDate(s string) (time.Time, bool) {
	date, rest, _ := strings.Cut(s, " ")
	parts := strings.FieldsFunc(date, func(r rune) bool { return r == '/' || r == '.' || r == '-' })
	if len(parts) != 3 || len(parts[2]) != 4 {
		return time.Time{}, false
	}
	a, err1 := strconv.Atoi(parts[0])
	b, err2 := strconv.Atoi(parts[1])
	y, err3 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || err3 != nil {
		return time.Time{}, false
	}
	day, month := a, b
	if b > 12 && a <= 12 {
		day, month = b, a
	}
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return time.Time{}, false
	}
	h, m := 0, 0
	if rest = strings.TrimSpace(rest); rest != "" {
		hh, mm, ok := strings.Cut(rest, ":")
		if !ok {
			return time.Time{}, false
		}
		var e1, e2 error
		h, e1 = strconv.Atoi(hh)
		m, e2 = strconv.Atoi(mm[:min(2, len(mm))])
		if e1 != nil || e2 != nil || h > 23 || m > 59 || h < 0 || m < 0 {
			return time.Time{}, false
		}
	}
	t := time.Date(y, time.Month(month), day, h, m, 0, 0, time.UTC)
	if t.Day() != day {
		return time.Time{}, false // 31/02
	}
	return t, true
}
