package profiles

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Spreadsheet import and export (CSV as placement officers keep it).

// Bounds of ImportCSV. A row longer than MaxCSVRecord bytes (line breaks
// inside quoted cells included) is rejected without being kept; a row with
// more than MaxCSVColumns cells keeps only the first ones.
const (
	MaxCSVRecord  = MaxImportLine
	MaxCSVColumns = 512
	// csvHeaderSearch is how many non-blank rows ImportCSV reads looking
	// for the header row (schools put a title above their table).
	csvHeaderSearch = 10
	// csvListSepOut joins multi-value cells on export.
	csvListSepOut = ", "
)

// ErrCSVHeader is wrapped by the error ImportCSV returns when the file has
// no header row it can use.
var ErrCSVHeader = errors.New("profiles: import csv: no usable header row")

// NotCSVError is the error ImportCSV returns when the file is a workbook
// or a document rather than text: an Excel .xlsx or .xls, an OpenDocument
// .ods, a PDF. It wraps ErrCSVHeader; Localized tells the officer, in
// their language, to save it as CSV from the spreadsheet.
type NotCSVError struct{ Kind string }

func (e *NotCSVError) Error() string { return "profiles: import csv: " + e.Localized("en") }

// Unwrap makes errors.Is(err, ErrCSVHeader) hold.
func (e *NotCSVError) Unwrap() error { return ErrCSVHeader }

// Localized is the message in lang (fr, en or ar).
func (e *NotCSVError) Localized(lang string) string {
	return Msg{Key: MsgNotCSV, Args: []any{e.Kind}}.Text(lang)
}

// CSVColumn is one column ImportCSV recognises and ExportCSVFor writes.
type CSVColumn struct {
	// Field is the profile field it fills, as in the JSON format
	// ("email", "seeking.workplace"); "first_name" and "last_name" are
	// joined into "name" on import and never exported.
	Field string
	// Headers are the header ExportCSVFor writes, by locale (fr, en, ar);
	// empty for import-only columns. Each is also accepted on import.
	Headers map[string]string
	// Aliases are the other headers accepted on import.
	Aliases []string
	// Values says what the cell holds, for the README.
	Values string
}

// CSVColumns is the header mapping of ImportCSV and ExportCSVFor, in export
// order. Names that schools use for something else are left out on
// purpose: a bare "Niveau" is usually the degree (Licence, Master), a
// "Mobilité" or "Alertes" column usually holds oui/non. Headers are compared ignoring case, accents, spaces, punctuation
// and any text in parentheses: "E-mail", "email", "EMAIL " and "E mail
// (obligatoire)" are the same column.
var CSVColumns = []CSVColumn{
	{Field: "id", Headers: map[string]string{"fr": "Identifiant", "en": "ID", "ar": "المعرف"},
		Aliases: []string{"Id", "Identifiant Passerelle", "Identifier", "Profile ID", "Identifiant du profil"},
		Values:  "letters, digits, '-' or '_' (no spaces, '.' or '/'); when empty, derived from the e-mail"},
	{Field: "name", Headers: map[string]string{"fr": "Nom complet", "en": "Full name", "ar": "الاسم الكامل"},
		Aliases: []string{"Nom et prénom", "Nom prénom", "Prénom et nom", "Prénom nom", "Name", "Student name", "Nom de l'étudiant", "Nom de l'étudiante", "Étudiant", "Lauréat", "الاسم", "الاسم والنسب", "الاسم و النسب"},
		Values:  "text"},
	{Field: "first_name",
		Aliases: []string{"Prénom", "First name", "Given name", "Firstname", "الاسم الشخصي"},
		Values:  "text; joined with the last name into the full name when there is no full-name column"},
	{Field: "last_name",
		Aliases: []string{"Nom", "Nom de famille", "Last name", "Surname", "Family name", "Lastname", "النسب", "اسم العائلة"},
		Values:  "text; alone (without a first-name column) it is the full name"},
	{Field: "email", Headers: map[string]string{"fr": "E-mail", "en": "E-mail", "ar": "البريد الإلكتروني"},
		Aliases: []string{"Email", "Courriel", "Adresse e-mail", "Adresse mail", "Adresse électronique", "Mail", "E-mail address", "Email address", "البريد", "الإيميل", "البريد الإلكتروني للطالب"},
		Values:  "an e-mail address"},
	{Field: "locale", Headers: map[string]string{"fr": "Langue de contact", "en": "Contact language", "ar": "لغة التواصل"},
		Aliases: []string{"Locale", "Langue préférée", "Preferred language", "Langue de l'interface"},
		Values:  "fr, en or ar (or Français, English, العربية…); French when empty"},
	{Field: "city", Headers: map[string]string{"fr": "Ville", "en": "City", "ar": "المدينة"},
		Aliases: []string{"Ville de résidence", "Town"},
		Values:  "text"},
	{Field: "country", Headers: map[string]string{"fr": "Pays", "en": "Country", "ar": "البلد"},
		Aliases: []string{"Pays de résidence", "Country code"},
		Values:  "ISO code (MA) or a common name in French, English or Arabic (Maroc, Morocco, المغرب)"},
	{Field: "headline", Headers: map[string]string{"fr": "Titre", "en": "Headline", "ar": "العنوان المهني"},
		Aliases: []string{"Titre du profil", "Intitulé", "Accroche", "Title"},
		Values:  "text"},
	{Field: "skills", Headers: map[string]string{"fr": "Compétences", "en": "Skills", "ar": "المهارات"},
		Aliases: []string{"Compétences techniques", "Technical skills", "Technologies"},
		Values:  "list"},
	{Field: "languages", Headers: map[string]string{"fr": "Langues", "en": "Languages", "ar": "اللغات"},
		Aliases: []string{"Langues parlées", "Spoken languages"},
		Values:  "list of ISO codes (fr, ar, en) or names (Français, Arabe, English…), stored as codes"},
	{Field: "graduation_year", Headers: map[string]string{"fr": "Année de diplôme", "en": "Graduation year", "ar": "سنة التخرج"},
		Aliases: []string{"Année de diplomation", "Année d'obtention du diplôme", "Année d'obtention", "Année de sortie", "Year of graduation", "Diplômé en"},
		Values:  "a year (2025) or a date (its year is kept)"},
	{Field: "cohort", Headers: map[string]string{"fr": "Promotion", "en": "Cohort", "ar": "الفوج"},
		Aliases: []string{"Cohorte", "Promo", "Classe", "Groupe"},
		Values:  "text"},
	{Field: "availability", Headers: map[string]string{"fr": "Disponibilité", "en": "Availability", "ar": "التوفر"},
		Aliases: []string{"Date de disponibilité", "Disponible à partir du", "Disponible le", "Available from"},
		Values:  "a date (dd/mm/yyyy, yyyy-mm-dd or an Excel date number) or immédiate / immediate"},
	{Field: "seeking.seniority", Headers: map[string]string{"fr": "Niveau recherché", "en": "Seniority sought", "ar": "المستوى المطلوب"},
		Aliases: []string{"Postes recherchés", "Poste recherché", "Niveau de poste", "Seniority"},
		Values:  "list of: stage, junior, confirmé, senior, lead (or internship, mid…)"},
	{Field: "seeking.employment", Headers: map[string]string{"fr": "Type de contrat", "en": "Employment type", "ar": "نوع العقد"},
		Aliases: []string{"Types de contrat", "Contrat", "Contrats", "Contract type", "Employment"},
		Values:  "list of: temps plein (CDI), temps partiel, CDD, freelance, stage, alternance, intérim (or full time, part time, contract…)"},
	{Field: "seeking.workplace", Headers: map[string]string{"fr": "Mode de travail", "en": "Workplace", "ar": "نمط العمل"},
		Aliases: []string{"Télétravail", "Modes de travail", "Work mode", "Remote"},
		Values:  "list of: télétravail, hybride, sur site (or remote, hybrid, onsite); oui/non in a Télétravail column mean remote/onsite"},
	{Field: "seeking.locations", Headers: map[string]string{"fr": "Villes souhaitées", "en": "Preferred locations", "ar": "المدن المرغوبة"},
		Aliases: []string{"Lieux souhaités", "Villes recherchées", "Preferred cities", "Locations"},
		Values:  "list of cities or countries (country names become ISO codes)"},
	{Field: "alerts.frequency", Headers: map[string]string{"fr": "Fréquence des alertes", "en": "Alert frequency", "ar": "وتيرة التنبيهات"},
		Aliases: []string{"Fréquence d'envoi des alertes", "Alerts frequency"},
		Values:  "instantanée, quotidienne, hebdomadaire, aucune (or instant, daily, weekly, off); daily when empty"},
	{Field: "consent.alerts", Headers: map[string]string{"fr": "Consentement alertes", "en": "Consent to alerts", "ar": "الموافقة على التنبيهات"},
		Aliases: []string{"Consentement aux alertes", "Accepte les alertes", "Alerts consent"},
		Values:  "yes/no: oui, non, yes, no, 1, 0, x, vrai, faux (empty is no)"},
	{Field: "consent.searchable", Headers: map[string]string{"fr": "Consentement recherche", "en": "Consent to search", "ar": "الموافقة على الظهور في البحث"},
		Aliases: []string{"Consentement visibilité", "Visible", "Searchable", "Search consent"},
		Values:  "yes/no as above"},
	{Field: "consent.recruiters", Headers: map[string]string{"fr": "Consentement recruteurs", "en": "Consent to recruiters", "ar": "الموافقة على مشاركة الملف مع المشغلين"},
		Aliases: []string{"Consentement aux recruteurs", "Visible par les recruteurs", "Partage recruteurs", "Recruiters consent"},
		Values:  "yes/no as above"},
}

