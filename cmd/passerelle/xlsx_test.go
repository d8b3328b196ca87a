package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// An officer imports the school's list as Excel keeps it (.xlsx): the
// first sheet is read as its CSV would be, bad rows named by their row in
// the sheet.
func TestProfilesImportWorkbook(t *testing.T) {
	data := t.TempDir()
	args := []string{"--data", data, "--http", "127.0.0.1:1"}
	file := filepath.Join("..", "..", "profiles", "testdata", "ecole-exemple.xlsx")
	code, out, errs := runCLI(t, context.Background(), "", append([]string{"profiles", "import"}, append(args, file)...)...)
	if code != 1 || !strings.Contains(out, "4 profils importés (4 nouveaux, 0 mis à jour), 4 lignes rejetées") ||
		!strings.Contains(out, "Excel .xlsx") || !strings.Contains(errs, "ligne 5, colonne « Adresse e-mail »") {
		t.Fatalf("import: code %d\n%s\n%s", code, out, errs)
	}
	code, out, _ = runCLI(t, context.Background(), "", append([]string{"profiles", "search", "--city", "Oujda"}, args...)...)
	if code != 0 || !strings.Contains(out, "Salma") {
		t.Errorf("search after the import: code %d\n%s", code, out)
	}
}
