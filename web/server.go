// Package web owns Passerelle's HTTP server: the JSON API (recruiters'
// offers, placement officers' search, export and import, sources) and the
// server-rendered pages of the three roles, in French, English and Arabic:
// graduates manage their profile through a signed, expiring link;
// placement officers and recruiters sign in with a token (bearer header or
// a session cookie) to search graduates or post offers. Every form POST is
// size-limited and CSRF-checked (signed double-submit cookie); answers
// never carry internal error text.
package web

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/crawler"
	"github.com/passerelle/passerelle/internal/metrics"
	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/profiles"
)

// OfferPublisher publishes an offer on offers.new.
type OfferPublisher interface {
	PublishOffer(ctx context.Context, o jobs.Offer) error
}

// Importer stores profiles from Profile JSON lines and announces them.
type Importer interface {
	ImportProfiles(ctx context.Context, r io.Reader) (profiles.ImportReport, error)
}

// Eraser removes everything held about a graduate (the bucket, the
// indexes, the ledger, digests, matches, dead letters) and says what it
// removed.
type Eraser interface {
	EraseProfile(ctx context.Context, id string) (any, error)
}

// SourceLister reports the crawl sources' status.
type SourceLister interface {
	SourceStatus(ctx context.Context) ([]crawler.SourceStatus, error)
}

// DeadLetters lists the messages a component gave up on and publishes
// them again once their cause is fixed.
type DeadLetters interface {
	DeadLetters(ctx context.Context, max int) ([]bus.Dead, error)
	ReplayDead(ctx context.Context, seq uint64) (subject string, err error)
}

// Unsubscriber turns a graduate's alerts off.
type Unsubscriber interface {
	Unsubscribe(ctx context.Context, profileID string) error
}

// TokenVerifier checks unsubscribe tokens from emails.
type TokenVerifier interface {
	Verify(token string) (profileID string, ok bool)
}

// ProfileSaver stores a graduate's edited profile and announces it
// (profiles.changed).
type ProfileSaver interface {
	SaveProfile(ctx context.Context, p profiles.Profile) error
}

// LinkSender e-mails a "manage my profile" link to the profile with this
// address, if there is one. It must not reveal whether there is: the page
// answers the same either way, so it should also take about the same time
// (queue the mail rather than send it inline).
type LinkSender interface {
	SendProfileLink(ctx context.Context, email, locale string) error
}

// ProfileGetter reads one profile by id; unknown ids give an error
// wrapping profiles.ErrNotFound.
type ProfileGetter interface {
	Get(ctx context.Context, id string) (profiles.Profile, error)
}

// SkillMapper maps free skill labels to taxonomy ids and names them;
// *skills.Taxonomy satisfies it.
type SkillMapper interface {
	MapLabels(labels []string) (ids, unknown []string)
	Label(id, locale string) string
}

// RecentOfferLister lists the latest offers, newest first, for the home page.
type RecentOfferLister interface {
	RecentOffers(ctx context.Context, n int) []jobs.Offer
}

// Config configures the server; the zero value works for tests.
type Config struct {
	// RecruiterTokens maps a bearer token to the recruiter's name.
	RecruiterTokens map[string]string
	// OfficerTokens maps a bearer token to a placement officer's name.
	OfficerTokens map[string]string
	// MaxBodyBytes caps request bodies (default 1 MiB).
	MaxBodyBytes int64
	// SessionSecret signs login session cookies and CSRF tokens (at least
	// 32 random bytes). Empty: a random secret per process, so logins end
	// when the process restarts.
	SessionSecret []byte
	// SessionTTL is how long an officer or recruiter login lasts (default 8 h).
	SessionTTL time.Duration
	// SecureCookies marks cookies Secure on plain HTTP requests too, for a
	// server behind a TLS-terminating proxy; on HTTPS they always are.
	SecureCookies bool
	// LinkRequestsPerHour caps "send me my link" requests per client IP
	// (default 5).
	LinkRequestsPerHour int
	// LoginAttemptsPerHour caps token logins per client IP (default 30).
	LoginAttemptsPerHour int
	// FailedTokensPerHour is how many wrong bearer tokens a client IP may
	// send before its tokens are refused unread (default 20).
	FailedTokensPerHour int
	// Now is the clock (default time.Now).
	Now    func() time.Time
	Logger *slog.Logger
}