// csvHeaderIndex maps a header key to its index in CSVColumns.
var csvHeaderIndex = func() map[string]int {
	m := map[string]int{}
	add := func(h string, i int) {
		k := headerKey(h)
		if j, dup := m[k]; dup && j != i {
			panic(fmt.Sprintf("profiles: CSV header %q maps to both %s and %s", h, CSVColumns[j].Field, CSVColumns[i].Field))
		}
		m[k] = i
	}
	for i, c := range CSVColumns {
		for _, h := range c.Headers {
			add(h, i)
		}
		for _, h := range c.Aliases {
			add(h, i)
		}
	}
	return m
}()

// headerKey is the comparison key of a header or of a word in a cell:
// text in parentheses dropped, then accents, case, spaces and punctuation.
func headerKey(s string) string {
	if strings.ContainsRune(s, '(') {
		var b strings.Builder
		depth := 0
		for _, r := range s {
			switch {
			case r == '(':
				depth++
			case r == ')' && depth > 0:
				depth--
			case depth == 0:
				b.WriteRune(r)
			}
		}
		s = b.String()
	}
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		s = norm.NFD.String(s) // accents become marks, dropped below
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		case r < utf8.RuneSelf:
			return -1
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// IDFromEmail is the id ImportCSV gives a row without one: "e-" and the
// first 32 hexadecimal digits of the SHA-256 of the address trimmed and in
// lower case. The same address always gives the same id, so importing the
// file again updates the same profiles.
func IDFromEmail(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return "e-" + hex.EncodeToString(sum[:16])
}

// CSVInfo is what ImportCSV found out about a file.
type CSVInfo struct {
	Encoding   string // "UTF-8", "UTF-8 with BOM", "Windows-1252" or "UTF-16"
	Delimiter  rune   // ';', ',' or '\t'
	HeaderLine int    // row of the header (rows above it were titles or blank)
	// Columns are the recognised columns: `"Courriel" → email`.
	Columns []string
	// Ignored are the columns not imported, each named once with why:
	// `column 7 "Filière": not a known column`.
	Ignored []string
	// ignored are the same, as catalogue messages (IgnoredIn).
	ignored []Msg
}

// IgnoredIn is Ignored written in lang (fr, en or ar).
func (i *CSVInfo) IgnoredIn(lang string) []string {
	if len(i.ignored) != len(i.Ignored) {
		return i.Ignored
	}
	out := make([]string, len(i.ignored))
	for k, m := range i.ignored {
		out[k] = m.Text(lang)
	}
	return out
}

func (i *CSVInfo) ignore(m Msg) {
	i.Ignored = append(i.Ignored, m.Text("en"))
	i.ignored = append(i.ignored, m)
}

// ImportCSV reads a spreadsheet saved as CSV, streaming as ImportEach does:
// fn receives the valid profiles in batches of at most batch, in file
// order; rejected rows are counted and the first MaxKeptLineErrors kept in
// the report, each naming its row and column. rep.CSV says what was
// detected. The error is non-nil only when nothing could be imported (no
// header row: it wraps ErrCSVHeader), on a read error, or when fn fails.
//
// The file may be UTF-8 with or without BOM, Windows-1252 (bytes that are
// not UTF-8 are read as Windows-1252) or UTF-16 with BOM (Excel's "Unicode
// text"). The delimiter (';', ',' or tab) is detected from the first rows,
// or taken from an Excel "sep=;" first line. The header row is the first
// non-blank row, among the first ten, naming an e-mail or id column; titles
// above it are skipped. Headers are mapped through CSVColumns; other
// columns are listed in rep.CSV.Ignored.
//
// Cells are trimmed. Multi-value cells are split on line breaks, ',', ';'
// (and the Arabic '،' '؛'), '|', and '/' with a space on either side
// ("CI/CD" stays whole). A cell that CSVCell escaped — a single quote
// followed by what a spreadsheet would run as a formula, like "'=A1" — has
// that quote removed, so an export re-imports to the same text. Line
// numbers are spreadsheet row numbers (a quoted cell's line breaks do not
// count; an Excel "sep=" line is not a row). A later row repeating an id is
// rejected; a row without id gets IDFromEmail of its e-mail.
func ImportCSV(r io.Reader, batch int, fn func([]Profile) error) (ImportReport, error) {
	return ImportCSVChecked(r, batch, nil, fn)
}

// ImportCSVChecked is ImportCSV with check, when not nil, called on each
// valid row's profile before it is kept: a *RowProblem it returns rejects
// the row, naming the row and the column of the problem's field.
func ImportCSVChecked(r io.Reader, batch int, check func(Profile) *RowProblem, fn func([]Profile) error) (ImportReport, error) {
	return ImportCSVBatches(r, batch, check, plainBatches(fn))
}

// ImportCSVBatches is ImportCSVChecked with fn given each batch's rows
// too: the rows it refuses (ImportBatch.Refuse, which names the column of
// the field) are counted as rejected rows, not imported ones, and reported
// with the others in row order.
func ImportCSVBatches(r io.Reader, batch int, check func(Profile) *RowProblem, fn func(ImportBatch) ([]*LineError, error)) (ImportReport, error) {
	info := &CSVInfo{}
	rep := ImportReport{CSV: info}
	pr := bufio.NewReaderSize(r, 4096)
	var in io.Reader = pr
	sheet, workbook := "", false
	switch kind := binaryKind(pr); kind {
	case "":
	case kindZip:
		// An Excel workbook: its first sheet, as CSV.
		x, name, ok, err := xlsxAsCSV(pr)
		if !ok {
			return rep, &NotCSVError{Kind: ".ods"}
		}
		if err != nil {
			return rep, err
		}
		defer x.Close()
		in, sheet, workbook = x, name, true
	default:
		return rep, &NotCSVError{Kind: kind}
	}
	src, finish := decodeCSV(in, info)
	if workbook {
		info.Encoding = fmt.Sprintf("Excel .xlsx (%q)", sheet)
	}
	br := bufio.NewReaderSize(src, 64<<10)
	sc := &csvScanner{br: br, comma: detectDelimiter(br), row: 1}
	if sepLine(br) {
		sc.comma = sepChar(br)
	}
	info.Delimiter = rune(sc.comma)

	hdr, err := findHeader(sc, info)
	finish()
	if err != nil {
		return rep, err
	}

	bt := newImportBatcher(&rep, batch, fn, hdr.lineErr)
	for {
		rec, rerr := sc.next()
		finish()
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			if ferr := bt.flush(); ferr != nil {
				return rep, ferr
			}
			return rep, fmt.Errorf("profiles: import csv: read row %d: %w", sc.row, rerr)
		}
		if rec.blank() {
			continue
		}
		p, le := hdr.profile(rec)
		if le == nil && check != nil {
			if rp := check(p); rp != nil {
				le = hdr.cellMsg(rec.row, rp.Field, rp.Msg)
			}
		}
		if le == nil {
			first, dup, ferr := bt.add(p, rec.row)
			if ferr != nil {
				return rep, ferr
			}
			if dup {
				field := "id"
				if _, ok := hdr.byField["id"]; !ok {
					field = "email" // the id was derived from it
				}
				le = hdr.cellMsg(rec.row, field, Msg{MsgDuplicate, []any{p.ID, first}})
			}
		}
		if le != nil {
			bt.reject(le)
		}
	}
	return rep, bt.flush()
}

