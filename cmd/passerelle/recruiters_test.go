package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
)

// TestRecruitersCLI: "recruiters add" on the data dir (no server running)
// prints a token once; "list" shows the company; the same company again is
// refused; "remove" takes it away and a second remove fails.
func TestRecruitersCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("starts NATS")
	}
	data := t.TempDir()
	ctx := context.Background()
	// An address where nothing answers: the commands act on the data dir.
	args := []string{"--data", data, "--http", "127.0.0.1:1"}
	code, out, errs := runCLI(t, ctx, "", append([]string{"recruiters", "add"}, append(args, "Atlas Data Maroc")...)...)
	m := regexp.MustCompile(`jeton \(token, shown once\): (\S{32,})`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("recruiters add: %d\n%s\n%s", code, out, errs)
	}
	if code, out, _ := runCLI(t, ctx, "", append([]string{"recruiters", "list"}, args...)...); code != 0 || strings.TrimSpace(out) != "Atlas Data Maroc" {
		t.Errorf("recruiters list: %d %q", code, out)
	}
	if code, _, errs := runCLI(t, ctx, "", append([]string{"recruiters", "add"}, append(args, "atlas-data MAROC")...)...); code == 0 || !strings.Contains(errs, "exists already") {
		t.Errorf("the same company twice: %d %s", code, errs)
	}
	if code, out, _ := runCLI(t, ctx, "", append([]string{"recruiters", "remove"}, append(args, "atlas data maroc")...)...); code != 0 || !strings.Contains(out, "retiré") {
		t.Errorf("recruiters remove: %d %s", code, out)
	}
	if code, _, _ := runCLI(t, ctx, "", append([]string{"recruiters", "remove"}, append(args, "Atlas Data Maroc")...)...); code == 0 {
		t.Error("removing twice succeeded")
	}
	if code, _, _ := runCLI(t, ctx, "", "recruiters", "promote"); code != 2 {
		t.Errorf("unknown subcommand: exit %d, want 2", code)
	}
}