// Deps are the components the server talks to; nil ones disable their routes.
type Deps struct {
	Offers     OfferPublisher
	Normalizer *jobs.Normalizer
	// Profiles is the search index (officers' search and export).
	Profiles profiles.Store
	// ProfileRepo reads a profile by id where it is kept (the profiles
	// bucket): a graduate's own page. Default Profiles.
	ProfileRepo  ProfileGetter
	Importer     Importer
	Eraser       Eraser
	Sources      SourceLister
	Dead         DeadLetters
	Unsubscriber Unsubscriber
	// Tokens checks unsubscribe tokens.
	Tokens TokenVerifier
	// ProfileTokens checks "manage my profile" tokens; it must not accept
	// unsubscribe tokens (ProfileLinks does not).
	ProfileTokens TokenVerifier
	ProfileSaver  ProfileSaver
	LinkSender    LinkSender
	// Signups and SignupTokens run sign-up with double opt-in (/join).
	Signups SignupService
	// Matches lists a graduate's matches ("my matches").
	Matches MatchLister
	// MyData exports and erases a graduate's data (\"my data\").
	MyData MyDataService
	// Gaps computes a graduate's skill gap for their profile page.
	Gaps SkillGapper
	// Market computes the officers' market dashboard.
	Market MarketService
	// Officers are the placement officers added at run time.
	Officers OfficerAccounts
	// Recruiters are the recruiters added at run time.
	Recruiters RecruiterAccounts
	// Feedback and FeedbackTokens record the 👍 / 👎 of alert mails.
	Feedback       FeedbackRecorder
	FeedbackTokens *FeedbackLinks
	SignupTokens   *SignupLinks
	// SkillMapper, when set, shows graduates which skills were recognised.
	SkillMapper SkillMapper
	// RecentOffers, when set, feeds the home page; otherwise it shows the
	// offers posted to this process.
	RecentOffers RecentOfferLister
	// RecruiterOffers, when set, lists a recruiter's offers on their
	// "my offers" page (recruiter_offers.go).
	RecruiterOffers RecruiterOfferLister
	// Sessions records logged-out sessions so a copied cookie dies with
	// the logout on every web process; nil keeps them in this process.
	Sessions SessionRevocations
}

// SessionRevocations remembers sessions ended by a logout until they
// would have expired anyway.
type SessionRevocations interface {
	Revoke(ctx context.Context, id string, until time.Time) error
	Revoked(ctx context.Context, id string) (bool, error)
}

// usableTokens returns the tokens of a role that are long enough; the
// others are dropped with an error in the log (the process's own
// configuration check refuses them before this).
func usableTokens(tokens map[string]string, role string, log *slog.Logger) map[string]string {
	out := make(map[string]string, len(tokens))
	for t, n := range tokens {
		if len(t) < MinTokenLen {
			log.Error("token refused: shorter than the minimum", "role", role, "name", n, "min_len", MinTokenLen)
			continue
		}
		out[t] = n
	}
	return out
}

// Server is the HTTP handler of Passerelle.
type Server struct {
	cfg    Config
	deps   Deps
	mux    *http.ServeMux
	secret []byte
	now    func() time.Time

	linkLimit *limiter
	// signupAddrLimit caps sign-up mails per address (3 an hour).
	signupAddrLimit *limiter
	loginLimit      *limiter
	authFails       *limiter
	revocations     SessionRevocations

	mu     sync.Mutex
	recent []jobs.Offer // last offers posted here, for the home page
}