// decodeCSV returns r decoded to UTF-8, recording the encoding in info;
// call finish after reading to update info.Encoding.
func decodeCSV(r io.Reader, info *CSVInfo) (src io.Reader, finish func()) {
	br := bufio.NewReaderSize(r, 4096)
	head, _ := br.Peek(3)
	switch {
	case len(head) >= 2 && (head[0] == 0xFF && head[1] == 0xFE || head[0] == 0xFE && head[1] == 0xFF):
		info.Encoding = "UTF-16"
		dec := xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder()
		return transform.NewReader(br, dec), func() {}
	case utf16Without(br) != nil:
		// UTF-16 saved without its BOM (some tools and conversions do):
		// text never holds NUL bytes, UTF-16 of Latin text is half NULs.
		info.Encoding = "UTF-16"
		return transform.NewReader(br, utf16Without(br).NewDecoder()), func() {}
	case len(head) == 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF:
		_, _ = br.Discard(3)
		info.Encoding = "UTF-8 with BOM"
	default:
		info.Encoding = "UTF-8"
	}
	t := &cp1252Fallback{}
	return transform.NewReader(br, t), func() {
		if t.converted {
			info.Encoding = "Windows-1252"
		}
	}
}

// kindZip is binaryKind's name of a zip: an Excel workbook (read) or an
// OpenDocument one (refused).
const kindZip = "zip"

// binaryKind names the kind of a file that is not text, from its first
// bytes (without consuming them): kindZip, ".xls" (Excel 97-2003), "PDF";
// "" for anything else.
func binaryKind(br *bufio.Reader) string {
	head, _ := br.Peek(8)
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return kindZip
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return ".xls"
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return "PDF"
	}
	return ""
}

// utf16Without reads the start of br (without consuming it) and returns a
// UTF-16 encoding when it looks like UTF-16 without a BOM: NUL bytes, most
// of them on one side of each pair (the high byte of Latin characters,
// digits and separators); nil otherwise.
func utf16Without(br *bufio.Reader) encoding.Encoding {
	head, _ := br.Peek(256)
	head = head[:len(head)&^1]
	var even, odd int
	for i, b := range head {
		if b == 0 {
			if i%2 == 0 {
				even++
			} else {
				odd++
			}
		}
	}
	pairs := len(head) / 2
	switch {
	case pairs == 0:
		return nil
	case odd*4 >= pairs && odd > 2*even:
		return xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM)
	case even*4 >= pairs && even > 2*odd:
		return xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM)
	}
	return nil
}

