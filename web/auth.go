package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Roles that log in with a token from Config.
const (
	roleOfficer   = "officer"
	roleRecruiter = "recruiter"
)

// Cookie names. Each role has its own cookie, scoped to its pages, so the
// officer cookie is never sent to recruiter pages and the reverse.
const (
	csrfCookie      = "passerelle_csrf"
	officerCookie   = "passerelle_officer"
	recruiterCookie = "passerelle_recruiter"
)

// csrfField is the hidden form field carrying the CSRF token.
const csrfField = "csrf"

// b64 is strict so each token has exactly one accepted spelling.
var b64 = base64.RawURLEncoding.Strict()

// mac is HMAC-SHA256 under the server secret over purpose and parts, each
// length-prefixed so no two different inputs share a MAC.
func (s *Server) mac(purpose string, parts ...string) []byte {
	h := hmac.New(sha256.New, s.secret)
	for _, p := range append([]string{purpose}, parts...) {
		h.Write([]byte(strconv.Itoa(len(p))))
		h.Write([]byte{':'})
		h.Write([]byte(p))
	}
	return h.Sum(nil)
}

func (s *Server) secure(r *http.Request) bool {
	return s.cfg.SecureCookies || r.TLS != nil
}

// csrfNonce returns the browser's CSRF nonce, setting a new cookie when it
// has none. The form token is an HMAC of the nonce and what the form acts
// on, so a page of another site can neither read nor compute it (signed
// double-submit cookie, OWASP).
func (s *Server) csrfNonce(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && validNonce(c.Value) {
		return c.Value
	}
	n := rand.Text()
	http.SetCookie(w, &http.Cookie{
		Name: csrfCookie, Value: n, Path: "/", HttpOnly: true,
		Secure: s.secure(r), SameSite: http.SameSiteStrictMode,
	})
	return n
}

func validNonce(v string) bool {
	if len(v) < 16 || len(v) > 64 {
		return false
	}
	for _, c := range v {
		if (c < 'A' || c > 'Z') && (c < '2' || c > '7') {
			return false
		}
	}
	return true
}

// csrfToken is the form token for nonce and binding (what the form acts on:
// a profile token, a session, a login form).
func (s *Server) csrfToken(nonce, binding string) string {
	return b64.EncodeToString(s.mac("csrf", nonce, binding))
}

// checkCSRF reports whether a parsed form POST carries the token of the
// browser's nonce cookie and binding.
func (s *Server) checkCSRF(r *http.Request, binding string) bool {
	c, err := r.Cookie(csrfCookie)
	if err != nil || !validNonce(c.Value) {
		return false
	}
	got, err := b64.DecodeString(r.PostForm.Get(csrfField))
	if err != nil {
		return false
	}
	return hmac.Equal(got, s.mac("csrf", c.Value, binding))
}

// tokens returns the configured tokens of a role.
func (s *Server) tokens(role string) map[string]string {
	if role == roleOfficer {
		return s.cfg.OfficerTokens
	}
	return s.cfg.RecruiterTokens
}

func cookieName(role string) string {
	if role == roleOfficer {
		return officerCookie
	}
	return recruiterCookie
}

func cookiePath(role string) string {
	if role == roleOfficer {
		return "/officers"
	}
	return "/recruiters"
}

// MinTokenLen is the shortest bearer token accepted: shorter ones could be
// guessed; New drops them (the process's configuration check refuses them
// at start with a clear message).
const MinTokenLen = 16

// lookupToken finds the name bound to tok. Every configured token is
// compared, through SHA-256 digests of equal length, in constant time: the
// time taken says nothing about how much of a token was right, nor about
// its length.
func lookupToken(tokens map[string]string, tok string) (string, bool) {
	if len(tok) < MinTokenLen || len(tok) > 1024 {
		return "", false
	}
	d := sha256.Sum256([]byte(tok))
	name, found := "", false
	for t, n := range tokens {
		td := sha256.Sum256([]byte(t))
		if subtle.ConstantTimeCompare(td[:], d[:]) == 1 && len(t) >= MinTokenLen {
			name, found = n, true
		}
	}
	return name, found
}

// tokenFingerprint names a token inside a session without revealing it; a
// session whose token is removed from Config stops working.
func (s *Server) tokenFingerprint(tok string) string {
	return b64.EncodeToString(s.mac("token", tok)[:16])
}

// accountPrefix marks, in a session, an account added at run time
// (OfficerAccounts) rather than a configured token.
const accountPrefix = "a:"

// newSession returns the signed cookie value of a login: role, expiry,
// token fingerprint (or the account's reference) and a random session id,
// then the MAC.
func (s *Server) newSession(role, tok string, id who) string {
	exp := s.now().Add(s.cfg.SessionTTL).Unix()
	fp := s.tokenFingerprint(tok)
	if id.ref != "" {
		fp = accountPrefix + id.ref
	}
	payload := role + "|" + strconv.FormatInt(exp, 10) + "|" + fp + "|" + rand.Text()
	return b64.EncodeToString([]byte(payload)) + "." + b64.EncodeToString(s.mac("session", payload))
}