// New builds the server and its routes.
func New(cfg Config, deps Deps) *Server {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 8 * time.Hour
	}
	if cfg.LinkRequestsPerHour <= 0 {
		cfg.LinkRequestsPerHour = 5
	}
	if cfg.LoginAttemptsPerHour <= 0 {
		cfg.LoginAttemptsPerHour = 30
	}
	if cfg.FailedTokensPerHour <= 0 {
		cfg.FailedTokensPerHour = 20
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.RecruiterTokens = usableTokens(cfg.RecruiterTokens, "recruiter", cfg.Logger)
	cfg.OfficerTokens = usableTokens(cfg.OfficerTokens, "officer", cfg.Logger)
	secret := append([]byte(nil), cfg.SessionSecret...)
	if len(secret) == 0 {
		secret = make([]byte, 32)
		_, _ = rand.Read(secret) // never fails (crypto/rand, Go >= 1.24)
	}
	s := &Server{cfg: cfg, deps: deps, mux: http.NewServeMux(), secret: secret, now: cfg.Now,
		linkLimit:       newLimiter(cfg.LinkRequestsPerHour, time.Hour, cfg.Now),
		signupAddrLimit: newLimiter(3, time.Hour, cfg.Now),
		loginLimit:      newLimiter(cfg.LoginAttemptsPerHour, time.Hour, cfg.Now),
		authFails:       newLimiter(cfg.FailedTokensPerHour, time.Hour, cfg.Now),
	}
	if s.deps.ProfileRepo == nil && deps.Profiles != nil {
		s.deps.ProfileRepo = deps.Profiles
	}
	s.revocations = deps.Sessions
	if s.revocations == nil {
		s.revocations = newMemoryRevocations(cfg.Now)
	}
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok\n")
	})
	s.mux.HandleFunc("GET /{$}", s.home)
	s.mux.HandleFunc("POST /api/offers", s.postOffer)
	s.mux.HandleFunc("POST /api/offers/{id}/close", s.closeOffer)
	s.mux.HandleFunc("GET /api/offers", s.listRecruiterOffers)
	s.mux.HandleFunc("GET /unsubscribe", s.unsubscribePage)
	s.mux.HandleFunc("POST /unsubscribe", s.unsubscribePost)
	s.mux.HandleFunc("GET /api/profiles", s.searchProfiles)
	s.mux.HandleFunc("GET /api/profiles/export.csv", s.exportProfiles)
	s.mux.HandleFunc("GET /api/profiles/export.jsonl", s.exportJSONL)
	s.mux.HandleFunc("POST /api/profiles/import", s.importProfiles)
	s.mux.HandleFunc("DELETE /api/profiles/{id}", s.eraseProfile)
	s.mux.HandleFunc("GET /api/sources", s.listSources)
	s.mux.HandleFunc("GET /api/dead", s.listDead)
	s.mux.HandleFunc("POST /api/dead/{seq}/replay", s.replayDead)

	s.mux.HandleFunc("GET /profile", s.profilePage)
	s.mux.HandleFunc("POST /profile", s.profilePost)
	s.mux.HandleFunc("GET /join", s.joinPage)
	s.mux.HandleFunc("POST /join", s.joinPost)
	s.mux.HandleFunc("GET /join/confirm", s.confirmPage)
	s.mux.HandleFunc("POST /join/confirm", s.confirmPost)
	s.mux.HandleFunc("POST /profile/cv", s.cvPost)
	s.mux.HandleFunc("POST /profile/cv/accept", s.cvAcceptPost)
	s.mux.HandleFunc("GET /profile/data", s.myDataDownload)
	s.mux.HandleFunc("GET /profile/erase", s.erasePage)
	s.mux.HandleFunc("POST /profile/erase", s.erasePost)
	s.mux.HandleFunc("GET /feedback", s.feedbackPage)
	s.mux.HandleFunc("GET /api/feedback.jsonl", s.feedbackExport)
	s.mux.HandleFunc("GET /profile/matches", s.matchesPage)
	s.mux.HandleFunc("GET /profile/offer", s.offerPage)
	s.mux.HandleFunc("POST /profile/matches/hide", s.hidePost)
	s.mux.HandleFunc("GET /profile/link", s.linkPage)
	s.mux.HandleFunc("POST /profile/link", s.linkPost)

	s.mux.HandleFunc("GET /officers", s.officersPage)
	s.mux.HandleFunc("GET /officers/export.csv", s.officersExport)
	s.mux.HandleFunc("POST /officers/import", s.officersImport)
	s.mux.HandleFunc("GET /officers/market", s.marketPage)
	s.mux.HandleFunc("GET /officers/market.csv", s.marketCSV)
	s.mux.HandleFunc("GET /api/market", s.marketAPI)
	s.mux.HandleFunc("POST /api/officers", s.officersAdd)
	s.mux.HandleFunc("GET /api/officers", s.officersList)
	s.mux.HandleFunc("DELETE /api/officers/{name}", s.officersRemove)
	s.mux.HandleFunc("POST /api/recruiters", s.recruitersAdd)
	s.mux.HandleFunc("GET /api/recruiters", s.recruitersList)
	s.mux.HandleFunc("DELETE /api/recruiters/{name}", s.recruitersRemove)
	s.mux.HandleFunc("GET /officers/login", s.loginPage(roleOfficer))
	s.mux.HandleFunc("POST /officers/login", s.loginPost(roleOfficer))
	s.mux.HandleFunc("POST /officers/logout", s.logoutPost(roleOfficer))

	s.mux.HandleFunc("GET /recruiters", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/recruiters/offers?lang="+locale(r), http.StatusSeeOther)
	})
	s.mux.HandleFunc("GET /recruiters/login", s.loginPage(roleRecruiter))
	s.mux.HandleFunc("POST /recruiters/login", s.loginPost(roleRecruiter))
	s.mux.HandleFunc("POST /recruiters/logout", s.logoutPost(roleRecruiter))
	s.mux.HandleFunc("GET /recruiters/offers/new", s.offerFormPage)
	s.mux.HandleFunc("POST /recruiters/offers/new", s.offerFormPost)
	s.mux.HandleFunc("GET /recruiters/offers/posted", s.offerPostedPage)
	s.mux.HandleFunc("GET /recruiters/offers", s.recruiterOffersPage)
	s.mux.HandleFunc("POST /recruiters/offers/close", s.recruiterClosePost)
	s.sourceRoutes() // sources.go: sources API and the officers' sources page
	return s
}

