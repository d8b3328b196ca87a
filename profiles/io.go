package profiles

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxImportLine is the longest line Import reads; longer lines are
// reported and skipped.
const MaxImportLine = 1 << 20

// maxReportedLines caps how many line errors ImportError.Error prints.
const maxReportedLines = 10

// MaxKeptLineErrors is how many line errors an import keeps and returns;
// the rest are only counted, so a file of bad lines cannot exhaust memory
// nor make an answer of its size.
const MaxKeptLineErrors = 100

// LineError is one rejected line of an import.
type LineError struct {
	Line  int    // 1-based line number (for ImportCSV, the spreadsheet row)
	Field string // JSON field at fault when known, e.g. "email" or "seeking.locations"
	// Column is the header of the spreadsheet column at fault, as written
	// in the file (ImportCSV only; empty when the whole row is at fault).
	Column string
	Err    error // wraps ErrInvalid; its message names the field
}

func (e *LineError) Error() string {
	if e.Column != "" {
		return fmt.Sprintf("line %d, column %q: %v", e.Line, e.Column, e.Err)
	}
	return fmt.Sprintf("line %d: %v", e.Line, e.Err)
}

func (e *LineError) Unwrap() error { return e.Err }

// ImportError lists the first MaxKeptLineErrors lines an import rejected,
// in line order, and how many it rejected in all.
type ImportError struct {
	Lines    []*LineError
	Rejected int
}

func (e *ImportError) Error() string {
	total := max(e.Rejected, len(e.Lines))
	var b strings.Builder
	fmt.Fprintf(&b, "profiles: import: %d line(s) rejected", total)
	for i, le := range e.Lines {
		if i == maxReportedLines {
			fmt.Fprintf(&b, "; and %d more", total-i)
			break
		}
		b.WriteString("; ")
		b.WriteString(le.Error())
	}
	return b.String()
}

// Unwrap exposes each kept LineError to errors.Is and errors.As.
func (e *ImportError) Unwrap() []error {
	out := make([]error, len(e.Lines))
	for i, le := range e.Lines {
		out[i] = le
	}
	return out
}

// ImportReport is what a streamed import did.
type ImportReport struct {
	Imported int          // valid profiles handed to the callback
	Rejected int          // lines rejected
	Errors   []*LineError // the first MaxKeptLineErrors of them
	// CSV is what ImportCSV detected in the file (nil for JSON lines).
	CSV *CSVInfo
	// Filled by the importer that stores the profiles: new and existing
	// profiles, and how many lack what matching needs (no wish of
	// workplace, contract or level; no skill).
	Created, Updated    int
	NoSeeking, NoSkills int
	// DryRun: nothing was stored; the counts say what would have been.
	DryRun bool
}

// Err is the report's rejections as an *ImportError (nil when none).
func (r ImportReport) Err() error {
	if r.Rejected == 0 {
		return nil
	}
	return &ImportError{Lines: r.Errors, Rejected: r.Rejected}
}

// Import reads JSON lines of Profile. Every valid line is returned,
// normalized, in input order; the rejected ones are reported in an
// *ImportError naming the line number and field (the first
// MaxKeptLineErrors, and their count). Blank lines are skipped; unknown
// fields are rejected (they are usually typos that would lose data
// silently); a later line repeating an id is rejected. A read error is
// returned too, joined with the line errors, after the lines read before
// it. Use ImportEach for large inputs.
func Import(r io.Reader) ([]Profile, error) {
	var out []Profile
	rep, err := ImportEach(r, 1000, func(ps []Profile) error {
		out = append(out, ps...)
		return nil
	})
	if err != nil {
		if ie := rep.Err(); ie != nil {
			return out, errors.Join(ie, err)
		}
		return out, err
	}
	return out, rep.Err()
}