// who is a signed-in officer or recruiter: the name bound to the token,
// and for a placement officer scoped to their school, the cohorts they may
// see (empty: every graduate).
type who struct {
	name    string
	cohorts []string
	scoped  bool
	ref     string // an account added at run time: its reference
}

// scope is the cohorts a search of this user is bounded to (nil: none).
// A scoped user without a cohort gets a blank scope, which the stores
// refuse (fail closed).
func (u who) scope() []string {
	if !u.scoped {
		return nil
	}
	if len(u.cohorts) == 0 {
		return []string{""}
	}
	return u.cohorts
}

// sessionInfo is a checked session cookie.
type sessionInfo struct {
	who
	id  string    // random id, what logout revokes
	exp time.Time // expiry
}

// parseSession checks a role's session cookie value: MAC, role, expiry,
// token still configured, id not revoked by a logout.
func (s *Server) parseSession(ctx context.Context, role, value string) (sessionInfo, bool) {
	if value == "" || len(value) > 512 {
		return sessionInfo{}, false
	}
	p64, m64, ok := strings.Cut(value, ".")
	if !ok {
		return sessionInfo{}, false
	}
	payload, err1 := b64.DecodeString(p64)
	got, err2 := b64.DecodeString(m64)
	if err1 != nil || err2 != nil || !hmac.Equal(got, s.mac("session", string(payload))) {
		return sessionInfo{}, false
	}
	parts := strings.Split(string(payload), "|")
	if len(parts) != 4 || parts[0] != role || parts[3] == "" {
		return sessionInfo{}, false
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || !s.now().Before(time.Unix(exp, 0)) {
		return sessionInfo{}, false
	}
	var id who
	found := false
	if ref, ok := strings.CutPrefix(parts[2], accountPrefix); ok {
		// An account added at run time: it must still exist (a removed
		// officer's sessions stop working), with its current scope.
		switch {
		case ref == "":
		case role == roleOfficer && s.deps.Officers != nil:
			var acc OfficerAccount
			if acc, found = s.deps.Officers.OfficerByRef(ctx, ref); found {
				id = accountWho(acc)
			}
		case role == roleRecruiter && s.deps.Recruiters != nil:
			var acc RecruiterAccount
			if acc, found = s.deps.Recruiters.RecruiterByRef(ctx, ref); found {
				id = who{name: acc.Name, ref: acc.Ref}
			}
		}
	} else {
		for t, n := range s.tokens(role) {
			if subtle.ConstantTimeCompare([]byte(s.tokenFingerprint(t)), []byte(parts[2])) == 1 && len(t) >= MinTokenLen {
				id, found = who{name: n}, true
			}
		}
	}
	if !found {
		return sessionInfo{}, false
	}
	revoked, err := s.revocations.Revoked(ctx, parts[3])
	if err != nil {
		// Cannot tell: refuse rather than honour a session that may
		// have been closed.
		s.cfg.Logger.Warn("session revocation check failed", "err", err)
		return sessionInfo{}, false
	}
	if revoked {
		return sessionInfo{}, false
	}
	return sessionInfo{who: id, id: parts[3], exp: time.Unix(exp, 0)}, true
}

// session checks a role's session cookie value and returns the name of the
// token it was opened with.
func (s *Server) session(role, value string) (string, bool) {
	si, ok := s.parseSession(context.Background(), role, value)
	return si.name, ok
}

// auth identifies a role's user by bearer token or session cookie. binding
// is what the user's CSRF tokens are bound to. A wrong bearer token counts
// against the client's failed-token allowance (checkBearer).
func (s *Server) auth(r *http.Request, role string) (name, binding string, ok bool) {
	u, binding, ok := s.authWho(r, role)
	return u.name, binding, ok
}

// authWho is auth with the user's scope.
func (s *Server) authWho(r *http.Request, role string) (u who, binding string, ok bool) {
	if u, st := s.checkBearer(r, role); st == bearerOK {
		return u, "bearer", true
	}
	c, err := r.Cookie(cookieName(role))
	if err != nil {
		return who{}, "", false
	}
	si, ok := s.parseSession(r.Context(), role, c.Value)
	return si.who, c.Value, ok
}

// Outcomes of checkBearer.
const (
	bearerNone    = iota // no bearer token in the request
	bearerOK             // a configured token of the asked role
	bearerWrong          // a token, but not one of the role's
	bearerLimited        // this client failed too often: not even compared
)

// checkBearer reads the request's bearer token and looks it up in tokens.
// Each wrong token costs the client (by IP) one try of its failed-token
// allowance (Config.FailedTokensPerHour); once it is spent, tokens from
// that client are refused without being compared until it refills, so
// tokens cannot be guessed at full speed.
func (s *Server) checkBearer(r *http.Request, role string) (who, int) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || tok == "" {
		return who{}, bearerNone
	}
	ip := clientIP(r)
	if s.authFails.exhausted(ip) {
		return who{}, bearerLimited
	}
	if u, ok := s.lookupRole(r.Context(), role, strings.TrimSpace(tok)); ok {
		return u, bearerOK
	}
	s.authFails.allow(ip)
	s.cfg.Logger.Warn("bearer token refused", "ip", ip, "path", r.URL.Path)
	return who{}, bearerWrong
}