// ServeHTTP implements http.Handler with security headers on every answer.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	// Answers carry tokens and personal data: no shared or browser cache.
	h.Set("Cache-Control", "no-store")
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	defer func() {
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		metrics.HTTPDuration.WithLabelValues(route, strconv.Itoa(sw.status/100)+"xx").Observe(time.Since(start).Seconds())
	}()
	defer s.recoverRequest(sw, r)
	s.mux.ServeHTTP(sw, r)
}

// statusWriter remembers the status code of an answer (for metrics).
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Flush lets streamed answers (exports) reach the client as they go.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap gives http.ResponseController the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// recoverRequest turns a handler's panic into a 500 answer (the connection
// stays usable, the process serves on) and logs it with the route and the
// stack. http.ErrAbortHandler keeps its meaning.
func (s *Server) recoverRequest(w http.ResponseWriter, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	s.cfg.Logger.Error("request handler panicked", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "internal error; it was logged"})
		return
	}
	s.fail(w, r, http.StatusInternalServerError, "err_internal")
}

// Serve serves on ln until ctx is done, then shuts down gracefully.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("web: serve %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return fmt.Errorf("web: shutdown: %w", err)
	}
	return nil
}

type apiError struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// requireBearer admits a request carrying one of tokens as its bearer
// token and returns the name bound to it; otherwise it answers 401 with
// msg, or 429 when the client has failed too often.
func (s *Server) requireBearer(w http.ResponseWriter, r *http.Request, role string, msg string) (string, bool) {
	u, ok := s.requireWho(w, r, role, msg)
	return u.name, ok
}

// requireWho is requireBearer with the user's scope.
func (s *Server) requireWho(w http.ResponseWriter, r *http.Request, role string, msg string) (who, bool) {
	u, st := s.checkBearer(r, role)
	switch st {
	case bearerOK:
		return u, true
	case bearerLimited:
		w.Header().Set("Retry-After", "600")
		writeJSON(w, http.StatusTooManyRequests, apiError{Error: "too many wrong tokens from your address; try again later"})
	default:
		w.Header().Set("WWW-Authenticate", `Bearer realm="passerelle"`)
		writeJSON(w, http.StatusUnauthorized, apiError{Error: msg})
	}
	return who{}, false
}

