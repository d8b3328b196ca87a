package app

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// A file the importer cannot read (an .ods, .xls or PDF, a damaged
// workbook) is the sender's to fix: 422 with how to save it as CSV, in the
// asked language; a file without a usable header is a 422 too, never
// "import stopped" (503).
func TestImportAPIRefusesWorkbooks(t *testing.T) {
	if testing.Short() {
		t.Skip("starts NATS")
	}
	h := newHarness(t)
	a, _ := h.start([]string{Serve})
	tok, err := AdminToken(h.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, lang, body, want string
	}{
		{"ods fr", "fr", odsFile(t), "Enregistrer sous"},
		{"damaged xlsx", "fr", "PK\x03\x04\x14\x00\x06\x00\x08\x00[Content_Types].xml", "cannot be read"},
		{"xls ar", "ar", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00\x00", "حفظ باسم"},
		{"pdf en", "", "%PDF-1.4\n", "Save As"},
		{"no header", "fr", "Nom;Ville\nSalma;Oujda\n", "e-mail"},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, raw := postImport(t, a.HTTPAddr(), tok, "?lang="+c.lang, strings.NewReader(c.body))
			var res struct {
				Imported int    `json:"imported"`
				Error    string `json:"error"`
			}
			if err := json.Unmarshal(raw, &res); err != nil {
				t.Fatalf("%d %s", status, raw)
			}
			if status != http.StatusUnprocessableEntity || res.Imported != 0 || !strings.Contains(res.Error, c.want) {
				t.Errorf("status %d, answer %s", status, raw)
			}
		})
	}
}

// odsFile is a LibreOffice spreadsheet as far as the importer can tell: a
// zip without an Excel workbook in it.
func odsFile(t *testing.T) string {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create("content.xml")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write([]byte("<office:document-content/>"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// postImport posts body to the import API of the instance at addr with
// the bearer token tok; query starts with "?" when given.
func postImport(t *testing.T, addr, tok, query string, body io.Reader) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/api/profiles/import"+query, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, raw
}