// cp1252Fallback passes UTF-8 through and reads every byte that is not
// part of a valid UTF-8 sequence as Windows-1252 (what French Excel saves
// as "CSV (séparateur : point-virgule)"). Windows-1252 text is almost never
// valid UTF-8 beyond ASCII, so a file is read right either way.
type cp1252Fallback struct{ converted bool }

func (t *cp1252Fallback) Reset() {}

func (t *cp1252Fallback) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		b := src[nSrc]
		if b < utf8.RuneSelf {
			if nDst >= len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			dst[nDst] = b
			nDst++
			nSrc++
			continue
		}
		r, size := utf8.DecodeRune(src[nSrc:])
		if r == utf8.RuneError && size <= 1 {
			if !atEOF && !utf8.FullRune(src[nSrc:]) {
				return nDst, nSrc, transform.ErrShortSrc
			}
			r, size = charmap.Windows1252.DecodeByte(b), 1
			t.converted = true
		}
		n := utf8.RuneLen(r)
		if nDst+n > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		utf8.EncodeRune(dst[nDst:], r)
		nDst += n
		nSrc += size
	}
	return nDst, nSrc, nil
}

// detectDelimiter picks ';', tab or ',' — whichever occurs most often
// outside quotes in the first lines (';' on a tie, French Excel's choice).
func detectDelimiter(br *bufio.Reader) byte {
	buf, _ := br.Peek(16 << 10)
	if len(buf) >= 4 && strings.EqualFold(string(buf[:4]), "sep=") && len(buf) >= 5 {
		return buf[4]
	}
	var counts [3]int
	cands := [3]byte{';', '\t', ','}
	inQuotes, lines := false, 0
	for _, b := range buf {
		switch {
		case b == '"':
			inQuotes = !inQuotes
		case inQuotes:
		case b == '\n':
			lines++
		default:
			for i, c := range cands {
				if b == c {
					counts[i]++
				}
			}
		}
		if lines == 5 {
			break
		}
	}
	best := 0
	for i := 1; i < len(cands); i++ {
		if counts[i] > counts[best] {
			best = i
		}
	}
	return cands[best]
}

// sepLine reports whether the input starts with an Excel "sep=X" line.
func sepLine(br *bufio.Reader) bool {
	buf, _ := br.Peek(8)
	if len(buf) < 5 || !strings.EqualFold(string(buf[:4]), "sep=") {
		return false
	}
	rest := buf[5:]
	return len(rest) == 0 || rest[0] == '\r' || rest[0] == '\n'
}

// sepChar consumes the "sep=X" line and returns X (';' when unusable).
func sepChar(br *bufio.Reader) byte {
	line, _ := br.ReadString('\n')
	c := line[4]
	switch c {
	case ';', ',', '\t', '|':
		return c
	}
	return ';'
}

// csvRecord is one row of the file.
type csvRecord struct {
	row     int // spreadsheet row number
	cells   []string
	tooLong bool // over MaxCSVRecord: cells dropped
	tooMany bool // over MaxCSVColumns: the first ones kept
	open    bool // ended inside a quoted cell
}