// officerTokenRequired is the 401 message of the officers' API.
const officerTokenRequired = "a valid placement officer token is required"

// postOffer lets a recruiter post an Offer JSON; it is validated, normalized
// where fields are missing, and published like a crawled offer.
func (s *Server) postOffer(w http.ResponseWriter, r *http.Request) {
	name, ok := s.requireBearer(w, r, roleRecruiter, "a valid recruiter token is required (Authorization: Bearer <token>)")
	if !ok {
		return
	}
	if s.deps.Offers == nil {
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "offers are not accepted by this process"})
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeJSON(w, http.StatusUnsupportedMediaType, apiError{Error: "Content-Type must be application/json"})
		return
	}
	body := http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	var o jobs.Offer
	err := dec.Decode(&o)
	if err == nil {
		if _, terr := dec.Token(); terr != io.EOF {
			err = errTrailing
			var mbe *http.MaxBytesError
			if errors.As(terr, &mbe) {
				err = terr
			}
		}
	}
	if err != nil {
		var mbe *http.MaxBytesError
		var ute *json.UnmarshalTypeError
		switch {
		case errors.As(err, &mbe):
			writeJSON(w, http.StatusRequestEntityTooLarge, apiError{Error: fmt.Sprintf("body larger than %d bytes", s.cfg.MaxBodyBytes)})
		case errors.As(err, &ute) && ute.Field == "":
			// The body itself is of the wrong kind ("[]", "3", a string).
			writeJSON(w, http.StatusBadRequest, apiError{Error: fmt.Sprintf("body must be one Offer JSON object, not a JSON %s", ute.Value)})
		case errors.As(err, &ute):
			writeJSON(w, http.StatusBadRequest, apiError{Error: fmt.Sprintf("%s: must be %s", ute.Field, ute.Type), Field: ute.Field})
		case errors.Is(err, errTrailing):
			writeJSON(w, http.StatusBadRequest, apiError{Error: "body must be one Offer JSON object and nothing after it"})
		default:
			writeJSON(w, http.StatusBadRequest, apiError{Error: "body is not a valid Offer JSON object: " + err.Error()})
		}
		return
	}
	if strings.TrimSpace(o.ID) == "" {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "id: is required (your own reference for this offer)", Field: "id"})
		return
	}
	// What Passerelle computes or decides is never taken from a request.
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"fingerprint", o.Fingerprint != ""}, {"source", o.Source != ""}, {"raw", len(o.Raw) > 0},
		{"terms", o.Terms != (jobs.Terms{})},
	} {
		if f.set {
			writeJSON(w, http.StatusBadRequest, apiError{Error: f.name + ": is set by Passerelle; leave it out", Field: f.name})
			return
		}
	}
	if err := s.acceptOffer(r.Context(), name, &o); err != nil {
		var fe *jobs.FieldError
		if errors.As(err, &fe) {
			writeJSON(w, http.StatusBadRequest, apiError{Error: fe.Error(), Field: fe.Field})
			return
		}
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "the offer could not be queued; try again"})
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]string{"id": o.ID})
}

// errTrailing is a request body with data after its JSON value.
var errTrailing = errors.New("web: data after the JSON value")

// errNotQueued means a valid offer could not be published; the cause is logged.
var errNotQueued = errors.New("web: offer not queued")

