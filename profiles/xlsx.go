package profiles

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// Excel workbooks (.xlsx), as placement offices keep their lists: the
// first sheet is read as the CSV importer would read it saved as CSV, row
// numbers included (an empty row of the sheet is an empty line).

// Bounds of a workbook read: the file itself, and what one of its parts
// may inflate to (a zip of a few MiB can hold gigabytes of XML).
const (
	MaxXLSXFile      = 64 << 20
	maxSharedStrings = 2_000_000
	// maxXLSXRows is Excel's own last row.
	maxXLSXRows = 1 << 20
)

// maxXLSXPart bounds what one part of a workbook may inflate to (a
// variable so that tests can lower it).
var maxXLSXPart int64 = 256 << 20

// ErrWorkbook is wrapped by the errors of a workbook that cannot be read
// (corrupt, too large, without its sheet): the file is the sender's to
// fix.
var ErrWorkbook = errors.New("profiles: import xlsx: the workbook cannot be read")

func workbookErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrWorkbook, fmt.Sprintf(format, args...))
}

// xlsxSheet is the first sheet of a workbook, ready to read.
type xlsxSheet struct {
	name   string
	shared []string
	sheet  *zip.File
}

// openXLSX reads the workbook in data: its first sheet and shared strings.
// ok is false when data is a zip but not an Excel workbook (an
// OpenDocument .ods, a Word file).
func openXLSX(data []byte) (s *xlsxSheet, ok bool, err error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, true, workbookErr("not a readable zip: %v", err)
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	wb := files["xl/workbook.xml"]
	if wb == nil {
		return nil, false, nil
	}
	s = &xlsxSheet{}
	var book struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := decodePart(wb, &book); err != nil {
		return nil, true, err
	}
	target := "xl/worksheets/sheet1.xml"
	if len(book.Sheets) > 0 {
		s.name = book.Sheets[0].Name
		if rels := files["xl/_rels/workbook.xml.rels"]; rels != nil {
			var rs struct {
				Rel []struct {
					ID     string `xml:"Id,attr"`
					Target string `xml:"Target,attr"`
				} `xml:"Relationship"`
			}
			if err := decodePart(rels, &rs); err != nil {
				return nil, true, err
			}
			for _, r := range rs.Rel {
				if r.ID == book.Sheets[0].RID && r.Target != "" {
					if strings.HasPrefix(r.Target, "/") {
						target = strings.TrimPrefix(r.Target, "/")
					} else {
						target = path.Join("xl", r.Target)
					}
				}
			}
		}
	}
	if s.sheet = files[target]; s.sheet == nil {
		return nil, true, workbookErr("no sheet %q", target)
	}
	if ss := files["xl/sharedStrings.xml"]; ss != nil {
		if s.shared, err = readSharedStrings(ss); err != nil {
			return nil, true, err
		}
	}
	return s, true, nil
}

// decodePart decodes a small XML part, bounded.
func decodePart(f *zip.File, v any) error {
	rc, err := f.Open()
	if err != nil {
		return workbookErr("%s: %v", f.Name, err)
	}
	defer rc.Close()
	if err := xml.NewDecoder(io.LimitReader(rc, 16<<20)).Decode(v); err != nil {
		return workbookErr("%s: %v", f.Name, err)
	}
	return nil
}

// readSharedStrings reads the workbook's string table: each <si> is a
// plain <t> or rich-text runs <r><t>…</t></r> (phonetic runs <rPh> left
// out).
func readSharedStrings(f *zip.File) ([]string, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, workbookErr("shared strings: %v", err)
	}
	defer rc.Close()
	d := xml.NewDecoder(&partLimit{r: rc, left: maxXLSXPart})
	var out []string
	var cur strings.Builder
	inSI, inT, skip := false, false, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, workbookErr("shared strings: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case t.Name.Local == "rPh" || t.Name.Local == "phoneticPr":
				skip++
			case t.Name.Local == "si":
				inSI = true
				cur.Reset()
			case t.Name.Local == "t" && inSI && skip == 0:
				inT = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "rPh", "phoneticPr":
				skip = max(0, skip-1)
			case "t":
				inT = false
			case "si":
				if len(out) >= maxSharedStrings {
					return nil, workbookErr("more than %d distinct texts", maxSharedStrings)
				}
				out = append(out, cur.String())
				inSI = false
			}
		case xml.CharData:
			if inT && cur.Len() < MaxCSVRecord {
				cur.Write(t)
			}
		}
	}
}

// partLimit fails a read past left bytes (an inflated part too large).
type partLimit struct {
	r    io.Reader
	left int64
}

func (p *partLimit) Read(b []byte) (int, error) {
	if p.left <= 0 {
		return 0, workbookErr("a part inflates to more than %d MiB", maxXLSXPart>>20)
	}
	if int64(len(b)) > p.left {
		b = b[:p.left]
	}
	n, err := p.r.Read(b)
	p.left -= int64(n)
	return n, err
}

