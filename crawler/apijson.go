package crawler

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/passerelle/passerelle/jobs"
)

// Shared helpers of the JSON API kinds (remotive.go, remoteok.go, ...).
// Job board APIs disagree with themselves over time: numbers arrive as
// strings, strings as numbers, lists as single values, and any field may be
// null. The tolerant types below read what is there and never fail a whole
// posting over one odd field.

// apiMaxBody caps what an API parser reads: real answers are a few MiB at
// most, and a parser must not be made to hold an unbounded document.
const apiMaxBody = 20 << 20

// errAPITooLarge is wrapped when a document exceeds apiMaxBody.
var errAPITooLarge = errors.New("crawler: API document too large")

// apiBody returns doc's body without a UTF-8 byte order mark, or an error
// when it exceeds apiMaxBody.
func apiBody(doc Document, kind string) ([]byte, error) {
	if len(doc.Body) > apiMaxBody {
		return nil, fmt.Errorf("crawler: parse %s %s: %d bytes: %w", kind, doc.URL, len(doc.Body), errAPITooLarge)
	}
	return bytes.TrimPrefix(doc.Body, []byte("\xef\xbb\xbf")), nil
}

// apiUnmarshal decodes a whole document and wraps the error with its kind.
func apiUnmarshal(doc Document, kind string, v any) error {
	body, err := apiBody(doc, kind)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("crawler: parse %s %s: %w", kind, doc.URL, err)
	}
	return nil
}

// apiDecodeItem decodes one list element into v. It returns a skip reason
// when the element cannot be read as a posting at all; a field of the wrong
// type only leaves that field empty (encoding/json fills the others).
func apiDecodeItem(raw json.RawMessage, v any) string {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || t[0] != '{' {
		return "item is not a JSON object"
	}
	if err := json.Unmarshal(t, v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return ""
		}
		return "item unreadable: " + err.Error()
	}
	return ""
}

// apiAdd appends p to res, or records a skip when p has no title: a posting
// without a title is useless downstream (jobs.Posting requires one).
func apiAdd(res *ParseResult, i int, p jobs.Posting) {
	if strings.TrimSpace(p.Title) == "" {
		res.Skipped = append(res.Skipped, Skip{Index: i, Reason: "posting has no title"})
		return
	}
	res.Postings = append(res.Postings, p)
}

// apiSource is the source name a posting carries: the configured name when
// the sources config passed one, the kind otherwise.
func apiSource(doc Document, kind string) string {
	if s := strings.TrimSpace(doc.Options["source"]); s != "" {
		return s
	}
	return kind
}

// apiStr is a string that also accepts numbers (kept as their literal text,
// so epoch timestamps stay exact), booleans and null. Objects and arrays
// leave it empty.
type apiStr string

// UnmarshalJSON implements json.Unmarshaler.
func (s *apiStr) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '"':
		v, err := apiUnquote(b)
		if err != nil {
			return err
		}
		*s = apiStr(v)
	case 't', 'f':
		*s = apiStr(b)
	case 'n', '{', '[':
		*s = ""
	default:
		*s = apiStr(apiNumberText(string(b)))
	}
	return nil
}

// apiUnquote decodes a JSON string literal that encoding/json has already
// validated (it hands UnmarshalJSON checked bytes). Going through
// json.Unmarshal again would validate every description a second time,
// which dominated parse time.
func apiUnquote(b []byte) (string, error) {
	b = bytes.TrimSpace(b)
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", fmt.Errorf("crawler: not a JSON string: %.20q", b)
	}
	in := b[1 : len(b)-1]
	if bytes.IndexByte(in, '\\') < 0 {
		return apiValidUTF8(in), nil
	}
	out := make([]byte, 0, len(in))
	for i := 0; i < len(in); i++ {
		c := in[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		i++
		if i >= len(in) {
			return "", fmt.Errorf("crawler: bad escape in JSON string")
		}
		switch in[i] {
		case '"', '\\', '/':
			out = append(out, in[i])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, n := apiHexRune(in[i+1:])
			if n == 0 {
				return "", fmt.Errorf("crawler: bad \\u escape in JSON string")
			}
			i += n
			if utf16.IsSurrogate(r) {
				r2, n2 := rune(-1), 0
				if i+2 < len(in) && in[i+1] == '\\' && in[i+2] == 'u' {
					r2, n2 = apiHexRune(in[i+3:])
				}
				if dec := utf16.DecodeRune(r, r2); n2 > 0 && dec != utf8.RuneError {
					r = dec
					i += 2 + n2
				} else {
					r = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			return "", fmt.Errorf("crawler: bad escape in JSON string")
		}
	}
	return apiValidUTF8(out), nil
}

// apiValidUTF8 replaces each invalid byte with U+FFFD, as encoding/json does.
func apiValidUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	out := make([]byte, 0, len(b)+8)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		out = utf8.AppendRune(out, r)
		b = b[n:]
	}
	return string(out)
}