// acceptOffer is the one path of recruiter offers, from the API and the
// form: namespace the id, validate, complete, publish, remember for the
// home page. A validation error is a *jobs.FieldError.
func (s *Server) acceptOffer(ctx context.Context, recruiter string, o *jobs.Offer) error {
	slug := RecruiterSlug(recruiter)
	// Recruiter offers are namespaced so one recruiter cannot overwrite
	// another's or a crawled offer.
	if !strings.HasPrefix(o.ID, "recruiter-"+slug+":") {
		o.ID = "recruiter-" + slug + ":" + o.ID
	}
	o.Source = "recruiter-" + slug
	// A recruiter posts for the company its token belongs to: the name
	// bound to the token. Another company's name is refused, so an offer
	// cannot pass for a competitor's (nor share its duplicate cluster).
	if c := strings.TrimSpace(o.Company); c != "" && !sameCompany(c, recruiter) {
		return &jobs.FieldError{Field: "company", Reason: fmt.Sprintf("must be your account's company (%s) or left out", recruiter)}
	}
	o.Company = recruiter
	o.Terms = jobs.Terms{Attribution: recruiter, EmailAllowed: true, ShowBehindSignup: true}
	if err := o.Validate(); err != nil {
		return err
	}
	if s.deps.Normalizer != nil {
		s.deps.Normalizer.Complete(o)
		// Complete turns typed markup into text: a title that was only
		// markup is now empty.
		if err := o.Validate(); err != nil {
			return err
		}
	}
	// The duplicate cluster is computed here from the offer's content (the
	// account's company, title, country): a recruiter's offer and a crawled
	// copy of the same job share it, so a graduate gets that job once.
	o.Fingerprint = jobs.Fingerprint(*o)
	if o.PostedAt == nil {
		now := s.now().UTC()
		o.PostedAt = &now
	}
	if s.deps.Offers == nil {
		return errNotQueued
	}
	if err := s.deps.Offers.PublishOffer(ctx, *o); err != nil {
		s.cfg.Logger.Error("publish recruiter offer", "offer_id", o.ID, "err", err)
		return errNotQueued
	}
	s.mu.Lock()
	s.recent = append([]jobs.Offer{*o}, s.recent...)
	if len(s.recent) > 20 {
		s.recent = s.recent[:20]
	}
	s.mu.Unlock()
	s.cfg.Logger.Info("recruiter offer accepted", "offer_id", o.ID, "recruiter", recruiter)
	return nil
}

// sameCompany compares company names as a reader would: case, accents,
// punctuation and legal forms aside.
func sameCompany(a, b string) bool {
	return jobs.CompanyKey(a) == jobs.CompanyKey(b)
}

// RecruiterSlug is the namespace of a recruiter's offers ("recruiter-<slug>:
// <id>"): two recruiters with one slug could close each other's offers,
// so accounts are refused a slug already taken. It keeps a name's ASCII
// letters and digits; a name written only in other scripts (an Arabic
// company name) gets a digest of itself, so two such names do not share
// one namespace.
func RecruiterSlug(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	s := strings.Trim(b.String(), "-")
	if s == "" {
		s = "direct"
		if n := strings.ToLower(strings.TrimSpace(name)); n != "" {
			d := sha256.Sum256([]byte(n))
			s = "r" + hex.EncodeToString(d[:5])
		}
	}
	if len(s) > 40 {
		s = s[:40]
	}
	return s
}

// dryRunImporter is what Deps.Importer offers when it can read an import
// without storing it (?dry_run=1).
type dryRunImporter interface {
	ImportProfilesDryRun(ctx context.Context, r io.Reader) (profiles.ImportReport, error)
}

// scopedImporter is what Deps.Importer offers when it can import for an
// officer scoped to cohorts (rows of other cohorts refused line by line).
type scopedImporter interface {
	ImportProfilesScoped(ctx context.Context, r io.Reader, scope []string, dryRun bool) (profiles.ImportReport, error)
}

// errNoScopedImport: the importer cannot bound an import to a scope, so
// a scoped officer's import is refused.
var errNoScopedImport = errors.New("web: this process cannot import within an officer's cohorts")

// runImport imports r for u: within u's cohorts when u is scoped; with
// dryRun nothing is stored.
func (s *Server) runImport(ctx context.Context, u who, r io.Reader, dryRun bool) (profiles.ImportReport, error) {
	if si, ok := s.deps.Importer.(scopedImporter); ok {
		return si.ImportProfilesScoped(ctx, r, u.scope(), dryRun)
	}
	if u.scoped {
		return profiles.ImportReport{}, errNoScopedImport
	}
	if dr, ok := s.deps.Importer.(dryRunImporter); ok && dryRun {
		return dr.ImportProfilesDryRun(ctx, r)
	}
	return s.deps.Importer.ImportProfiles(ctx, r)
}