func (r *csvRecord) blank() bool {
	if r.tooLong || r.open {
		return false
	}
	for _, c := range r.cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// csvScanner splits the decoded input into records: RFC 4180 with a
// chosen delimiter, CRLF, LF or CR line ends, tolerant of stray quotes, and
// bounded by MaxCSVRecord and MaxCSVColumns.
type csvScanner struct {
	br    *bufio.Reader
	comma byte
	row   int // row number of the next record
	buf   []byte
	ends  []int
}

func (s *csvScanner) next() (csvRecord, error) {
	rec := csvRecord{row: s.row}
	s.buf, s.ends = s.buf[:0], s.ends[:0]
	size, started := 0, false
	inQuotes, fieldStart := false, true
	put := func(b byte) {
		size++
		if size > MaxCSVRecord {
			rec.tooLong = true
		}
		if !rec.tooLong && !rec.tooMany {
			s.buf = append(s.buf, b)
		}
	}
	endField := func() {
		if len(s.ends) >= MaxCSVColumns {
			rec.tooMany = true
		} else if !rec.tooMany {
			s.ends = append(s.ends, len(s.buf))
		}
		fieldStart = true
	}
	peekIs := func(c byte) bool {
		nb, err := s.br.Peek(1)
		return err == nil && nb[0] == c
	}
loop:
	for {
		b, err := s.br.ReadByte()
		if err != nil {
			if err != io.EOF {
				return rec, err
			}
			if !started {
				return rec, io.EOF
			}
			rec.open = inQuotes
			endField()
			break
		}
		started = true
		if inQuotes {
			switch b {
			case '"':
				if peekIs('"') {
					_, _ = s.br.ReadByte()
					put('"')
				} else {
					inQuotes = false
				}
			case '\r':
				if !peekIs('\n') {
					put('\n')
				}
			default:
				put(b)
			}
			continue
		}
		switch {
		case b == s.comma:
			endField()
		case b == '\n':
			endField()
			break loop
		case b == '\r':
			if peekIs('\n') {
				_, _ = s.br.ReadByte()
			}
			endField()
			break loop
		case b == '"' && fieldStart:
			inQuotes, fieldStart = true, false
		default:
			fieldStart = false
			put(b)
		}
	}
	s.row++
	if rec.tooLong {
		return rec, nil
	}
	all := string(s.buf)
	rec.cells = make([]string, len(s.ends))
	prev := 0
	for i, e := range s.ends {
		rec.cells[i] = all[prev:e]
		prev = e
	}
	return rec, nil
}

// csvHeader is the header row mapped to CSVColumns.
type csvHeader struct {
	names   []string       // headers as written, trimmed
	col     []int          // index in CSVColumns of each column, -1 when ignored
	byField map[string]int // field → column of the file
	comma   byte
}

// findHeader reads rows until one names an e-mail or id column.
func findHeader(sc *csvScanner, info *CSVInfo) (*csvHeader, error) {
	var first []string
	for seen := 0; seen < csvHeaderSearch; {
		rec, err := sc.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("profiles: import csv: read row %d: %w", sc.row, err)
		}
		if rec.blank() {
			continue
		}
		seen++
		if rec.tooLong || rec.open {
			continue
		}
		h := mapHeader(rec.cells)
		h.comma = sc.comma
		if _, ok := h.byField["email"]; ok {
			info.HeaderLine = rec.row
			h.describe(info)
			return h, nil
		}
		if _, ok := h.byField["id"]; ok {
			info.HeaderLine = rec.row
			h.describe(info)
			return h, nil
		}
		if first == nil {
			first = h.names
		}
	}
	if first == nil {
		return nil, fmt.Errorf("%w: the file is empty", ErrCSVHeader)
	}
	shown := first[:min(len(first), 12)]
	return nil, fmt.Errorf("%w: no row among the first %d names an e-mail or id column (first row: %s); an e-mail column may be called %s",
		ErrCSVHeader, csvHeaderSearch, quoteAll(shown), quoteAll(append([]string{CSVColumns[csvFieldIndex("email")].Headers["fr"]}, CSVColumns[csvFieldIndex("email")].Aliases...)))
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

func csvFieldIndex(field string) int {
	for i, c := range CSVColumns {
		if c.Field == field {
			return i
		}
	}
	return -1
}

func mapHeader(cells []string) *csvHeader {
	h := &csvHeader{names: make([]string, len(cells)), col: make([]int, len(cells)), byField: map[string]int{}}
	for i, c := range cells {
		name := strings.TrimSpace(unescapeCell(c))
		h.names[i] = name
		h.col[i] = -1
		ci, ok := csvHeaderIndex[headerKey(name)]
		if !ok {
			continue
		}
		f := CSVColumns[ci].Field
		if _, dup := h.byField[f]; dup {
			continue
		}
		h.col[i] = ci
		h.byField[f] = i
	}
	return h
}

func (h *csvHeader) describe(info *CSVInfo) {
	for i, name := range h.names {
		switch {
		case h.col[i] >= 0:
			info.Columns = append(info.Columns, fmt.Sprintf("%q → %s", name, CSVColumns[h.col[i]].Field))
		case name == "":
			// An unnamed column is reported only if a row fills it.
		default:
			ci, known := csvHeaderIndex[headerKey(name)]
			if known {
				first := h.byField[CSVColumns[ci].Field]
				info.ignore(Msg{MsgColumnSame, []any{i + 1, name, first + 1, h.names[first]}})
			} else {
				info.ignore(Msg{MsgColumnUnknown, []any{i + 1, name}})
			}
		}
	}
}

// colName is how an error names column i: its header, or its position.
func (h *csvHeader) colName(i int) string {
	if i >= 0 && i < len(h.names) && h.names[i] != "" {
		return h.names[i]
	}
	return "column " + strconv.Itoa(i+1)
}

// cellErr is a row error about field, naming the column that holds it
// (or, for a missing column, the header that export would write).
func (h *csvHeader) cellErr(row int, field, reason string) *LineError {
	return h.cellLineErr(row, field, &csvCellError{reason: reason})
}

// cellMsg is cellErr with a catalogue message.
func (h *csvHeader) cellMsg(row int, field string, m Msg) *LineError {
	return h.cellLineErr(row, field, &csvCellError{msg: m})
}

func (h *csvHeader) cellLineErr(row int, field string, err *csvCellError) *LineError {
	return h.lineErr(row, field, err)
}

// lineErr is the LineError of row about field, naming its column.
func (h *csvHeader) lineErr(row int, field string, err error) *LineError {
	le := &LineError{Line: row, Field: field, Err: err}
	if i, ok := h.byField[field]; ok {
		le.Column = h.colName(i)
	} else if field == "name" {
		if i, ok := h.byField["last_name"]; ok {
			le.Column = h.colName(i)
		}
	}
	return le
}

// csvCellError is an officer-readable reason (a catalogue message, or
// text); it wraps ErrInvalid.
type csvCellError struct {
	reason string
	msg    Msg
}

func (e *csvCellError) Error() string {
	if e.msg.Key != "" {
		return e.msg.Text("en")
	}
	return e.reason
}
func (e *csvCellError) Unwrap() error { return ErrInvalid }

// unescapeCell undoes CSVCell: a single quote CSVCell would have added is
// removed.
func unescapeCell(s string) string {
	if len(s) > 1 && s[0] == '\'' && CSVCell(s[1:]) == s {
		return s[1:]
	}
	return s
}

// profile builds and checks the profile of one row.
func (h *csvHeader) profile(rec csvRecord) (Profile, *LineError) {
	switch {
	case rec.tooLong:
		return Profile{}, &LineError{Line: rec.row, Err: &csvCellError{msg: Msg{MsgRowTooLong, []any{MaxCSVRecord}}}}
	case rec.open:
		return Profile{}, &LineError{Line: rec.row, Err: &csvCellError{msg: Msg{Key: MsgOpenQuote}}}
	case rec.tooMany:
		return Profile{}, &LineError{Line: rec.row, Err: &csvCellError{msg: Msg{MsgTooManyCells, []any{MaxCSVColumns}}}}
	}
	var (
		p           Profile
		first, last string
	)
	for i, raw := range rec.cells {
		if i >= len(h.col) {
			if strings.TrimSpace(raw) != "" {
				return Profile{}, &LineError{Line: rec.row, Err: &csvCellError{msg: Msg{MsgCellsVsHeader,
					[]any{len(rec.cells), len(h.col), string(rune(h.comma))}}}}
			}
			continue
		}
		ci := h.col[i]
		if ci < 0 {
			continue
		}
		v := strings.TrimSpace(unescapeCell(raw))
		field := CSVColumns[ci].Field
		var err error
		switch field {
		case "id":
			p.ID = v
		case "name":
			p.Name = v
		case "first_name":
			first = v
		case "last_name":
			last = v
		case "email":
			p.Email = v
			if v != "" {
				if _, perr := mail.ParseAddress(v); perr != nil {
					err = &msgError{msg: Msg{MsgBadEmail, []any{v}}}
				}
			}
		case "locale":
			p.Locale, err = parseWord(v, localeWords, "fr, en or ar")
		case "city":
			p.City = v
		case "country":
			p.Country, err = parseCountry(v)
		case "headline":
			p.Headline = v
		case "skills":
			p.Skills = splitList(v)
		case "languages":
			p.Languages = parseLanguages(splitList(v))
		case "graduation_year":
			p.GraduationYear, err = parseYear(v)
		case "cohort":
			p.Cohort = v
		case "availability":
			p.Availability, err = parseAvailability(v)
		case "seeking.seniority":
			p.Seeking.Seniority, err = parseWords(v, seniorityWords)
		case "seeking.employment":
			p.Seeking.Employment, err = parseWords(v, employmentWords)
		case "seeking.workplace":
			p.Seeking.Workplace, err = parseWords(v, workplaceWords)
		case "seeking.locations":
			p.Seeking.Locations = parseLocations(splitList(v))
		case "alerts.frequency":
			p.Alerts.Frequency, err = parseWord(v, frequencyWords, "instantanée, quotidienne, hebdomadaire or aucune")
		case "consent.alerts":
			p.Consent.Alerts, err = parseBool(v)
		case "consent.searchable":
			p.Consent.Searchable, err = parseBool(v)
		case "consent.recruiters":
			p.Consent.Recruiters, err = parseBool(v)
		}
		if err != nil {
			ce := &csvCellError{reason: err.Error()}
			if m, ok := MsgOf(err); ok {
				ce.msg = m
			}
			return Profile{}, &LineError{Line: rec.row, Field: field, Column: h.colName(i), Err: ce}
		}
	}
	if p.Name == "" {
		p.Name = strings.TrimSpace(first + " " + last)
	}
	if p.ID == "" {
		if p.Email == "" {
			if _, ok := h.byField["email"]; ok {
				return Profile{}, h.cellMsg(rec.row, "email", Msg{Key: MsgNeedEmail})
			}
			return Profile{}, h.cellMsg(rec.row, "id", Msg{Key: MsgNeedID})
		}
		p.ID = IDFromEmail(p.Email)
	}
	if err := checkProfile(&p); err != nil {
		field, reason := "", err.Error()
		var fe *fieldError
		if errors.As(validationErr(err), &fe) {
			field = fe.field
			reason = strings.TrimPrefix(reason, ErrInvalid.Error()+": "+field+": ")
		}
		k, known := reasonKeys[reason]
		switch {
		case field == "email":
			return Profile{}, h.cellMsg(rec.row, field, Msg{MsgBadEmail, []any{p.Email}})
		case field == "id" && known:
			return Profile{}, h.cellMsg(rec.row, field, Msg{MsgIDReason, []any{p.ID, Msg{Key: k}}})
		case field == "id":
			reason = fmt.Sprintf("%q: an id %s", p.ID, reason)
		case known:
			return Profile{}, h.cellMsg(rec.row, field, Msg{Key: k})
		}
		return Profile{}, h.cellErr(rec.row, field, reason)
	}
	return p, nil
}

// splitList splits a multi-value cell on line breaks, ',', ';', '|', the
// Arabic comma and semicolon, then each entry on slashes with a space on
// either side ("Python / R" is two entries, "CI/CD" one).
func splitList(v string) []string {
	if v == "" {
		return nil
	}
	var out []string
	for len(v) > 0 {
		i := strings.IndexAny(v, "\n\r,;|،؛")
		item := v
		if i < 0 {
			v = ""
		} else {
			_, size := utf8.DecodeRuneInString(v[i:])
			item, v = v[:i], v[i+size:]
		}
		item = strings.TrimSpace(item)
		for item != "" {
			j := slashSep(item)
			if j < 0 {
				out = append(out, item)
				break
			}
			if x := strings.TrimSpace(item[:j]); x != "" {
				out = append(out, x)
			}
			item = strings.TrimSpace(item[j+1:])
		}
	}
	return out
}

// slashSep is the index of the first '/' in s with a space on either
// side, or -1.
func slashSep(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '/' && ((i > 0 && isSpaceByte(s[i-1])) || (i+1 < len(s) && isSpaceByte(s[i+1]))) {
			return i
		}
	}
	return -1
}

