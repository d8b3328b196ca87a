package web

import (
	"context"
	"errors"
	"net/http"
	"net/mail"
	"slices"
	"strings"
)

// SignupService queues sign-up confirmations and confirms them (double
// opt-in): RequestSignup mails the address a confirmation link whether or
// not a profile has it; ConfirmSignup creates the profile, or applies the
// consent chosen to the profile that has the address (an officer's
// import: their data stays, the graduate's choices win), and returns its
// id. A link already used answers ErrSignupUsed.
type SignupService interface {
	RequestSignup(ctx context.Context, c SignupClaim) error
	ConfirmSignup(ctx context.Context, c SignupClaim) (profileID string, err error)
}

// ErrSignupUsed: the confirmation link was used already.
var ErrSignupUsed = errors.New("web: sign-up link already used")

// profileLinkMaker is what Deps.ProfileTokens offers when it can also
// make tokens (ProfileLinks does): a confirmed sign-up opens the profile.
type profileLinkMaker interface{ Make(profileID string) string }

var consentValues = []string{"consent_alerts", "consent_searchable", "consent_recruiters"}

func (s *Server) joinData(w http.ResponseWriter, r *http.Request) pageData {
	nonce := s.csrfNonce(w, r)
	d := pageData{L: locale(r), Self: "/join", Errors: map[string]string{}}
	d.CSRF = s.csrfToken(nonce, "join")
	d.LinkCSRF = s.csrfToken(nonce, "link")
	return d
}

func (s *Server) joinPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "join.html", s.joinData(w, r))
}

// joinPost queues a sign-up confirmation. The answer is the same whether
// or not a profile has the address, and whether or not the address was
// rate-limited, so the form tells nobody who is registered.
func (s *Server) joinPost(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	d := s.joinData(w, r)
	email := strings.TrimSpace(r.PostForm.Get("email"))
	d.Email = email
	d.Consent = slices.DeleteFunc(append([]string(nil), r.PostForm["consent"]...), func(v string) bool { return !slices.Contains(consentValues, v) })
	if !s.checkCSRF(r, "join") {
		d.Errors[""] = "err_csrf"
		s.render(w, http.StatusForbidden, "join.html", d)
		return
	}
	if s.deps.Signups == nil {
		s.fail(w, r, http.StatusServiceUnavailable, "err_unavailable")
		return
	}
	if key := emailProblem(email); key != "" {
		d.Errors["email"] = key
		s.render(w, http.StatusUnprocessableEntity, "join.html", d)
		return
	}
	if !s.linkLimit.allow(clientIP(r)) {
		d.Errors[""] = "err_rate"
		s.render(w, http.StatusTooManyRequests, "join.html", d)
		return
	}
	c := SignupClaim{Email: email, Locale: d.L,
		Alerts:     slices.Contains(d.Consent, "consent_alerts"),
		Searchable: slices.Contains(d.Consent, "consent_searchable"),
		Recruiters: slices.Contains(d.Consent, "consent_recruiters"),
	}
	// Per address: a few mails an hour at most, whoever asks; beyond, the
	// page answers as usual and nothing is sent.
	if s.signupAddrLimit.allow(strings.ToLower(email)) {
		if err := s.deps.Signups.RequestSignup(r.Context(), c); err != nil {
			s.cfg.Logger.Error("queue sign-up confirmation", "err", err)
			d.Errors[""] = "err_unavailable"
			s.render(w, http.StatusServiceUnavailable, "join.html", d)
			return
		}
	} else {
		s.cfg.Logger.Info("sign-up confirmation not sent: too many for this address this hour")
	}
	d.Email, d.Consent, d.Notice = "", nil, "join_sent"
	s.render(w, http.StatusOK, "join.html", d)
}

// confirmData checks the token of a confirmation page; it answers the
// failure itself.
func (s *Server) confirmClaim(w http.ResponseWriter, r *http.Request, tok string) (SignupClaim, bool) {
	if s.deps.Signups == nil || s.deps.SignupTokens == nil {
		s.fail(w, r, http.StatusServiceUnavailable, "err_unavailable")
		return SignupClaim{}, false
	}
	c, ok := s.deps.SignupTokens.Verify(tok, s.cfg.Now())
	if !ok {
		s.render(w, http.StatusBadRequest, "error.html", pageData{L: locale(r), Self: "/join",
			Status: http.StatusBadRequest, Message: "err_signup_link"})
		return SignupClaim{}, false
	}
	return c, true
}

// confirmPage shows what will be confirmed, with a button: following the
// link alone (as mail scanners do) confirms nothing.
func (s *Server) confirmPage(w http.ResponseWriter, r *http.Request) {
	tok := r.URL.Query().Get("token")
	c, ok := s.confirmClaim(w, r, tok)
	if !ok {
		return
	}
	d := pageData{L: locale(r), Self: SignupLinkPath(tok, ""), Token: tok, Email: c.Email}
	d.CSRF = s.csrfToken(s.csrfNonce(w, r), "confirm")
	d.Consent = claimConsent(c)
	s.render(w, http.StatusOK, "join_confirm.html", d)
}

func claimConsent(c SignupClaim) []string {
	var out []string
	for i, b := range []bool{c.Alerts, c.Searchable, c.Recruiters} {
		if b {
			out = append(out, consentValues[i])
		}
	}
	return out
}

func (s *Server) confirmPost(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	tok := r.PostForm.Get("token")
	c, ok := s.confirmClaim(w, r, tok)
	if !ok {
		return
	}
	if !s.checkCSRF(r, "confirm") {
		s.fail(w, r, http.StatusForbidden, "err_csrf")
		return
	}
	id, err := s.deps.Signups.ConfirmSignup(r.Context(), c)
	switch {
	case errors.Is(err, ErrSignupUsed):
		s.render(w, http.StatusConflict, "error.html", pageData{L: locale(r), Self: "/join",
			Status: http.StatusConflict, Message: "err_signup_used"})
		return
	case err != nil:
		s.cfg.Logger.Error("confirm sign-up", "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, "err_unavailable")
		return
	}
	mk, ok := s.deps.ProfileTokens.(profileLinkMaker)
	if !ok {
		s.fail(w, r, http.StatusServiceUnavailable, "err_unavailable")
		return
	}
	http.Redirect(w, r, ProfileLinkPath(mk.Make(id), locale(r))+"&welcome=1", http.StatusSeeOther)
}

// emailProblem is the message key saying what is wrong with an address a
// graduate typed, "" when it can receive mail: a valid address (plain, no
// display name, at most maxEmailLen bytes) whose domain has a dot and no
// empty label. "salma@gmail" is valid for net/mail but reaches nobody: the
// graduate would wait for a confirmation mail that never comes.
func emailProblem(email string) string {
	a, err := mail.ParseAddress(email)
	if err != nil || len(email) > maxEmailLen || a.Address != email {
		return "err_email"
	}
	at := strings.LastIndexByte(email, '@')
	domain := email[at+1:]
	if strings.HasPrefix(domain, "[") {
		return "err_email" // an address literal: no mail service takes it
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return "err_email_domain"
	}
	for _, l := range labels {
		if l == "" || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return "err_email"
		}
	}
	return ""
}