// importAnswer is an import report as the API answers it: line errors in
// English, or in lang (fr, en, ar) when it is given.
func importAnswer(rep profiles.ImportReport, lang string) map[string]any {
	errs := make([]string, 0, len(rep.Errors))
	for _, e := range rep.Errors {
		if lang != "" {
			errs = append(errs, e.Localized(lang))
		} else {
			errs = append(errs, e.Error())
		}
	}
	// At most profiles.MaxKeptLineErrors lines are named; "rejected"
	// counts them all.
	out := map[string]any{"imported": rep.Imported, "rejected": rep.Rejected, "line_errors": errs,
		"created": rep.Created, "updated": rep.Updated, "without_seeking": rep.NoSeeking, "without_skills": rep.NoSkills,
		"dry_run": rep.DryRun}
	if rep.CSV != nil {
		ignored := rep.CSV.Ignored
		if lang != "" {
			ignored = rep.CSV.IgnoredIn(lang)
		}
		out["csv"] = map[string]any{"encoding": rep.CSV.Encoding, "delimiter": string(rep.CSV.Delimiter),
			"columns": rep.CSV.Columns, "ignored": ignored}
	}
	return out
}

// importProfiles takes Profile JSON lines or a spreadsheet saved as CSV
// (placement officers, and the CLI talking to a running instance); with
// dry_run=1 nothing is stored. Bad lines are reported with their number
// (and column); good lines are imported.
func (s *Server) importProfiles(w http.ResponseWriter, r *http.Request) {
	u, ok := s.officerAPIWho(w, r, s.deps.Importer != nil, "profile import is not available in this process")
	if !ok {
		return
	}
	body := http.MaxBytesReader(w, r.Body, 64<<20)
	rep, err := s.runImport(r.Context(), u, body, r.URL.Query().Get("dry_run") == "1")
	lang := r.URL.Query().Get("lang")
	if lang != "" {
		lang = profiles.ImportLanguage(lang)
	}
	answer := importAnswer(rep, lang)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			answer["error"] = "import larger than 64 MiB: split the file (the profiles before the cut were imported)"
			writeJSON(w, http.StatusRequestEntityTooLarge, answer)
			return
		}
		// A file that is not a usable spreadsheet is the sender's to fix.
		var notCSV *profiles.NotCSVError
		switch {
		case errors.As(err, &notCSV):
			answer["error"] = notCSV.Localized(cmp.Or(lang, "en"))
			writeJSON(w, http.StatusUnprocessableEntity, answer)
			return
		case errors.Is(err, profiles.ErrCSVHeader) || errors.Is(err, profiles.ErrWorkbook):
			answer["error"] = err.Error()
			writeJSON(w, http.StatusUnprocessableEntity, answer)
			return
		}
		s.cfg.Logger.Error("import profiles", "err", err)
		answer["error"] = "import stopped: " + err.Error()
		writeJSON(w, http.StatusServiceUnavailable, answer)
		return
	}
	writeJSON(w, http.StatusOK, answer)
}

// eraseProfile answers DELETE /api/profiles/{id} (officers): everything
// held about the graduate is removed.
func (s *Server) eraseProfile(w http.ResponseWriter, r *http.Request) {
	u, ok := s.officerAPIWho(w, r, s.deps.Eraser != nil, "erasure is not available in this process")
	if !ok {
		return
	}
	name := u.name
	id := r.PathValue("id")
	if id == "" || len(id) > 128 {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "id: a profile id is required", Field: "id"})
		return
	}
	if u.scoped {
		// Only a graduate of the officer's cohorts; another school's is
		// answered as unknown.
		p, err := s.profileOf(r.Context(), id)
		switch {
		case errors.Is(err, profiles.ErrNotFound) || err == nil && !profiles.InCohorts(p.Cohort, u.cohorts):
			writeJSON(w, http.StatusNotFound, apiError{Error: "no such profile among your cohorts' graduates", Field: "id"})
			return
		case err != nil:
			s.cfg.Logger.Error("erase profile: scope check", "profile_id", id, "err", err)
			writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "erasure did not complete; call again (it is safe to repeat)"})
			return
		}
	}
	rep, err := s.deps.Eraser.EraseProfile(r.Context(), id)
	if err != nil {
		s.cfg.Logger.Error("erase profile", "profile_id", id, "err", err)
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "erasure did not complete; call again (it is safe to repeat)"})
		return
	}
	s.cfg.Logger.Info("profile erased by an officer", "profile_id", id, "by", name)
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "erased": rep})
}