// ImportEach reads JSON lines of Profile as Import does, streaming: fn
// receives the valid profiles in batches of at most batch, in input order,
// and of the lines read only their ids are kept (to reject repeats), so
// memory does not grow with bad input. An error from fn stops the import
// and is returned; so is a read error.
func ImportEach(r io.Reader, batch int, fn func([]Profile) error) (ImportReport, error) {
	return ImportEachChecked(r, batch, nil, fn)
}

// RowProblem is why a check refuses an otherwise valid row of an import:
// the field at fault and the reason, as an officer reads it.
type RowProblem struct {
	Field string
	Msg   Msg
}

// ImportEachChecked is ImportEach with check, when not nil, called on each
// valid line's profile before it is kept: a *RowProblem it returns
// rejects the line, naming it and the field.
func ImportEachChecked(r io.Reader, batch int, check func(Profile) *RowProblem, fn func([]Profile) error) (ImportReport, error) {
	return ImportEachBatches(r, batch, check, plainBatches(fn))
}

// ImportEachBatches is ImportEachChecked with fn given each batch's lines
// too: the rows it refuses (ImportBatch.Refuse) are counted as rejected
// lines, not imported ones, and reported with the others in line order.
func ImportEachBatches(r io.Reader, batch int, check func(Profile) *RowProblem, fn func(ImportBatch) ([]*LineError, error)) (ImportReport, error) {
	var rep ImportReport
	b := newImportBatcher(&rep, batch, fn, nil)
	br := bufio.NewReaderSize(r, 64<<10)
	for lineNo := 1; ; lineNo++ {
		line, tooLong, readErr := readLine(br)
		if len(line) > 0 || tooLong {
			if lineNo == 1 {
				line = bytes.TrimPrefix(line, []byte("\ufeff"))
			}
			p, err := decodeLine(line, tooLong)
			if err == nil && check != nil {
				if rp := check(p); rp != nil {
					err = lineMsg(rp.Field, rp.Msg)
				}
			}
			if err == nil {
				first, dup, ferr := b.add(p, lineNo)
				if ferr != nil {
					return rep, ferr
				}
				if dup {
					err = lineMsg("id", Msg{MsgDuplicate, []any{p.ID, first}})
				}
			}
			if err != nil {
				le := &LineError{Line: lineNo, Err: err}
				var fe *fieldError
				if errors.As(err, &fe) {
					le.Field = fe.field
				}
				b.reject(le)
			}
		}
		if readErr == io.EOF {
			break
		}
		if readErr != nil {
			if ferr := b.flush(); ferr != nil {
				return rep, ferr
			}
			return rep, fmt.Errorf("profiles: import: read line %d: %w", lineNo, readErr)
		}
	}
	return rep, b.flush()
}

// importBatcher is what both importers (JSON lines and CSV) share: the
// accepted profiles handed to fn in batches, repeats of an id rejected,
// and the report's counts and kept errors.
type importBatcher struct {
	rep     *ImportReport
	fn      func(ImportBatch) ([]*LineError, error)
	lineErr func(line int, field string, err error) *LineError
	batch   int
	pending []Profile
	lines   []int          // where each pending profile was read
	firstAt map[string]int // id -> line or row it was first read at
}

// newImportBatcher: lineErr (nil: line and field only) makes the
// LineError of a row fn refuses.
func newImportBatcher(rep *ImportReport, batch int, fn func(ImportBatch) ([]*LineError, error), lineErr func(int, string, error) *LineError) *importBatcher {
	if batch <= 0 {
		batch = 1000
	}
	if lineErr == nil {
		lineErr = func(line int, field string, err error) *LineError {
			return &LineError{Line: line, Field: field, Err: err}
		}
	}
	return &importBatcher{rep: rep, fn: fn, lineErr: lineErr, batch: batch, firstAt: map[string]int{}}
}

// ImportBatch is one batch of valid rows an import hands to its store:
// the profiles in input order and the line (spreadsheet row) of each.
type ImportBatch struct {
	Profiles []Profile
	Lines    []int
	lineErr  func(line int, field string, err error) *LineError
}

