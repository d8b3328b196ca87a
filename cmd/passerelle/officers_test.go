package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/internal/app"
	"github.com/passerelle/passerelle/profiles"
)

// TestScopedOfficerCLI: the CLI with a scoped officer's --token, through
// the running server, sees, counts, exports and imports only the
// officer's cohorts; what spans every school is refused; without a
// running server --token refuses to read the stores around it.
func TestScopedOfficerCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("starts NATS and an HTTP server")
	}
	data := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.Start(ctx, app.Config{DataDir: data, HTTPAddr: "127.0.0.1:0", Components: []string{app.Serve},
		NoCrawlOnStart: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = a.Wait() })
	args := []string{"--data", data, "--http", a.HTTPAddr()}
	// cli runs a command with the server's flags, flags before the
	// positional words (Go's flag package stops at the first of those).
	cli := func(stdin string, words ...string) (int, string, string) {
		t.Helper()
		n := 2
		if words[0] == "dead" {
			n = 1
		}
		cmd := append([]string{}, words[:n]...)
		cmd = append(cmd, args...)
		var pos []string
		for i := n; i < len(words); i++ {
			switch {
			case words[i] == "--csv":
				cmd = append(cmd, words[i])
			case strings.HasPrefix(words[i], "--"):
				cmd = append(cmd, words[i], words[i+1])
				i++
			default:
				pos = append(pos, words[i])
			}
		}
		return runCLI(t, context.Background(), stdin, append(cmd, pos...)...)
	}

	code, out, errs := cli("", "officers", "add", "ENSAO insertion", "--cohort", "ENSAO - Genie informatique 2025", "--cohort", "ENSAO — GI 2026")
	m := regexp.MustCompile(`jeton \(token, shown once\): (\S+)`).FindStringSubmatch(out)
	if code != 0 || m == nil || !strings.Contains(out, "ENSAO - Genie informatique 2025 | ENSAO — GI 2026") {
		t.Fatalf("officers add --cohort: %d\n%s\n%s", code, out, errs)
	}
	tok := m[1]
	if code, out, _ := cli("", "officers", "list"); code != 0 || !strings.Contains(out, "ENSAO insertion\tENSAO - Genie informatique 2025 | ENSAO — GI 2026") {
		t.Errorf("officers list: %d\n%s", code, out)
	}
	in := filepath.Join(t.TempDir(), "all.jsonl")
	all := `{"id":"e1","name":"Amine Ensao","email":"e1@example.org","cohort":"ENSAO — Génie informatique 2025","skills":["Python"],"consent":{"searchable":true}}
{"id":"e2","name":"Badr Ensao","email":"e2@example.org","cohort":"ENSAO — GI 2026","skills":["SQL"],"consent":{"searchable":true}}
{"id":"e3","name":"Chama Ensao","email":"e3@example.org","cohort":"ENSAO — GI 2026","consent":{"searchable":false}}
{"id":"f1","name":"Fadwa Fso","email":"f1@example.org","cohort":"FSO — Master IA 2025","skills":["Python"],"consent":{"searchable":true}}
`
	if err := os.WriteFile(in, []byte(all), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := cli("", "profiles", "import", in); code != 0 {
		t.Fatalf("admin import: %d\n%s\n%s", code, out, errs)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, out, _ := cli("", "profiles", "search")
		if strings.Count(out, "\n") == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the index has not caught up:\n%s", out)
		}
		time.Sleep(50 * time.Millisecond)
	}

	ids := func(out string) string {
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			var p profiles.Profile
			if l != "" && json.Unmarshal([]byte(l), &p) == nil {
				got = append(got, p.ID)
			}
		}
		return strings.Join(got, ",")
	}
	for _, c := range []struct {
		words []string
		want  string
	}{
		{[]string{"profiles", "search"}, "e1,e2"},
		{[]string{"profiles", "search", "--skills", "python"}, "e1"},
		{[]string{"profiles", "search", "--cohort", "FSO — Master IA 2025"}, ""},
		{[]string{"profiles", "search", "--q", "Fadwa"}, ""},
		{[]string{"profiles", "export"}, "e1,e2"},
		{[]string{"profiles", "export", "--cohort", "FSO — Master IA 2025"}, ""},
	} {
		code, out, errs := cli("", append(c.words, "--token", tok)...)
		if code != 0 || ids(out) != c.want {
			t.Errorf("%v --token: %d %q, want %q\n%s", c.words, code, ids(out), c.want, errs)
		}
	}
	if _, out, _ := cli("", "profiles", "search", "--skills", "python"); ids(out) != "e1,f1" {
		t.Errorf("admin search: %q", ids(out))
	}
	code, out, _ = cli("", "profiles", "export", "--csv", "--token", tok)
	if code != 0 || !strings.Contains(out, "Amine Ensao") || strings.Contains(out, "Fso") || strings.Contains(out, "Chama") {
		t.Errorf("export --csv --token: %d\n%s", code, out)
	}
	code, out, _ = cli("", "insights", "market", "--token", tok)
	var mk struct {
		Graduates int `json:"graduates"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &mk) != nil || mk.Graduates != 2 {
		t.Errorf("insights market --token: %d %d graduates\n%s", code, mk.Graduates, out)
	}

	// Import: another school's rows refused per line, in French.
	sheet := filepath.Join(t.TempDir(), "promo.csv")
	if err := os.WriteFile(sheet, []byte("Nom;Adresse e-mail;Promotion\nDina Ensao;e4@example.org;ENSAO — GI 2026\nIntrus;x1@example.org;FSO — Master IA 2025\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs = cli("", "profiles", "import", sheet, "--token", tok)
	if code != 1 || !strings.Contains(out, "1 profils importés") || !strings.Contains(errs, `ligne 3, colonne « Promotion » : la promotion "FSO — Master IA 2025" n'est pas une promotion de votre établissement`) {
		t.Errorf("scoped import: %d\n%s\n%s", code, out, errs)
	}

	// What spans every school, and officers' management.
	for _, words := range [][]string{{"dead"}, {"feedback", "export"}, {"officers", "list"}, {"profiles", "erase", "f1"}} {
		if code, out, errs := cli("", append(words, "--token", tok)...); code == 0 {
			t.Errorf("%v --token: allowed\n%s\n%s", words, out, errs)
		}
	}
	if code, out, _ := cli("", "profiles", "search", "--q", "Fadwa"); code != 0 || ids(out) != "f1" {
		t.Errorf("f1 erased by another school's officer: %q", out)
	}

	// Without a running server, --token does not read the stores.
	code, _, errs = runCLI(t, context.Background(), "", "profiles", "search", "--token", tok, "--data", data, "--http", "127.0.0.1:1")
	if code != 2 || !strings.Contains(errs, "--token works through a running Passerelle only") {
		t.Errorf("--token without a server: %d %s", code, errs)
	}
}