func isSpaceByte(b byte) bool { return b == ' ' || b == '\t' }

// Words of the enumerated fields, by headerKey. Each value's labels are
// what ExportCSVFor writes in fr, en and ar; they and the extra words are
// accepted on import.
var (
	seniorityWords = wordTable([]wordLabels{
		{"internship", [3]string{"stage", "internship", "تدريب"}, []string{"stagiaire", "intern"}},
		{"junior", [3]string{"junior", "junior", "مبتدئ"}, []string{"débutant", "jeune diplômé", "entry level"}},
		{"mid", [3]string{"confirmé", "mid", "متوسط الخبرة"}, []string{"intermédiaire", "mid level", "experienced"}},
		{"senior", [3]string{"senior", "senior", "خبير"}, nil},
		{"lead", [3]string{"lead", "lead", "قائد فريق"}, []string{"responsable", "chef d'équipe", "team lead"}},
	})
	employmentWords = wordTable([]wordLabels{
		{"full_time", [3]string{"temps plein", "full time", "دوام كامل"}, []string{"CDI", "temps complet", "plein temps", "fulltime", "permanent"}},
		{"part_time", [3]string{"temps partiel", "part time", "دوام جزئي"}, []string{"mi-temps", "parttime"}},
		{"contract", [3]string{"CDD", "contract", "عقد محدد المدة"}, []string{"contrat", "contrat à durée déterminée", "fixed term"}},
		{"freelance", [3]string{"freelance", "freelance", "عمل حر"}, []string{"indépendant", "free-lance", "auto-entrepreneur"}},
		{"internship", [3]string{"stage", "internship", "تدريب"}, []string{"stage PFE", "PFE", "intern"}},
		{"apprenticeship", [3]string{"alternance", "apprenticeship", "تكوين بالتناوب"}, []string{"apprentissage", "contrat d'apprentissage"}},
		{"temporary", [3]string{"intérim", "temporary", "عمل مؤقت"}, []string{"interim", "temporaire", "intérimaire"}},
	})
	workplaceWords = wordTable([]wordLabels{
		{"remote", [3]string{"télétravail", "remote", "عن بعد"}, []string{"à distance", "distanciel", "full remote", "oui", "yes"}},
		{"hybrid", [3]string{"hybride", "hybrid", "هجين"}, nil},
		{"onsite", [3]string{"sur site", "onsite", "حضوري"}, []string{"présentiel", "sur place", "on site", "in office", "non", "no"}},
	})
	frequencyWords = wordTable([]wordLabels{
		{"instant", [3]string{"instantanée", "instant", "فوري"}, []string{"immédiate", "immediate", "temps réel"}},
		{"daily", [3]string{"quotidienne", "daily", "يومي"}, []string{"quotidien", "chaque jour", "jour"}},
		{"weekly", [3]string{"hebdomadaire", "weekly", "أسبوعي"}, []string{"hebdo", "chaque semaine", "semaine"}},
		{"off", [3]string{"aucune", "off", "متوقف"}, []string{"jamais", "désactivées", "non", "none", "never"}},
	})
	localeWords = wordTable([]wordLabels{ // codes are exported as such
		{"fr", [3]string{"fr", "fr", "fr"}, []string{"français", "francais", "french", "الفرنسية"}},
		{"en", [3]string{"en", "en", "en"}, []string{"anglais", "english", "الإنجليزية", "الانجليزية"}},
		{"ar", [3]string{"ar", "ar", "ar"}, []string{"arabe", "arabic", "العربية"}},
	})
)

// wordLabels are the words of one enumerated value.
type wordLabels struct {
	value  string
	labels [3]string // fr, en, ar
	more   []string
}

