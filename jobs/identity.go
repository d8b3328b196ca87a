package jobs

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// trackingParams are query keys that say how a visitor arrived, not which
// job it is.
var trackingParams = map[string]bool{
	"gclid": true, "fbclid": true, "msclkid": true, "dclid": true, "yclid": true, "mc_cid": true, "mc_eid": true,
	"ref": true, "referer": true, "referrer": true, "source": true, "src": true, "trk": true, "trkinfo": true,
	"refid": true, "trackingid": true, "_hsenc": true, "_hsmi": true, "igshid": true, "si": true,
	"gh_src": true, "lever-source": true, "lever-origin": true, "lever-source[]": true,
	"campaign": true, "cmp": true, "from": true, "origin": true, "share": true, "feed": true,
}

// CanonicalURL normalizes a URL so that one job read through different
// links gets one identity: scheme and host lower-cased, default port and
// fragment dropped, tracking parameters (utm_*, gclid, fbclid, ref, source,
// trk, ...) removed, remaining parameters sorted. Unparseable input is
// returned trimmed.
func CanonicalURL(u string) string {
	u = strings.TrimSpace(u)
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return u
	}
	p.Scheme = strings.ToLower(p.Scheme)
	host := strings.ToLower(p.Host)
	host = strings.TrimSuffix(host, ".")
	if (p.Scheme == "https" && strings.HasSuffix(host, ":443")) || (p.Scheme == "http" && strings.HasSuffix(host, ":80")) {
		host = host[:strings.LastIndexByte(host, ':')]
	}
	p.Host = host
	p.Fragment, p.RawFragment = "", ""
	p.User = nil
	if p.Path == "" {
		p.Path = "/"
	}
	if p.RawQuery != "" {
		q := p.Query()
		for k := range q {
			lk := strings.ToLower(k)
			if strings.HasPrefix(lk, "utm_") || trackingParams[lk] {
				delete(q, k)
			}
		}
		keys := make([]string, 0, len(q))
		for k := range q {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var b strings.Builder
		for _, k := range keys {
			vs := slices.Clone(q[k])
			slices.Sort(vs)
			for _, v := range vs {
				if b.Len() > 0 {
					b.WriteByte('&')
				}
				b.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(v))
			}
		}
		p.RawQuery = b.String()
	}
	p.ForceQuery = false
	return p.String()
}

// unsafeIDChar matches what may not appear in an id token: NATS subjects
// split on '.', and '*', '>' and white space are wildcards or separators.
var unsafeIDChar = regexp.MustCompile(`[^A-Za-z0-9_\-:@=+~]`)

// idToken makes s safe as part of an id.
func idToken(s string) string {
	return unsafeIDChar.ReplaceAllString(strings.TrimSpace(s), "_")
}

// shortHash is a stable 16-hex-digit digest.
func shortHash(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// OfferID builds "<source>:<sourceID>". An empty sourceID is derived from a
// hash of the canonical URL. Ids are safe as NATS subject tokens and message
// ids: characters other than letters, digits and "_-:@=+~" become "_", and
// overlong ids are shortened with a hash.
func OfferID(source, sourceID, u string) string {
	src := idToken(source)
	if src == "" {
		src = "unknown"
	}
	if len(src) > 60 {
		src = src[:40] + "_" + shortHash(source)
	}
	id := idToken(sourceID)
	if strings.Trim(id, "_") == "" {
		id = shortHash(CanonicalURL(u))
	}
	if len(src)+1+len(id) > 200 {
		id = id[:min(len(id), 100)] + "_" + shortHash(sourceID)
	}
	return src + ":" + id
}

// companySuffixes are legal forms dropped before comparing company names.
var companySuffixes = map[string]bool{
	"inc": true, "incorporated": true, "ltd": true, "limited": true, "llc": true, "llp": true, "gmbh": true,
	"ag": true, "sa": true, "sas": true, "sasu": true, "sarl": true, "sarlau": true, "bv": true, "nv": true,
	"plc": true, "corp": true, "corporation": true, "co": true, "company": true, "srl": true, "spa": true,
	"ab": true, "oy": true, "as": true, "pty": true, "pvt": true, "kg": true, "se": true, "group": true,
	"groupe": true, "holding": true, "the": true, "lp": true,
}

// titleNoise are words in titles that differ between boards for the same job.
var titleNoise = map[string]bool{
	"remote": true, "hybrid": true, "onsite": true, "m": true, "f": true, "w": true, "d": true, "h": true,
	"x": true, "mfd": true, "mwd": true, "hf": true, "fh": true, "all": true, "genders": true, "gn": true,
	"teletravail": true, "full": true, "time": true, "fulltime": true, "cdi": true, "urgent": true, "new": true,
	"100": true, "distance": true, "a": true, "fully": true, "job": true, "position": true,
}

var parenRe = regexp.MustCompile(`\([^)]*\)|\[[^\]]*\]`)

// Fingerprint groups the same job seen on several sources or URLs: the
// normalized company, title and primary country, hashed. Legal forms,
// gender markers ("(m/f/d)", "H/F"), workplace words and punctuation are
// ignored.
func Fingerprint(o Offer) string {
	title := parenRe.ReplaceAllStringFunc(o.Title, func(s string) string {
		// Keep parentheses that carry meaning ("(NLP)"), drop markers.
		if len(s) <= 12 && strings.ContainsAny(s, "/") {
			return " "
		}
		k := fold(s)
		if k == "remote" || k == "hybrid" || k == "teletravail" || strings.Contains(k, "remote") {
			return " "
		}
		return s
	})
	var tw []string
	for _, w := range strings.Fields(fold(title)) {
		if !titleNoise[w] {
			tw = append(tw, w)
		}
	}
	country := ""
	for _, l := range o.Locations {
		if l.Country != "" {
			country = l.Country
			break
		}
	}
	sum := sha256.Sum256([]byte(CompanyKey(o.Company) + "\x00" + strings.Join(tw, " ") + "\x00" + country))
	return hex.EncodeToString(sum[:12])
}

// CompanyKey is a company name as duplicates are grouped by: folded (case,
// accents, punctuation), legal forms ("SARL", "Inc.") left out.
func CompanyKey(name string) string {
	var cw []string
	for _, w := range strings.Fields(fold(name)) {
		if !companySuffixes[w] {
			cw = append(cw, w)
		}
	}
	return strings.Join(cw, " ")
}
