package profiles

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// workbook builds an .xlsx as Excel writes one: workbook, relationships,
// shared strings and the sheet, with extra parts given in more.
func workbook(t testing.TB, sheetName string, shared []string, sheetXML string, more map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	add := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	add("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)
	add("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="`+sheetName+`" sheetId="1" r:id="rId3"/><sheet name="Autre" sheetId="2" r:id="rId1"/></sheets></workbook>`)
	add("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/></Relationships>`)
	var ss strings.Builder
	ss.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	for _, s := range shared {
		ss.WriteString(s)
	}
	ss.WriteString(`</sst>`)
	add("xl/sharedStrings.xml", ss.String())
	add("xl/worksheets/sheet2.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+sheetXML+`</sheetData></worksheet>`)
	// The other sheet, which is not the first in the workbook's order.
	add("xl/worksheets/sheet1.xml", `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Email</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>wrong@example.org</t></is></c></row></sheetData></worksheet>`)
	for name, body := range more {
		add(name, body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestImportXLSX(t *testing.T) {
	shared := []string{
		`<si><t>Liste des lauréats 2025</t></si>`, // 0
		`<si><t>Nom complet</t></si>`,             // 1
		`<si><t>E-mail</t></si>`,                  // 2
		`<si><t>Compétences</t></si>`,             // 3
		`<si><t>Disponibilité</t></si>`,           // 4
		`<si><r><t>Hélène </t></r><r><rPr><b/></rPr><t>Amrani</t></r><rPh><t>ヘレン</t></rPh></si>`, // 5
		`<si><t>helene@example.org</t></si>`,                         // 6
		`<si><t xml:space="preserve">Python, SQL; Power BI</t></si>`, // 7
		`<si><t>سلمى بنعلي</t></si>`,                                 // 8
		`<si><t>pas une adresse</t></si>`,                            // 9
		`<si><t>Ville</t></si>`,                                      // 10
		`<si><t>Oujda</t></si>`,                                      // 11
	}
	sheet := `<row r="1"><c r="A1" t="s"><v>0</v></c></row>` +
		// Row 2 is empty (not even written), the header is on row 3.
		`<row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" t="s"><v>2</v></c><c r="C3" t="s"><v>3</v></c><c r="D3" t="s"><v>4</v></c><c r="F3" t="s"><v>10</v></c></row>` +
		// An Excel date serial (45931 = 2025-10-01) and a gap in column E.
		`<row r="4"><c r="A4" t="s"><v>5</v></c><c r="B4" t="s"><v>6</v></c><c r="C4" t="s"><v>7</v></c><c r="D4"><v>45931</v></c><c r="F4" t="s"><v>11</v></c></row>` +
		`<row r="5"><c r="A5" t="inlineStr"><is><t>Sami</t></is></c><c r="B5" t="s"><v>9</v></c></row>` +
		// Cells without references: in order.
		`<row r="7"><c t="s"><v>8</v></c><c t="inlineStr"><is><t>salma@example.org</t></is></c><c t="str"><v>Excel</v></c><c t="e"><v>#N/A</v></c></row>`
	data := workbook(t, "Lauréats", shared, sheet, nil)
	var got []Profile
	rep, err := ImportCSV(bytes.NewReader(data), 10, func(ps []Profile) error { got = append(got, ps...); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || rep.Imported != 2 || rep.Rejected != 1 {
		t.Fatalf("imported %d (%+v), errors %v", len(got), got, errorsOf(rep))
	}
	h, s := got[0], got[1]
	if h.Name != "Hélène Amrani" || h.Email != "helene@example.org" || h.City != "Oujda" ||
		strings.Join(h.Skills, "|") != "Python|SQL|Power BI" || h.Availability != "2025-10-01" {
		t.Errorf("first: %+v", h)
	}
	if s.Name != "سلمى بنعلي" || s.Email != "salma@example.org" || strings.Join(s.Skills, "|") != "Excel" {
		t.Errorf("second: %+v", s)
	}
	// The bad address is named on its row of the sheet.
	if len(rep.Errors) != 1 || rep.Errors[0].Line != 5 || rep.Errors[0].Field != "email" {
		t.Errorf("errors: %v", errorsOf(rep))
	}
	if rep.CSV == nil || !strings.Contains(rep.CSV.Encoding, "xlsx") || !strings.Contains(rep.CSV.Encoding, "Lauréats") {
		t.Errorf("info: %+v", rep.CSV)
	}
}

func TestImportXLSXRefusals(t *testing.T) {
	// An OpenDocument spreadsheet (a zip without xl/workbook.xml).
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("content.xml")
	w.Write([]byte("<office:document-content/>"))
	zw.Close()
	_, err := ImportCSV(bytes.NewReader(b.Bytes()), 10, func([]Profile) error { return nil })
	var nc *NotCSVError
	if !errors.As(err, &nc) || nc.Kind != ".ods" {
		t.Errorf("ods: %v", err)
	}
	for name, data := range map[string][]byte{
		"truncated zip": workbook(t, "F", nil, "", nil)[:200],
		"broken sheet":  workbook(t, "F", nil, `<row r="1"><c r="A1" t="inlineStr"><is><t>Email</t></is></c></row><row r="2"><c`, nil),
		"bad shared":    workbook(t, "F", []string{`<si><t>Email</si>`}, ``, nil),
		"far row":       workbook(t, "F", nil, `<row r="1"><c r="A1" t="inlineStr"><is><t>Email</t></is></c></row><row r="99999999"><c><v>1</v></c></row>`, nil),
	} {
		rep, err := ImportCSV(bytes.NewReader(data), 10, func([]Profile) error { return nil })
		if !errors.Is(err, ErrWorkbook) && !errors.Is(err, ErrCSVHeader) {
			t.Errorf("%s: err %v, rep %+v", name, err, rep)
		}
	}
	// A zip bomb: one sheet that inflates past the bound is refused, not
	// held in memory.
	defer func(old int64) { maxXLSXPart = old }(maxXLSXPart)
	maxXLSXPart = 1 << 20
	row := `<row><c t="inlineStr"><is><t>` + strings.Repeat("a", 1000) + `</t></is></c></row>`
	big := strings.Repeat(row, int(maxXLSXPart)/len(row)+10)
	data := workbook(t, "F", nil, `<row r="1"><c r="A1" t="inlineStr"><is><t>Email</t></is></c></row>`+big, nil)
	if len(data) > 64<<10 {
		t.Fatalf("bomb of %d bytes", len(data))
	}
	_, err = ImportCSV(bytes.NewReader(data), 1000, func([]Profile) error { return nil })
	if !errors.Is(err, ErrWorkbook) {
		t.Errorf("bomb: %v", err)
	}
}

func FuzzImportXLSXSheet(f *testing.F) {
	f.Add(`<row r="1"><c r="A1" t="inlineStr"><is><t>Email</t></is></c></row><row r="2"><c r="A2" t="s"><v>0</v></c></row>`)
	f.Add(`<row r="99999999"><c r="ZZZZ1"><v>1</v></c></row><row r="-1"><c r="A"/></row>`)
	f.Add(`<row><c t="b"><v>1</v></c><c t="s"><v>-5</v></c><c t="s"><v>99</v></c></row>`)
	f.Fuzz(func(t *testing.T, sheet string) {
		if len(sheet) > 4096 {
			return
		}
		data := workbook(t, "F", []string{`<si><t>a@example.org</t></si>`}, sheet, nil)
		_, _ = ImportCSV(bytes.NewReader(data), 10, func([]Profile) error { return nil })
	})
}

// The example list saved as an Excel workbook (testdata/make-xlsx.py: years
// as numbers, dates as date serials, line breaks inside cells) imports to
// the same profiles, and the same rejected rows on the same lines, as the
// list saved as CSV.
func TestImportXLSXSameAsCSV(t *testing.T) {
	read := func(name string) ([]Profile, []string) {
		f, err := os.Open(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var ps []Profile
		rep, err := ImportCSV(f, 100, func(b []Profile) error { ps = append(ps, b...); return nil })
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return ps, errorsOf(rep)
	}
	fromCSV, csvErrs := read("ecole-exemple.csv")
	fromXLSX, xlsxErrs := read("ecole-exemple.xlsx")
	if len(fromCSV) == 0 || !reflect.DeepEqual(fromCSV, fromXLSX) {
		t.Errorf("profiles differ:\ncsv  %+v\nxlsx %+v", fromCSV, fromXLSX)
	}
	// The CSV's date cell "le mois prochain" is text in both; Excel dates
	// are serials in the workbook.
	if !slices.Equal(csvErrs, xlsxErrs) {
		t.Errorf("errors differ:\ncsv  %q\nxlsx %q", csvErrs, xlsxErrs)
	}
}