// words maps a headerKey to a value and a value to its labels.
type words struct {
	value  map[string]string
	labels map[string][3]string
	order  []string
}

func wordTable(ws []wordLabels) words {
	w := words{value: map[string]string{}, labels: map[string][3]string{}}
	for _, wl := range ws {
		w.order = append(w.order, wl.value)
		w.labels[wl.value] = wl.labels
		w.value[headerKey(wl.value)] = wl.value
		for _, l := range append(wl.labels[:], wl.more...) {
			w.value[headerKey(l)] = wl.value
		}
	}
	return w
}

func (w words) labelOf(v, locale string) string {
	ls, ok := w.labels[v]
	if !ok {
		return v
	}
	return ls[localeIndex(locale)]
}

func (w words) known() string {
	ls := make([]string, len(w.order))
	for i, v := range w.order {
		ls[i] = w.labels[v][0]
	}
	return strings.Join(ls, ", ")
}

func localeIndex(locale string) int {
	switch locale {
	case "en":
		return 1
	case "ar":
		return 2
	}
	return 0
}

func parseWord(v string, w words, want string) (string, error) {
	if v == "" {
		return "", nil
	}
	if x, ok := w.value[headerKey(v)]; ok {
		return x, nil
	}
	return "", &msgError{msg: Msg{MsgNotUnderstood, []any{v, want}}}
}

func parseWords(v string, w words) ([]string, error) {
	var out []string
	for _, item := range splitList(v) {
		x, ok := w.value[headerKey(item)]
		if !ok {
			return nil, &msgError{msg: Msg{MsgNotUnderstoodAny, []any{item, w.known()}}}
		}
		out = append(out, x)
	}
	return out, nil
}

var boolWords = map[string]bool{
	"oui": true, "o": true, "yes": true, "y": true, "1": true, "x": true, "vrai": true, "true": true, "ok": true, "✓": true, "✔": true, "نعم": true,
	"non": false, "n": false, "no": false, "0": false, "faux": false, "false": false, "لا": false,
}

func parseBool(v string) (bool, error) {
	if v == "" {
		return false, nil
	}
	k := headerKey(v)
	if k == "" { // "✓" and the like are not letters
		k = strings.ToLower(v)
	}
	if b, ok := boolWords[k]; ok {
		return b, nil
	}
	return false, &msgError{msg: Msg{MsgBadBool, []any{v}}}
}

func boolLabel(b bool, locale string) string {
	labels := [3][2]string{{"non", "oui"}, {"no", "yes"}, {"لا", "نعم"}}[localeIndex(locale)]
	if b {
		return labels[1]
	}
	return labels[0]
}

// countryCodes maps country names (headerKey) to ISO 3166-1 alpha-2 codes:
// the countries Passerelle's graduates live and work in most.
var countryCodes = func() map[string]string {
	names := map[string][]string{
		"MA": {"Maroc", "Morocco", "Royaume du Maroc", "المغرب", "المملكة المغربية"},
		"FR": {"France", "فرنسا"},
		"ES": {"Espagne", "Spain", "España", "إسبانيا"},
		"DZ": {"Algérie", "Algeria", "الجزائر"},
		"TN": {"Tunisie", "Tunisia", "تونس"},
		"MR": {"Mauritanie", "Mauritania", "موريتانيا"},
		"SN": {"Sénégal", "Senegal", "السنغال"},
		"CI": {"Côte d'Ivoire", "Ivory Coast", "ساحل العاج"},
		"EG": {"Égypte", "Egypt", "مصر"},
		"BE": {"Belgique", "Belgium", "بلجيكا"},
		"NL": {"Pays-Bas", "Netherlands", "هولندا"},
		"DE": {"Allemagne", "Germany", "ألمانيا"},
		"IT": {"Italie", "Italy", "إيطاليا"},
		"PT": {"Portugal", "البرتغال"},
		"CH": {"Suisse", "Switzerland", "سويسرا"},
		"LU": {"Luxembourg", "لوكسمبورغ"},
		"GB": {"Royaume-Uni", "United Kingdom", "UK", "Angleterre", "England", "المملكة المتحدة"},
		"IE": {"Irlande", "Ireland", "أيرلندا"},
		"US": {"États-Unis", "Etats-Unis", "United States", "USA", "الولايات المتحدة"},
		"CA": {"Canada", "كندا"},
		"AE": {"Émirats arabes unis", "United Arab Emirates", "EAU", "UAE", "الإمارات"},
		"SA": {"Arabie saoudite", "Saudi Arabia", "السعودية"},
		"QA": {"Qatar", "قطر"},
	}
	m := map[string]string{}
	for code, ns := range names {
		for _, n := range ns {
			m[headerKey(n)] = code
		}
	}
	return m
}()

func parseCountry(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	if len(v) == 2 && isASCIILetter(v[0]) && isASCIILetter(v[1]) {
		return strings.ToUpper(v), nil
	}
	if c, ok := countryCodes[headerKey(v)]; ok {
		return c, nil
	}
	return "", &msgError{msg: Msg{MsgBadCountry, []any{v}}}
}

func isASCIILetter(b byte) bool { return b|0x20 >= 'a' && b|0x20 <= 'z' }

var languageCodes = func() map[string]string {
	names := map[string][]string{
		"fr":  {"Français", "French", "الفرنسية"},
		"ar":  {"Arabe", "Arabic", "العربية", "Darija", "Arabe dialectal", "الدارجة"},
		"en":  {"Anglais", "English", "الإنجليزية", "الانجليزية"},
		"es":  {"Espagnol", "Spanish", "Español", "الإسبانية"},
		"de":  {"Allemand", "German", "Deutsch", "الألمانية"},
		"it":  {"Italien", "Italian", "الإيطالية"},
		"zgh": {"Amazigh", "Tamazight", "Berbère", "Berber", "الأمازيغية"},
		"zh":  {"Chinois", "Chinese", "الصينية"},
		"tr":  {"Turc", "Turkish", "التركية"},
		"pt":  {"Portugais", "Portuguese", "البرتغالية"},
	}
	m := map[string]string{}
	for code, ns := range names {
		for _, n := range ns {
			m[headerKey(n)] = code
		}
	}
	return m
}()

// parseLanguages maps language names to ISO 639 codes; other entries are
// kept (Normalize lower-cases them).
func parseLanguages(items []string) []string {
	for i, it := range items {
		if c, ok := languageCodes[headerKey(it)]; ok {
			items[i] = c
		}
	}
	return items
}

