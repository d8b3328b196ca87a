package profiles_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/profiles"
)

type lineWant struct {
	line  int
	field string
}

func lineErrors(t *testing.T, err error) []lineWant {
	t.Helper()
	if err == nil {
		return nil
	}
	var ie *profiles.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("error %v is not an *ImportError", err)
	}
	var out []lineWant
	for _, le := range ie.Lines {
		if !errors.Is(le, profiles.ErrInvalid) {
			t.Errorf("line %d error %v does not wrap ErrInvalid", le.Line, le)
		}
		if le.Field != "" && !strings.Contains(le.Error(), le.Field) {
			t.Errorf("line %d message %q does not name field %q", le.Line, le.Error(), le.Field)
		}
		out = append(out, lineWant{le.Line, le.Field})
	}
	return out
}

func TestImportFiles(t *testing.T) {
	cases := []struct {
		file    string
		wantIDs []string
		wantBad []lineWant
	}{
		{
			file:    "testdata/import.jsonl",
			wantIDs: []string{"g-0042", "g-0045", "g-0051"},
			wantBad: []lineWant{
				{3, "email"}, {4, "graduation_year"}, {6, "skils"}, {7, ""}, {8, "id"},
				{9, "availability"}, {10, "alerts.frequency"}, {11, ""}, {12, "id"},
			},
		},
		{
			file:    "testdata/bom-crlf.jsonl",
			wantIDs: []string{"bom-1", "crlf-2"},
			wantBad: []lineWant{{3, ""}, {4, "updated_at"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			f, err := os.Open(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			ps, err := profiles.Import(f)
			if got := profileIDs(ps); !slices.Equal(got, tc.wantIDs) {
				t.Errorf("imported %v, want %v", got, tc.wantIDs)
			}
			if got := lineErrors(t, err); !slices.Equal(got, tc.wantBad) {
				t.Errorf("line errors %v, want %v\n(%v)", got, tc.wantBad, err)
			}
		})
	}
}

func TestImportNormalizesAndKeepsValues(t *testing.T) {
	f, err := os.Open("testdata/import.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ps, _ := profiles.Import(f)
	if len(ps) != 3 {
		t.Fatalf("got %d profiles, want 3", len(ps))
	}
	omar := ps[1]
	if omar.Country != "MA" || omar.Locale != "en" || !slices.Equal(omar.Skills, []string{"Go", "SQL"}) ||
		omar.Availability != "2026-09-01" || omar.Alerts.Frequency != profiles.FrequencyDaily {
		t.Errorf("g-0045 not normalized: %+v", omar)
	}
	salma := ps[0]
	if salma.Name != "Salma B." || salma.GraduationYear != 2025 || !salma.Consent.Searchable ||
		!slices.Equal(salma.Seeking.Locations, []string{"Oujda", "Casablanca", "MA"}) {
		t.Errorf("g-0042 values lost: %+v", salma)
	}
	if want := time.Date(2026, 1, 31, 9, 0, 0, 0, time.UTC); !ps[2].UpdatedAt.Equal(want) {
		t.Errorf("updated_at = %v, want %v", ps[2].UpdatedAt, want)
	}
}

func TestImportErrorMessage(t *testing.T) {
	_, err := profiles.Import(strings.NewReader("{\"id\":\"a\",\"email\":\"x\"}\n\n{\"id\":\"b\",\"graduation_year\":\"2024\"}\n"))
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"2 line(s) rejected", "line 1: ", "email", "line 3: ", "graduation_year", "whole number"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	// Many bad lines: the message stays short.
	_, err = profiles.Import(strings.NewReader(strings.Repeat("x\n", 50)))
	if lines := lineErrors(t, err); len(lines) != 50 {
		t.Errorf("%d line errors, want 50", len(lines))
	}
	if !strings.Contains(err.Error(), "and 40 more") {
		t.Errorf("long message not capped: %q", err)
	}
}

func TestImportLongLine(t *testing.T) {
	long := `{"id":"big","headline":"` + strings.Repeat("a", profiles.MaxImportLine) + `"}`
	in := `{"id":"before"}` + "\n" + long + "\n" + `{"id":"after"}`
	ps, err := profiles.Import(strings.NewReader(in))
	if got := profileIDs(ps); !slices.Equal(got, []string{"before", "after"}) {
		t.Errorf("imported %v", got)
	}
	if got := lineErrors(t, err); !slices.Equal(got, []lineWant{{2, ""}}) {
		t.Errorf("line errors %v", got)
	}
}

type failingReader struct{ data *strings.Reader }

var errDisk = errors.New("disk on fire")

func (r failingReader) Read(p []byte) (int, error) {
	n, err := r.data.Read(p)
	if err != nil {
		return n, errDisk
	}
	return n, nil
}

func TestImportReadError(t *testing.T) {
	ps, err := profiles.Import(failingReader{strings.NewReader("{\"id\":\"a\"}\nbad\n")})
	if !errors.Is(err, errDisk) {
		t.Errorf("err = %v, want the read error", err)
	}
	var ie *profiles.ImportError
	if !errors.As(err, &ie) || len(ie.Lines) != 1 || ie.Lines[0].Line != 2 {
		t.Errorf("line errors lost with the read error: %v", err)
	}
	if !slices.Equal(profileIDs(ps), []string{"a"}) {
		t.Errorf("good lines before the read error lost: %v", profileIDs(ps))
	}
}

func TestExportRoundTrip(t *testing.T) {
	f, err := os.Open("testdata/import.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ps, _ := profiles.Import(f)

	var buf bytes.Buffer
	n, err := profiles.Export(context.Background(), &buf, profiles.EachOf(ps...))
	if err != nil || n != len(ps) {
		t.Fatalf("Export = %d, %v", n, err)
	}
	if lines := strings.Count(buf.String(), "\n"); lines != len(ps) {
		t.Errorf("%d lines, want %d", lines, len(ps))
	}
	back, err := profiles.Import(&buf)
	if err != nil {
		t.Fatalf("re-import: %v", err)
	}
	for i := range ps {
		if !reflectEqual(ps[i], back[i]) {
			t.Errorf("round trip %d:\n got %+v\nwant %+v", i, back[i], ps[i])
		}
	}
}

func reflectEqual(a, b profiles.Profile) bool {
	if !a.UpdatedAt.Equal(b.UpdatedAt) {
		return false
	}
	a.UpdatedAt, b.UpdatedAt = time.Time{}, time.Time{}
	var ba, bb bytes.Buffer
	_, _ = profiles.Export(context.Background(), &ba, profiles.EachOf(a))
	_, _ = profiles.Export(context.Background(), &bb, profiles.EachOf(b))
	return ba.String() == bb.String()
}

func TestExportStopsOnError(t *testing.T) {
	each := func(ctx context.Context, fn func(profiles.Profile) error) error {
		if err := fn(profiles.Profile{ID: "a"}); err != nil {
			return err
		}
		return errDisk
	}
	var buf bytes.Buffer
	n, err := profiles.Export(context.Background(), &buf, each)
	if !errors.Is(err, errDisk) || n != 1 {
		t.Errorf("Export = %d, %v; want 1, errDisk", n, err)
	}
}

func TestExportCSV(t *testing.T) {
	ps := []profiles.Profile{
		{ID: "g-1", Name: "Salma B.", Email: "salma@example.org", City: "Fès", Country: "MA", GraduationYear: 2025,
			Languages: []string{"fr", "ar"}, Skills: []string{"Python", "SQL, avancé"}, Availability: "immediate",
			Headline: "Data analyst, \"Big Data\""},
		{ID: "g-2", Name: "=HYPERLINK(\"http://evil.example\")", Headline: "@SUM(A1)", Skills: []string{"-2+3", "+cmd"}, City: " =1+1"},
	}
	var buf bytes.Buffer
	n, err := profiles.ExportCSV(context.Background(), &buf, profiles.EachOf(ps...))
	if err != nil || n != 2 {
		t.Fatalf("ExportCSV = %d, %v", n, err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("output is not valid CSV: %v", err)
	}
	want := [][]string{
		{"id", "name", "email", "city", "country", "graduation_year", "languages", "skills", "availability", "headline"},
		{"g-1", "Salma B.", "salma@example.org", "Fès", "MA", "2025", "fr; ar", "Python; SQL, avancé", "immediate", "Data analyst, \"Big Data\""},
		{"g-2", "'=HYPERLINK(\"http://evil.example\")", "", "' =1+1", "", "", "", "'-2+3; +cmd", "", "'@SUM(A1)"},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d: %q", len(rows), len(want), rows)
	}
	for i := range want {
		if !slices.Equal(rows[i], want[i]) {
			t.Errorf("row %d = %q\n         want %q", i, rows[i], want[i])
		}
	}
}

func TestCSVCell(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"Oujda", "Oujda"},
		{"=1+1", "'=1+1"},
		{"+212600000000", "'+212600000000"},
		{"-1", "'-1"},
		{"@cmd", "'@cmd"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"  =1", "'  =1"},
		{"＝1", "'＝1"},
		{"a=1", "a=1"},
		{"C++", "C++"},
		{"2025", "2025"},
	}
	for _, tc := range cases {
		if got := profiles.CSVCell(tc.in); got != tc.want {
			t.Errorf("CSVCell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzImport(f *testing.F) {
	for _, name := range []string{"testdata/import.jsonl", "testdata/bom-crlf.jsonl"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		for line := range bytes.SplitSeq(data, []byte("\n")) {
			f.Add(line)
		}
	}
	f.Add([]byte("null"))
	f.Add([]byte(`{"id":"x","skills":null,"seeking":{"locations":[1]}}`))
	const first, last = `{"id":"fuzz-first-kept","skills":["Go"]}`, `{"id":"fuzz-last-kept"}`
	f.Fuzz(func(t *testing.T, data []byte) {
		in := first + "\n" + string(data) + "\n" + last + "\n"
		ps, err := profiles.Import(strings.NewReader(in))
		totalLines := strings.Count(in, "\n")
		var ie *profiles.ImportError
		if err != nil && !errors.As(err, &ie) {
			t.Fatalf("error is not an *ImportError: %v", err)
		}
		if len(ps) == 0 || ps[0].ID != "fuzz-first-kept" {
			t.Fatalf("first good line lost: %v", profileIDs(ps))
		}
		if !bytes.Contains(data, []byte("fuzz-last-kept")) && ps[len(ps)-1].ID != "fuzz-last-kept" {
			t.Fatalf("last good line lost: %v (%v)", profileIDs(ps), err)
		}
		seen := map[string]bool{}
		for _, p := range ps {
			if err := p.Validate(); err != nil {
				t.Errorf("imported an invalid profile %+v: %v", p, err)
			}
			if seen[p.ID] {
				t.Errorf("duplicate id %q imported", p.ID)
			}
			seen[p.ID] = true
		}
		if ie != nil {
			prev := 0
			for _, le := range ie.Lines {
				if le.Line <= prev || le.Line < 2 || le.Line > totalLines {
					t.Errorf("line error on line %d (previous %d, %d lines, the first is good)", le.Line, prev, totalLines)
				}
				prev = le.Line
			}
			if len(ps)+len(ie.Lines) > totalLines {
				t.Errorf("%d profiles + %d errors > %d lines", len(ps), len(ie.Lines), totalLines)
			}
		}
	})
}