// writeCSV writes the sheet as CSV (';' separated) to w, one line per row
// of the sheet from row 1, so the importer's row numbers are the sheet's.
func (s *xlsxSheet) writeCSV(w io.Writer) error {
	rc, err := s.sheet.Open()
	if err != nil {
		return workbookErr("%s: %v", s.sheet.Name, err)
	}
	defer rc.Close()
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	d := xml.NewDecoder(&partLimit{r: rc, left: maxXLSXPart})
	var (
		rowNum  int // last row written
		row     []string
		inRow   bool
		cellCol int
		cellT   string
		inV     bool
		inIsT   bool
		val     strings.Builder
		inline  strings.Builder
		nextCol int
	)
	flushRow := func(r int) error {
		if r <= rowNum {
			r = rowNum + 1 // rows out of order or unnumbered: in file order
		}
		if r > maxXLSXRows {
			return workbookErr("row %d is beyond Excel's last row (%d)", r, maxXLSXRows)
		}
		for rowNum+1 < r {
			if err := cw.Write(nil); err != nil {
				return err
			}
			rowNum++
		}
		for len(row) > 0 && row[len(row)-1] == "" {
			row = row[:len(row)-1]
		}
		if err := cw.Write(row); err != nil {
			return err
		}
		rowNum = r
		return nil
	}
	rowAttr := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return workbookErr("sheet %q: %v", s.name, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				inRow, row, nextCol, rowAttr = true, row[:0], 0, 0
				for _, a := range t.Attr {
					if a.Name.Local == "r" {
						rowAttr, _ = strconv.Atoi(a.Value)
					}
				}
			case "c":
				if !inRow {
					continue
				}
				cellCol, cellT = nextCol, ""
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "r":
						if c, ok := columnOf(a.Value); ok {
							cellCol = c
						}
					case "t":
						cellT = a.Value
					}
				}
				val.Reset()
				inline.Reset()
			case "v":
				inV = inRow
			case "t":
				inIsT = inRow && cellT == "inlineStr"
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v":
				inV = false
			case "t":
				inIsT = false
			case "c":
				if !inRow || cellCol >= MaxCSVColumns {
					continue
				}
				text := cellText(cellT, val.String(), inline.String(), s.shared)
				for len(row) <= cellCol {
					row = append(row, "")
				}
				row[cellCol] = text
				nextCol = cellCol + 1
			case "row":
				if inRow {
					if err := flushRow(rowAttr); err != nil {
						return err
					}
				}
				inRow = false
			}
		case xml.CharData:
			switch {
			case inV && val.Len() < MaxCSVRecord:
				val.Write(t)
			case inIsT && inline.Len() < MaxCSVRecord:
				inline.Write(t)
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// cellText is what a cell shows as text: a shared string by index, an
// inline string, TRUE/FALSE for booleans, the value otherwise (numbers as
// written, Excel dates as their serial number, which the importer reads).
func cellText(t, v, inline string, shared []string) string {
	switch t {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || i < 0 || i >= len(shared) {
			return ""
		}
		return shared[i]
	case "inlineStr":
		return inline
	case "b":
		if strings.TrimSpace(v) == "1" {
			return "TRUE"
		}
		return "FALSE"
	case "e":
		return ""
	}
	return v
}

// columnOf is the 0-based column of a cell reference ("C7" → 2).
func columnOf(ref string) (int, bool) {
	col, n := 0, 0
	for _, r := range ref {
		if r < 'A' || r > 'Z' {
			break
		}
		col = col*26 + int(r-'A'+1)
		n++
		if n > 3 {
			return 0, false
		}
	}
	if n == 0 {
		return 0, false
	}
	return col - 1, true
}

// xlsxAsCSV returns the first sheet of the workbook held in r (a zip) as
// CSV text, with the sheet's name; ok is false when the zip is not an
// Excel workbook. Close the reader when done with it.
func xlsxAsCSV(r io.Reader) (csvText io.ReadCloser, sheet string, ok bool, err error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxXLSXFile+1))
	if err != nil {
		return nil, "", true, fmt.Errorf("profiles: import xlsx: read: %w", err)
	}
	if len(data) > MaxXLSXFile {
		return nil, "", true, workbookErr("larger than %d MiB: save it as CSV, or split it", MaxXLSXFile>>20)
	}
	s, ok, err := openXLSX(data)
	if err != nil || !ok {
		return nil, "", ok, err
	}
	pr, pw := io.Pipe()
	go func() {
		defer func() {
			if p := recover(); p != nil {
				pw.CloseWithError(fmt.Errorf("profiles: import xlsx: %v", p))
			}
		}()
		pw.CloseWithError(s.writeCSV(pw))
	}()
	return pr, s.name, true, nil
}