// apiHexRune reads the four hex digits of a \u escape; n is 0 when they
// are not there.
func apiHexRune(b []byte) (rune, int) {
	if len(b) < 4 {
		return 0, 0
	}
	v, err := strconv.ParseUint(string(b[:4]), 16, 32)
	if err != nil {
		return 0, 0
	}
	return rune(v), 4
}

// apiNumberText writes a JSON number literal as a plain decimal (no
// exponent), so "1.7e9" and "1700000000" read the same.
func apiNumberText(lit string) string {
	if !strings.ContainsAny(lit, "eE") {
		return lit
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return lit
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// text returns the value trimmed, with HTML entities decoded once: several
// APIs entity-encode plain fields ("Data Science &amp; Analytics").
func (s apiStr) text() string { return apiText(string(s)) }

// raw returns the value trimmed, without entity decoding (URLs, ids, HTML).
func (s apiStr) raw() string { return strings.TrimSpace(string(s)) }

// apiText trims s (white space and the invisible zero-width marks some
// APIs leave around names) and decodes HTML entities once.
func apiText(s string) string {
	s = apiTrim(s)
	if strings.IndexByte(s, '&') >= 0 {
		s = apiTrim(html.UnescapeString(s))
	}
	return s
}

func apiTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' || r == '\u200e' || r == '\u200f'
	})
}

// apiNum is a number that also accepts numeric strings ("75000",
// "75,000.50"), null and empty strings. OK is false when no number was read.
type apiNum struct {
	V  float64
	OK bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (n *apiNum) UnmarshalJSON(b []byte) error {
	*n = apiNum{}
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	var lit string
	switch b[0] {
	case '"':
		s, err := apiUnquote(b)
		if err != nil {
			return err
		}
		lit = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	case 'n', 't', 'f', '{', '[':
		return nil
	default:
		lit = string(b)
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return nil
	}
	*n = apiNum{V: f, OK: true}
	return nil
}

// apiBool is a boolean that also accepts "true"/"false"/"yes"/"no"/"1"/"0"
// strings, 1/0 and null. OK is false when the source said nothing usable.
type apiBool struct {
	V  bool
	OK bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (v *apiBool) UnmarshalJSON(b []byte) error {
	*v = apiBool{}
	var s apiStr
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	switch strings.ToLower(s.raw()) {
	case "true", "yes", "1":
		*v = apiBool{V: true, OK: true}
	case "false", "no", "0":
		*v = apiBool{V: false, OK: true}
	}
	return nil
}

// ptr returns the value as a *bool, nil when unknown.
func (v apiBool) ptr() *bool {
	if !v.OK {
		return nil
	}
	b := v.V
	return &b
}

// apiList is a list of strings that also accepts a single value, numbers,
// null, and objects (their "name", "label", "value" or "text" member).
type apiList []string

// UnmarshalJSON implements json.Unmarshaler.
func (l *apiList) UnmarshalJSON(b []byte) error {
	*l = nil
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '[':
		var items []json.RawMessage
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
		for _, it := range items {
			if s := apiScalarOrName(it); s != "" {
				*l = append(*l, s)
			}
		}
	default:
		if s := apiScalarOrName(b); s != "" {
			*l = apiList{s}
		}
	}
	return nil
}

// apiScalarOrName reads a scalar, or the naming member of an object.
func apiScalarOrName(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return ""
	}
	if b[0] == '{' {
		var o struct {
			Name  apiStr `json:"name"`
			Label apiStr `json:"label"`
			Value apiStr `json:"value"`
			Text  apiStr `json:"text"`
		}
		if json.Unmarshal(b, &o) != nil {
			return ""
		}
		return apiFirst(o.Name.text(), o.Label.text(), o.Value.text(), o.Text.text())
	}
	var s apiStr
	if s.UnmarshalJSON(b) != nil {
		return ""
	}
	return s.text()
}

