package golit

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestStrings(t *testing.T) {
	dir := t.TempDir()
	src := "package x\n\nvar a = \"one\"\nvar b = `two`\nvar c = 'c'\nvar d = []string{\"one\", \"\\u00e9\"}\n"
	if err := os.WriteFile(filepath.Join(dir, "x.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Strings(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"one", "two", "one", "é"}; !slices.Equal(got, want) {
		t.Fatalf("Strings = %q, want %q", got, want)
	}
	if _, err := Strings(filepath.Join(dir, "*.none")); err == nil {
		t.Fatal("no error for a pattern matching nothing")
	}
	if err := os.WriteFile(filepath.Join(dir, "bad.go"), []byte("package"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Strings(filepath.Join(dir, "*.go")); err == nil {
		t.Fatal("no error for a file that does not parse")
	}
}