// parseLocations maps country names to ISO codes; cities are kept.
func parseLocations(items []string) []string {
	for i, it := range items {
		if c, ok := countryCodes[headerKey(it)]; ok {
			items[i] = c
		}
	}
	return items
}

var immediateWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{"immédiate", "immediate", "immédiatement", "immediately", "tout de suite", "de suite",
		"dès que possible", "asap", "now", "maintenant", "disponible", "فوري", "فورا", "حالا"} {
		m[headerKey(w)] = true
	}
	return m
}()

var availabilityLabels = [3]string{"immédiate", "immediate", "فوري"}

func parseAvailability(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	if immediateWords[headerKey(v)] {
		return AvailabilityImmediate, nil
	}
	d, ok := parseDate(v)
	if !ok {
		return "", &msgError{msg: Msg{MsgBadDate, []any{v}}}
	}
	return d.Format(dateLayout), nil
}

func parseYear(v string) (int, error) {
	if v == "" {
		return 0, nil
	}
	if y, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(v, ".0"), ",0")); err == nil && y >= 1900 && y <= 2200 {
		return y, nil
	}
	if d, ok := parseDate(v); ok && d.Year() >= 1900 && d.Year() <= 2200 {
		return d.Year(), nil
	}
	return 0, &msgError{msg: Msg{MsgBadYear, []any{v}}}
}

// excelEpoch is day 0 of Excel's 1900 date system for serials from 61 on
// (serial 60 is the 29 February 1900 Excel believes in; 1 is 1900-01-01).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// parseDate reads a date as spreadsheets write it: dd/mm/yyyy (or with
// '-' or '.'; mm/dd/yyyy only when the day cannot be the first number),
// two-digit years (00–29 → 2000s, 30–99 → 1900s, as Excel does),
// yyyy-mm-dd, with or without a time after it, and Excel serial numbers
// (46023 is 2026-01-01).
func parseDate(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if i := strings.IndexAny(v, " T"); i > 0 {
		v = v[:i]
	}
	if f, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64); err == nil {
		n := int(f)
		switch {
		case f < 1 || f >= 2958466 || math.IsNaN(f) || n == 60: // 60 is 29/02/1900, which never was
			return time.Time{}, false
		case n < 60:
			return excelEpoch.AddDate(0, 0, n+1), true
		}
		return excelEpoch.AddDate(0, 0, n), true
	}
	parts := strings.FieldsFunc(v, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(parts) != 3 {
		return time.Time{}, false
	}
	n := [3]int{}
	for i, p := range parts {
		x, err := strconv.Atoi(p)
		if err != nil || x < 0 || len(p) > 4 {
			return time.Time{}, false
		}
		n[i] = x
	}
	var y, m, d int
	switch {
	case len(parts[0]) == 4:
		y, m, d = n[0], n[1], n[2]
	case len(parts[2]) == 4 || len(parts[2]) == 2:
		y, m, d = n[2], n[1], n[0]
		if len(parts[2]) == 2 {
			if y < 30 {
				y += 2000
			} else {
				y += 1900
			}
		}
		if m > 12 && d <= 12 { // month/day/year
			m, d = d, m
		}
	default:
		return time.Time{}, false
	}
	if m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 9999 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 31/02
		return time.Time{}, false
	}
	return t, true
}

// ExportCSVFor writes the profiles each visits as a spreadsheet French
// Excel opens right: UTF-8 with BOM, ';' between cells, CRLF line ends,
// headers of CSVColumns in the officer's locale (fr, the default, en or
// ar), yes/no and enumerated values in that language, lists joined by ", "
// and every cell through CSVCell. It streams every profile (no cap) in
// constant memory and returns how many rows it wrote. ImportCSV reads it
// back to the same profiles, except list entries containing a separator
// (',', ';', a line break, '|' or " / "), which come back split, cells'
// surrounding spaces, which are trimmed, and language names, which come
// back as ISO codes. Which profiles to include (consent) is the caller's
// choice of each.
func ExportCSVFor(ctx context.Context, w io.Writer, each EachFunc, locale string) (int, error) {
	switch locale {
	case "en", "ar":
	default:
		locale = "fr"
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString("\ufeff"); err != nil {
		return 0, fmt.Errorf("profiles: export csv: %w", err)
	}
	cw := csv.NewWriter(bw)
	cw.Comma, cw.UseCRLF = ';', true
	var cols []CSVColumn
	var row []string
	for _, c := range CSVColumns {
		if h := c.Headers[locale]; h != "" {
			cols = append(cols, c)
			row = append(row, h)
		}
	}
	if err := cw.Write(row); err != nil {
		return 0, fmt.Errorf("profiles: export csv: %w", err)
	}
	n := 0
	err := each(ctx, func(p Profile) error {
		for i, c := range cols {
			row[i] = CSVCell(csvValue(&p, c.Field, locale))
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
	if err := bw.Flush(); err != nil {
		return n, fmt.Errorf("profiles: export csv: %w", err)
	}
	return n, nil
}

func csvValue(p *Profile, field, locale string) string {
	labels := func(vs []string, w words) string {
		out := make([]string, len(vs))
		for i, v := range vs {
			out[i] = w.labelOf(v, locale)
		}
		return strings.Join(out, csvListSepOut)
	}
	switch field {
	case "id":
		return p.ID
	case "name":
		return p.Name
	case "email":
		return p.Email
	case "locale":
		return p.Locale
	case "city":
		return p.City
	case "country":
		return p.Country
	case "headline":
		return p.Headline
	case "skills":
		return strings.Join(p.Skills, csvListSepOut)
	case "languages":
		return strings.Join(p.Languages, csvListSepOut)
	case "graduation_year":
		if p.GraduationYear == 0 {
			return ""
		}
		return strconv.Itoa(p.GraduationYear)
	case "cohort":
		return p.Cohort
	case "availability":
		if p.Availability == AvailabilityImmediate {
			return availabilityLabels[localeIndex(locale)]
		}
		return p.Availability
	case "seeking.seniority":
		return labels(p.Seeking.Seniority, seniorityWords)
	case "seeking.employment":
		return labels(p.Seeking.Employment, employmentWords)
	case "seeking.workplace":
		return labels(p.Seeking.Workplace, workplaceWords)
	case "seeking.locations":
		return strings.Join(p.Seeking.Locations, csvListSepOut)
	case "alerts.frequency":
		return frequencyWords.labelOf(p.Alerts.Frequency, locale)
	case "consent.alerts":
		return boolLabel(p.Consent.Alerts, locale)
	case "consent.searchable":
		return boolLabel(p.Consent.Searchable, locale)
	case "consent.recruiters":
		return boolLabel(p.Consent.Recruiters, locale)
	}
	return ""
}