// Refuse is the rejection of Profiles[i] by the store (an address another
// profile has, a graduate outside the officer's cohorts): it names the
// row's line, field and, in a spreadsheet, column.
func (b ImportBatch) Refuse(i int, field string, err error) *LineError {
	return b.lineErr(b.Lines[i], field, err)
}

// plainBatches adapts a callback that refuses no row.
func plainBatches(fn func([]Profile) error) func(ImportBatch) ([]*LineError, error) {
	return func(b ImportBatch) ([]*LineError, error) { return nil, fn(b.Profiles) }
}

// add queues p, read at line or row at, unless its id was read before:
// then it returns where (dup true) and queues nothing. A full batch goes
// to fn; its error is returned.
func (b *importBatcher) add(p Profile, at int) (first int, dup bool, err error) {
	if first, dup := b.firstAt[p.ID]; dup {
		return first, true, nil
	}
	b.firstAt[p.ID] = at
	b.pending = append(b.pending, p)
	b.lines = append(b.lines, at)
	if len(b.pending) >= b.batch {
		return 0, false, b.flush()
	}
	return 0, false, nil
}

// flush hands the queued profiles to fn.
func (b *importBatcher) flush() error {
	if len(b.pending) == 0 {
		return nil
	}
	refused, err := b.fn(ImportBatch{Profiles: b.pending, Lines: b.lines, lineErr: b.lineErr})
	// What fn refused is rejected even when it then failed: those rows
	// were not stored.
	for _, le := range refused {
		b.reject(le)
	}
	if err != nil {
		return err
	}
	b.rep.Imported += len(b.pending) - len(refused)
	b.pending, b.lines = nil, nil // fn may keep the slices
	return nil
}

// reject counts a rejected line or row and keeps its error: the first
// MaxKeptLineErrors of them by line, in line order (a store refuses a
// batch's rows after the parser rejected later lines).
func (b *importBatcher) reject(le *LineError) {
	b.rep.Rejected++
	errs := b.rep.Errors
	at := len(errs)
	for at > 0 && errs[at-1].Line > le.Line {
		at--
	}
	if at >= MaxKeptLineErrors {
		return
	}
	if len(errs) == MaxKeptLineErrors {
		errs = errs[:len(errs)-1]
	}
	b.rep.Errors = slices.Insert(errs, at, le)
}

// readLine returns the next line without its line ending, trimmed of
// surrounding white space. tooLong reports a line over MaxImportLine, whose
// content is dropped. err is io.EOF after the last line.
func readLine(br *bufio.Reader) (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > MaxImportLine+2 { // +2 for "\r\n"
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimSpace(buf), tooLong, err
	}
}

// fieldError is a line error about one field.
type fieldError struct {
	field string
	err   error
}

func (e *fieldError) Error() string { return e.err.Error() }
func (e *fieldError) Unwrap() error { return e.err }

// lineMsg is a line error from a catalogue message, about field ("" for
// the whole line). Its English text is what lineErr would give.
func lineMsg(field string, m Msg) error {
	if field == "" {
		return fmt.Errorf("%w: %w", ErrInvalid, &msgError{msg: m})
	}
	return &fieldError{field: field, err: fmt.Errorf("%w: %s: %w", ErrInvalid, field, &msgError{msg: m})}
}

// decodeLine decodes and checks one non-blank line.
func decodeLine(line []byte, tooLong bool) (Profile, error) {
	if tooLong {
		return Profile{}, lineMsg("", Msg{MsgLineTooLong, []any{MaxImportLine}})
	}
	var p Profile
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return Profile{}, jsonLineErr(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Profile{}, lineMsg("", Msg{Key: MsgJSONTrailing})
	}
	if err := checkProfile(&p); err != nil {
		return Profile{}, validationErr(err)
	}
	return p, nil
}