// apiFirst returns the first non-empty value.
func apiFirst(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// apiTexts returns the non-empty values, trimmed, entity-decoded and
// without repeats (ignoring case), in order; nil when none.
func apiTexts(vals ...string) []string {
	var out []string
	for _, v := range vals {
		v = apiText(v)
		if v == "" || apiContains(out, v) {
			continue
		}
		out = append(out, v)
	}
	return out
}

func apiContains(list []string, v string) bool {
	for _, s := range list {
		if strings.EqualFold(s, v) {
			return true
		}
	}
	return false
}

// apiSalary builds a structured salary, nil when neither bound is a
// positive number (APIs write 0 or null for "not stated").
func apiSalary(lo, hi apiNum, currency, period string) *jobs.Salary {
	minOK := lo.OK && lo.V > 0
	maxOK := hi.OK && hi.V > 0
	if !minOK && !maxOK {
		return nil
	}
	s := &jobs.Salary{Currency: strings.TrimSpace(currency), Period: apiPeriod(period)}
	if minOK {
		s.Min = lo.V
	}
	if maxOK {
		s.Max = hi.V
	}
	return s
}

// apiPeriodWords maps the pay-period vocabularies of the APIs handled here
// (Himalayas "annual", Lever "per-year-salary", Ashby "1 YEAR", Jobicy
// "yearly", Digital Recruiters "Horaire", ...) to jobs.Salary periods.
var apiPeriodWords = map[string]string{
	"hour": "hour", "hourly": "hour", "per-hour-wage": "hour", "1 hour": "hour", "horaire": "hour", "heure": "hour",
	"day": "day", "daily": "day", "per-day-wage": "day", "1 day": "day", "journalier": "day", "jour": "day",
	"week": "week", "weekly": "week", "per-week-salary": "week", "1 week": "week", "hebdomadaire": "week",
	"month": "month", "monthly": "month", "per-month-salary": "month", "1 month": "month", "mensuel": "month", "mois": "month",
	"year": "year", "yearly": "year", "annual": "year", "annually": "year", "per-year-salary": "year", "1 year": "year",
	"annuel": "year", "an": "year",
}

// apiPeriod reads a source's pay period; an unknown word is kept as found
// for the normalizer.
func apiPeriod(s string) string {
	s = strings.TrimSpace(s)
	if p, ok := apiPeriodWords[strings.ToLower(s)]; ok {
		return p
	}
	return s
}

// apiWorkplace reads a workplace enum ("remote", "Hybrid", "OnSite",
// "on_site", ...): remote gives Remote=true, on-site gives Remote=false,
// anything else (hybrid) leaves Remote unset; the word itself always goes
// to WorkplaceTexts. Empty and "unspecified" say nothing.
func apiWorkplace(p *jobs.Posting, word string) bool {
	w := apiText(word)
	key := strings.NewReplacer("-", "", "_", "", " ", "").Replace(strings.ToLower(w))
	switch key {
	case "", "unspecified", "unknown", "none":
		return false
	case "remote", "telecommute", "fullyremote":
		t := true
		p.Remote = &t
	case "onsite", "inoffice", "office":
		f := false
		p.Remote = &f
	}
	p.WorkplaceTexts = apiTexts(append(p.WorkplaceTexts, w)...)
	return true
}

// apiRaw sets key to value in p.Raw when value is not empty.
func apiRaw(p *jobs.Posting, key, value string) {
	value = strings.TrimSpace(value)
	if value == "" {
		return
	}
	if p.Raw == nil {
		p.Raw = make(map[string]string)
	}
	p.Raw[key] = value
}

// apiLocation returns a structured location, ok=false when all parts are empty.
func apiLocation(city, region, country string) (jobs.Location, bool) {
	l := jobs.Location{City: apiText(city), Region: apiText(region), Country: apiText(country)}
	return l, l.City != "" || l.Region != "" || l.Country != ""
}

// apiAddLocation appends l unless it is empty or already listed.
func apiAddLocation(p *jobs.Posting, l jobs.Location, ok bool) {
	if !ok {
		return
	}
	for _, x := range p.Locations {
		if x == l {
			return
		}
	}
	p.Locations = append(p.Locations, l)
}

// apiJoinHTML joins HTML fragments, each under an optional heading.
func apiJoinHTML(parts ...[2]string) string {
	var b strings.Builder
	for _, part := range parts {
		heading, body := apiText(part[0]), strings.TrimSpace(part[1])
		if body == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		if heading != "" {
			b.WriteString("<h3>")
			b.WriteString(html.EscapeString(heading))
			b.WriteString("</h3>\n")
		}
		b.WriteString(body)
	}
	return b.String()
}

// apiPathSegment returns the n-th path segment (0-based) of an http(s) URL
// on a host ending in hostSuffix, e.g. the board token of
// https://jobs.lever.co/<token>/<id>.
func apiPathSegment(rawURL, hostSuffix string, n int) string {
	rest, ok := strings.CutPrefix(rawURL, "https://")
	if !ok {
		rest, ok = strings.CutPrefix(rawURL, "http://")
	}
	if !ok {
		return ""
	}
	host, path, _ := strings.Cut(rest, "/")
	if !strings.HasSuffix(strings.ToLower(host), hostSuffix) {
		return ""
	}
	path, _, _ = strings.Cut(path, "?")
	segs := strings.Split(path, "/")
	if n >= len(segs) {
		return ""
	}
	return segs[n]
}

// apiCompany is the company name configured for the source, if any: some
// ATS answers (Lever, Ashby) never name the employer.
func apiCompany(doc Document) string { return strings.TrimSpace(doc.Options["company"]) }

// apiTop is the top level of a JSON document, read for detection: an
// object's members or an array's elements.
type apiTop struct {
	obj map[string]json.RawMessage
	arr []json.RawMessage
}

// apiReadTop reads the top level of doc, ok=false when it is not a JSON
// object or array (HTML, XML, oversize, broken JSON).
func apiReadTop(doc Document) (apiTop, bool) {
	if len(doc.Body) > apiMaxBody {
		return apiTop{}, false
	}
	b := bytes.TrimSpace(bytes.TrimPrefix(doc.Body, []byte("\xef\xbb\xbf")))
	if len(b) == 0 {
		return apiTop{}, false
	}
	var t apiTop
	switch b[0] {
	case '{':
		if json.Unmarshal(b, &t.obj) != nil {
			return apiTop{}, false
		}
	case '[':
		if json.Unmarshal(b, &t.arr) != nil {
			return apiTop{}, false
		}
	default:
		return apiTop{}, false
	}
	return t, true
}

// apiObject decodes raw as an object's members, nil when it is not one.
func apiObject(raw json.RawMessage) map[string]json.RawMessage {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || t[0] != '{' {
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(t, &m) != nil {
		return nil
	}
	return m
}

// apiFirstObject returns the members of the first object in list, nil
// when there is none.
func apiFirstObject(list []json.RawMessage) map[string]json.RawMessage {
	for _, it := range list {
		if m := apiObject(it); m != nil {
			return m
		}
	}
	return nil
}

// apiArray decodes raw as an array, ok=false when it is not one.
func apiArray(raw json.RawMessage) ([]json.RawMessage, bool) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || t[0] != '[' {
		return nil, false
	}
	var a []json.RawMessage
	if json.Unmarshal(t, &a) != nil {
		return nil, false
	}
	return a, true
}

// apiFirstIn returns the first object of the array under key in m.
func apiFirstIn(m map[string]json.RawMessage, key string) map[string]json.RawMessage {
	a, ok := apiArray(m[key])
	if !ok {
		return nil
	}
	return apiFirstObject(a)
}

// apiHas reports whether m has every key.
func apiHas(m map[string]json.RawMessage, keys ...string) bool {
	if m == nil {
		return false
	}
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			return false
		}
	}
	return true
}

// apiHasAny reports whether m has at least one of keys.
func apiHasAny(m map[string]json.RawMessage, keys ...string) bool {
	for _, k := range keys {
		if _, ok := m[k]; ok {
			return true
		}
	}
	return false
}

// apiJoinPlain joins plain-text parts with blank lines.
func apiJoinPlain(parts ...string) string {
	var out []byte
	for _, s := range parts {
		if s == "" {
			continue
		}
		if len(out) > 0 {
			out = append(out, "\n\n"...)
		}
		out = append(out, s...)
	}
	return string(out)
}