func (s *Server) setSession(w http.ResponseWriter, r *http.Request, role, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: cookieName(role), Value: value, Path: cookiePath(role), MaxAge: maxAge,
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteStrictMode,
	})
}

// limiter is a per-key token bucket: burst requests at once, refilled at
// burst per window.
type limiter struct {
	mu      sync.Mutex
	burst   float64
	perSec  float64
	now     func() time.Time
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// maxBuckets bounds the limiter's memory; full buckets are dropped first.
const maxBuckets = 10000

func newLimiter(burst int, window time.Duration, now func() time.Time) *limiter {
	return &limiter{
		burst:   float64(burst),
		perSec:  float64(burst) / window.Seconds(),
		now:     now,
		buckets: make(map[string]*bucket),
	}
}

// allow takes one token from key's bucket.
func (l *limiter) allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			l.prune(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = min(l.burst, b.tokens+el*l.perSec)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// exhausted reports whether key's bucket is empty, without taking from it.
func (l *limiter) exhausted(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		return false
	}
	tokens := b.tokens
	if el := l.now().Sub(b.last).Seconds(); el > 0 {
		tokens = min(l.burst, tokens+el*l.perSec)
	}
	return tokens < 1
}

// prune drops buckets that have refilled; if none has, it drops them all
// rather than grow without bound.
func (l *limiter) prune(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.perSec >= l.burst {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= maxBuckets {
		clear(l.buckets)
	}
}

// clientIP is the peer address. Forwarded headers are not trusted: behind
// a proxy, limits apply to the proxy unless it rewrites RemoteAddr.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// memoryRevocations keeps revoked session ids in this process, each until
// its session's expiry.
type memoryRevocations struct {
	mu  sync.Mutex
	now func() time.Time
	ids map[string]time.Time
}

func newMemoryRevocations(now func() time.Time) *memoryRevocations {
	return &memoryRevocations{now: now, ids: map[string]time.Time{}}
}

func (m *memoryRevocations) Revoke(_ context.Context, id string, until time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	for k, t := range m.ids {
		if !now.Before(t) {
			delete(m.ids, k)
		}
	}
	m.ids[id] = until
	return nil
}

func (m *memoryRevocations) Revoked(_ context.Context, id string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.ids[id]
	return ok && m.now().Before(t), nil
}

// OfficerAccount is a placement officer added at run time.
type OfficerAccount struct {
	Name string
	// Cohorts scopes the officer to their school's cohorts: they see,
	// count, export, import and erase only graduates of these. Empty:
	// every graduate (who consented to be found).
	Cohorts []string
	// Ref identifies the account in sessions without being its token.
	Ref string
}

// OfficerAccounts finds placement officers added at run time
// ("passerelle officers add"), beside the configured tokens.
type OfficerAccounts interface {
	OfficerByToken(ctx context.Context, token string) (OfficerAccount, bool)
	// OfficerByRef finds an account by its Ref (a session's account).
	OfficerByRef(ctx context.Context, ref string) (OfficerAccount, bool)
}

// RecruiterAccount is a recruiter added at run time ("passerelle
// recruiters add"): the name is the company they post for.
type RecruiterAccount struct {
	Name string
	// Ref identifies the account in sessions without being its token.
	Ref string
}

// RecruiterAccounts finds recruiters added at run time, beside the
// configured tokens.
type RecruiterAccounts interface {
	RecruiterByToken(ctx context.Context, token string) (RecruiterAccount, bool)
	RecruiterByRef(ctx context.Context, ref string) (RecruiterAccount, bool)
}

func accountWho(a OfficerAccount) who {
	return who{name: a.Name, cohorts: a.Cohorts, scoped: len(a.Cohorts) > 0, ref: a.Ref}
}

// lookupRole finds who holds a token of role: configured tokens first
// (never scoped), then the officers' accounts.
func (s *Server) lookupRole(ctx context.Context, role, tok string) (who, bool) {
	if name, ok := lookupToken(s.tokens(role), tok); ok {
		return who{name: name}, true
	}
	if len(tok) < MinTokenLen || len(tok) > 1024 {
		return who{}, false
	}
	if role == roleOfficer && s.deps.Officers != nil {
		if a, ok := s.deps.Officers.OfficerByToken(ctx, tok); ok && a.Name != "" {
			return accountWho(a), true
		}
	}
	if role == roleRecruiter && s.deps.Recruiters != nil {
		if a, ok := s.deps.Recruiters.RecruiterByToken(ctx, tok); ok && a.Name != "" {
			return who{name: a.Name, ref: a.Ref}, true
		}
	}
	return who{}, false
}
