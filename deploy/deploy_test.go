// Package deploy holds deployment files; its test checks them against the
// binary's source (commands, environment variables) and the Meilisearch
// version floor. It does not run them (no Docker, Kubernetes or systemd
// on the development machines).
package deploy

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var files = []string{"compose.yaml", "k8s/passerelle.yaml", "systemd/passerelle@.service", "Dockerfile", "README.md"}

// binaryEnv returns the environment variables cmd/passerelle and
// internal/app read.
func binaryEnv(t *testing.T) map[string]bool {
	t.Helper()
	re := regexp.MustCompile(`(?:envOr|envInt|envDuration|Getenv)\("([A-Z_]+)"`)
	out := map[string]bool{}
	for _, dir := range []string{"../cmd/passerelle", "../internal/app"} {
		paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(paths) == 0 {
			t.Fatalf("no Go files in %s: %v", dir, err)
		}
		for _, p := range paths {
			if strings.HasSuffix(p, "_test.go") {
				continue
			}
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				out[m[1]] = true
			}
		}
	}
	return out
}

func TestEnvironmentVariablesExist(t *testing.T) {
	known := binaryEnv(t)
	// Variables of other programs set in these files.
	others := map[string]bool{"MEILI_MASTER_KEY": true, "MEILI_ENV": true, "POD_NAME": true}
	re := regexp.MustCompile(`\b(PASSERELLE_[A-Z_]+|MEILI_[A-Z_]+)\b`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllString(string(b), -1) {
			if !known[m] && !others[m] {
				t.Errorf("%s names %s, which the binary does not read", f, m)
			}
		}
	}
	for _, v := range []string{"PASSERELLE_REPLICAS", "PASSERELLE_NATS", "MEILI_URL", "MEILI_KEY", "PASSERELLE_HTTP"} {
		if !known[v] {
			t.Errorf("the binary no longer reads %s: update this test and the files", v)
		}
	}
}

func TestCommandsExist(t *testing.T) {
	main, err := os.ReadFile("../cmd/passerelle/main.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"crawl", "match", "notify", "serve"} {
		if !strings.Contains(string(main), `"`+c+`"`) {
			t.Errorf("cmd/passerelle has no command %q", c)
		}
	}
	component := regexp.MustCompile(`(?:command|args): \["([a-z]+)"`)
	for _, f := range []string{"compose.yaml", "k8s/passerelle.yaml"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, m := range component.FindAllStringSubmatch(string(b), -1) {
			switch m[1] {
			case "crawl", "match", "notify", "serve":
				seen[m[1]] = true
			default:
				t.Errorf("%s runs %q, not a component command", f, m[1])
			}
			if strings.Contains(m[0], "--replicas") {
				t.Errorf("%s: set PASSERELLE_REPLICAS instead of --replicas", f)
			}
		}
		if len(seen) != 4 {
			t.Errorf("%s runs %v, want the four components", f, seen)
		}
	}
	unit, err := os.ReadFile("systemd/passerelle@.service")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(unit), "ExecStart=/usr/local/bin/passerelle %i ") {
		t.Error("the systemd unit does not run the component named by the instance")
	}
}

func TestMeilisearchVersion(t *testing.T) {
	b, err := os.ReadFile("compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`getmeili/meilisearch:v(\d+)\.(\d+)`).FindStringSubmatch(string(b))
	if m == nil {
		t.Fatal("compose.yaml has no pinned getmeili/meilisearch:vX.Y image")
	}
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[2])
	if major < 1 || major == 1 && minor < 12 {
		t.Errorf("compose.yaml runs Meilisearch v%d.%d; Passerelle needs v1.12 or later", major, minor)
	}
}