// jsonLineErr turns a decoding error into a message a user can act on.
func jsonLineErr(err error) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &syn):
		return lineMsg("", Msg{MsgJSONSyntax, []any{syn.Offset, syn}})
	case errors.As(err, &typ):
		if typ.Field == "" {
			return lineMsg("", Msg{Key: MsgJSONObject})
		}
		return lineMsg(typ.Field, Msg{MsgJSONType, []any{kindName(typ.Type), typ.Value}})
	case errors.Is(err, io.ErrUnexpectedEOF):
		return lineMsg("", Msg{Key: MsgJSONShort})
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		if f, uerr := strconv.Unquote(name); uerr == nil {
			return lineMsg(f, Msg{Key: MsgJSONUnknown})
		}
	}
	if strings.Contains(msg, "parsing time") {
		return lineMsg("updated_at", Msg{Key: MsgJSONTime})
	}
	return lineMsg("", Msg{MsgJSONOther, []any{msg}})
}

func kindName(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "a " + t.Kind().String()
}

// validationErr attaches the field named by a Validate error.
func validationErr(err error) error {
	rest, ok := strings.CutPrefix(err.Error(), ErrInvalid.Error()+": ")
	if !ok {
		return err
	}
	field, _, ok := strings.Cut(rest, ": ")
	if !ok {
		return err
	}
	return &fieldError{field: field, err: err}
}

// EachFunc visits profiles; Store.Each has this signature.
type EachFunc func(ctx context.Context, fn func(Profile) error) error

// EachOf visits ps in order.
func EachOf(ps ...Profile) EachFunc {
	return func(ctx context.Context, fn func(Profile) error) error {
		for _, p := range ps {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(p); err != nil {
				return err
			}
		}
		return nil
	}
}

// Export writes the profiles each visits as JSON lines (the Import format)
// and returns how many it wrote.
func Export(ctx context.Context, w io.Writer, each EachFunc) (int, error) {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	n := 0
	err := each(ctx, func(p Profile) error {
		if err := enc.Encode(p); err != nil {
			return fmt.Errorf("profiles: export %s: %w", p.ID, err)
		}
		n++
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("profiles: export: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return n, fmt.Errorf("profiles: export: %w", err)
	}
	return n, nil
}

// CSVHeader is the header row of ExportCSV.
var CSVHeader = []string{"id", "name", "email", "city", "country", "graduation_year", "languages", "skills", "availability", "headline"}

// csvListSep joins list cells (languages, skills).
const csvListSep = "; "

// ExportCSV writes the profiles each visits as CSV for placement officers
// (columns CSVHeader, lists joined by "; ") and returns how many rows it
// wrote. Cells a spreadsheet would run as a formula are escaped. Which
// profiles to include (consent) is the caller's choice of each.
func ExportCSV(ctx context.Context, w io.Writer, each EachFunc) (int, error) {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return 0, fmt.Errorf("profiles: export csv: %w", err)
	}
	n := 0
	err := each(ctx, func(p Profile) error {
		year := ""
		if p.GraduationYear != 0 {
			year = strconv.Itoa(p.GraduationYear)
		}
		row := []string{p.ID, p.Name, p.Email, p.City, p.Country, year,
			strings.Join(p.Languages, csvListSep), strings.Join(p.Skills, csvListSep), p.Availability, p.Headline}
		for i := range row {
			row[i] = CSVCell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("profiles: export csv %s: %w", p.ID, err)
		}
		n++
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("profiles: export csv: %w", err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, fmt.Errorf("profiles: export csv: %w", err)
	}
	return n, nil
}

// CSVCell neutralizes spreadsheet formula injection (OWASP "CSV
// injection"): a cell whose first character, or first character after
// leading spaces, is '=', '+', '-' or '@', or which starts with a tab or
// carriage return, is prefixed with a single quote so spreadsheets show it
// as text. Other cells are unchanged.
func CSVCell(s string) string {
	if s == "" {
		return s
	}
	if s[0] == '\t' || s[0] == '\r' {
		return "'" + s
	}
	r, _ := utf8.DecodeRuneInString(strings.TrimLeftFunc(s, unicode.IsSpace))
	switch r {
	case '=', '+', '-', '@', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20': // and full-width forms
		return "'" + s
	}
	return s
}
