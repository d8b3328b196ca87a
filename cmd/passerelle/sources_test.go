package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// sourcesFile writes a sources config and returns its path.
func sourcesFile(t *testing.T, srcs ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "sources.json")
	if err := os.WriteFile(p, []byte(`{"sources":[`+strings.Join(srcs, ",")+`]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func localSourceJSON(name, u string, enabled bool) string {
	return fmt.Sprintf(`{"name":%q,"kind":"auto","url":%q,"allow_private":true,"enabled":%v,"schedule":"@every 6h",
	 "terms":{"attribution":"Partner %s","attribution_url":"https://partner.example","email_allowed":true,"min_poll_interval":"1h"}}`, name, u, enabled, name)
}

// sources check against local servers serving an allow-all, a disallow-all
// and a broken robots.txt: allowed or not for our User-Agent, the HTTP
// status, postings read and open to Morocco, the terms to confirm by hand.
func TestSourcesCheckCommand(t *testing.T) {
	page := extractJobPage
	allow := newCountingSite(t, map[string]string{"/robots.txt": "User-agent: *\nDisallow:\n", "/jobs": page})
	deny := newCountingSite(t, map[string]string{"/robots.txt": "User-agent: *\nDisallow: /\n", "/jobs": page})
	var brokenJobs atomic.Int32
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/jobs" {
			brokenJobs.Add(1)
		}
		http.Error(w, "down", http.StatusInternalServerError) // robots.txt too
	}))
	t.Cleanup(broken.Close)
	f := sourcesFile(t, localSourceJSON("allow", allow.URL+"/jobs", false),
		localSourceJSON("deny", deny.URL+"/jobs", true), localSourceJSON("broken", broken.URL+"/jobs", true))
	data := t.TempDir()
	ctx := context.Background()
	code, out, errs := runCLI(t, ctx, "", "sources", "check", "--sources", f, "--data", data, "--http", "127.0.0.1:1")
	if code != 1 || !strings.Contains(errs, "2 of 3 source(s) did not pass the check: deny, broken") {
		t.Fatalf("code %d, stderr:\n%s\nstdout:\n%s", code, errs, out)
	}
	for _, want := range []string{
		"== allow (jsonld) " + allow.URL + "/jobs",
		"robots.txt  HTTP 200, allowed for PasserelleBot",
		"page        HTTP 200, 1 posting(s) read, 1 offer(s), 1 open to Morocco",
		"sample      Data Analyst junior — Atlas Data (Oujda, MA) [open to MA]",
		"[ ] credit the source as: Partner allow",
		"[ ] offers may be e-mailed: yes",
		"[ ] minimum interval between polls: 1h",
		"robots.txt  HTTP 200, disallowed for PasserelleBot",
		"robots.txt  HTTP 500, disallowed",
		"RFC 9309",
		"result      OK",
		"result      NOT OK",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if deny.count("/jobs") != 0 || brokenJobs.Load() != 0 || allow.count("/jobs") != 1 {
		t.Errorf("pages fetched: allow %d, deny %d, broken %d; want 1, 0, 0", allow.count("/jobs"), deny.count("/jobs"), brokenJobs.Load())
	}
	// One named source that passes: exit 0. Within its owner's interval
	// (1h) the page is not read again unless forced.
	if code, out, errs = runCLI(t, ctx, "", "sources", "check", "allow", "--force", "--sources", f, "--data", data, "--http", "127.0.0.1:1"); code != 0 || allow.count("/jobs") != 2 {
		t.Errorf("forced check of allow: code %d, page read %d times\n%s\n%s", code, allow.count("/jobs"), out, errs)
	}
	if code, out, _ = runCLI(t, ctx, "", "sources", "check", "allow", "--sources", f, "--data", data, "--http", "127.0.0.1:1"); code != 1 || allow.count("/jobs") != 2 || !strings.Contains(out, "one request every 1h") {
		t.Errorf("check within the interval: code %d, page read %d times\n%s", code, allow.count("/jobs"), out)
	}
	if code, _, errs = runCLI(t, ctx, "", "sources", "frobnicate", "--data", data); code != 2 || !strings.Contains(errs, "unknown subcommand") {
		t.Errorf("unknown subcommand: %d %s", code, errs)
	}
}

// sources enable records who and when; sources add refuses a private
// address, dry-runs and adds a good page, and the list shows who did what.
func TestSourcesEnableAndAddCommands(t *testing.T) {
	site := newCountingSite(t, map[string]string{"/robots.txt": "User-agent: *\nDisallow:\n", "/careers": extractJobPage, "/jobs": extractJobPage})
	f := sourcesFile(t, localSourceJSON("board", site.URL+"/jobs", false))
	data := t.TempDir()
	ctx := context.Background()
	common := []string{"--sources", f, "--data", data, "--http", "127.0.0.1:1"}
	run := func(args ...string) (int, string, string) { return runCLI(t, ctx, "", append(args, common...)...) }

	t.Setenv("USER", "")
	t.Setenv("PASSERELLE_USER", "")
	if code, _, errs := run("sources", "enable", "board"); code != 2 || !strings.Contains(errs, "--by") {
		t.Errorf("enable without --by: %d %s", code, errs)
	}
	if code, _, errs := run("sources", "enable", "nope", "--by", "Youssef"); code != 1 || !strings.Contains(errs, "unknown source") {
		t.Errorf("enable unknown: %d %s", code, errs)
	}
	code, out, errs := run("sources", "enable", "board", "--by", "Youssef")
	if code != 0 || !strings.Contains(out, "board: enabled by Youssef") {
		t.Fatalf("enable: %d %s %s", code, out, errs)
	}
	if _, out, _ = run("sources"); !strings.Contains(out, "enabled by Youssef") || strings.Contains(lineOf(out, "board"), "disabled") {
		t.Errorf("list after enable:\n%s", out)
	}

	code, out, errs = run("sources", "add", site.URL+"/careers", "--by", "Salma")
	if code != 1 || !strings.Contains(out, "private address") || site.count("/careers") != 0 {
		t.Errorf("loopback page added: code %d, %d requests\n%s\n%s", code, site.count("/careers"), out, errs)
	}
	code, out, errs = run("sources", "add", site.URL+"/careers", "--by", "Salma", "--name", "partner", "--dry-run", "--allow-private")
	if code != 0 || !strings.Contains(out, "Dry run: nothing was added") || !strings.Contains(out, "1 open to Morocco") {
		t.Fatalf("dry run: %d\n%s\n%s", code, out, errs)
	}
	if _, out, _ = run("sources"); strings.Contains(out, "partner") {
		t.Errorf("a dry run added the source:\n%s", out)
	}
	if code, out, errs = run("sources", "add", site.URL+"/careers", "--by", "Salma", "--name", "partner", "--allow-private"); code != 0 || !strings.Contains(out, `Added "partner" by Salma`) {
		t.Fatalf("add: %d\n%s\n%s", code, out, errs)
	}
	_, out, _ = run("sources")
	if l := lineOf(out, "partner"); !strings.Contains(l, "jsonld") || !strings.Contains(l, "added by Salma") || strings.Contains(l, "disabled") {
		t.Errorf("added source listed as %q:\n%s", l, out)
	}
}

func lineOf(table, name string) string {
	for _, l := range strings.Split(table, "\n") {
		if f := strings.Fields(l); len(f) > 0 && f[0] == name {
			return l
		}
	}
	return ""
}