func (s *Server) listSources(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.officerAPI(w, r, s.deps.Sources != nil, "sources are not known to this process"); !ok {
		return
	}
	st, err := s.deps.Sources.SourceStatus(r.Context())
	if err != nil {
		s.cfg.Logger.Error("source status", "err", err)
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "source status unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// maxDeadListed bounds GET /api/dead (and its max parameter's default).
const maxDeadListed = 1000

// listDead answers GET /api/dead?max=N: the dead letters, oldest first.
func (s *Server) listDead(w http.ResponseWriter, r *http.Request) {
	if u, ok := s.officerAPIWho(w, r, s.deps.Dead != nil, "dead letters are not known to this process"); !ok || !allSchools(w, u) {
		return
	}
	max := maxDeadListed
	if v := r.URL.Query().Get("max"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxDeadListed {
			writeJSON(w, http.StatusBadRequest, apiError{Error: fmt.Sprintf("max must be a number from 1 to %d", maxDeadListed)})
			return
		}
		max = n
	}
	dead, err := s.deps.Dead.DeadLetters(r.Context(), max)
	if err != nil {
		s.cfg.Logger.Error("dead letters", "err", err)
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "dead letters unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, dead)
}

// replayDead answers POST /api/dead/{seq}/replay.
func (s *Server) replayDead(w http.ResponseWriter, r *http.Request) {
	u, ok := s.officerAPIWho(w, r, s.deps.Dead != nil, "dead letters are not known to this process")
	if !ok || !allSchools(w, u) {
		return
	}
	name := u.name
	seq, err := strconv.ParseUint(r.PathValue("seq"), 10, 64)
	if err != nil || seq == 0 {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "seq must be a dead letter's sequence number"})
		return
	}
	subject, err := s.deps.Dead.ReplayDead(r.Context(), seq)
	switch {
	case errors.Is(err, bus.ErrNotDead):
		writeJSON(w, http.StatusNotFound, apiError{Error: fmt.Sprintf("no dead letter %d", seq)})
		return
	case err != nil:
		s.cfg.Logger.Error("replay dead letter", "seq", seq, "err", err)
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "replay failed: " + err.Error()})
		return
	}
	s.cfg.Logger.Info("dead letter replayed", "seq", seq, "subject", subject, "by", name)
	writeJSON(w, http.StatusOK, map[string]any{"seq": seq, "subject": subject})
}

// profileOf reads a profile where it is kept.
func (s *Server) profileOf(ctx context.Context, id string) (profiles.Profile, error) {
	if s.deps.ProfileRepo == nil {
		return profiles.Profile{}, errors.New("web: no profile store in this process")
	}
	return s.deps.ProfileRepo.Get(ctx, id)
}

// officerAPI admits a call to the officers' API: a valid officer token,
// and the component the route needs present in this process (available;
// else 503 with missing). It answers the refusal itself.
func (s *Server) officerAPI(w http.ResponseWriter, r *http.Request, available bool, missing string) (string, bool) {
	u, ok := s.officerAPIWho(w, r, available, missing)
	return u.name, ok
}

// officerAPIWho is officerAPI with the officer's scope.
func (s *Server) officerAPIWho(w http.ResponseWriter, r *http.Request, available bool, missing string) (who, bool) {
	u, ok := s.requireWho(w, r, roleOfficer, officerTokenRequired)
	if !ok {
		return who{}, false
	}
	if !available {
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: missing})
		return who{}, false
	}
	return u, true
}

// allSchools admits only officers who see every graduate (the admin token,
// configured tokens, officers added without cohorts): what spans every
// school (dead letters, feedback for evaluation) is not shown to an
// officer scoped to theirs. It answers 403 itself.
func allSchools(w http.ResponseWriter, u who) bool {
	if u.scoped {
		writeJSON(w, http.StatusForbidden, apiError{Error: "your account is scoped to your school's cohorts; this covers every school"})
		return false
	}
	return true
}
