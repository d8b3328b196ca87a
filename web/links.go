package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultProfileLinkTTL is how long a "manage my profile" link works.
const DefaultProfileLinkTTL = 7 * 24 * time.Hour

// ProfileLinks makes and checks the signed, expiring tokens of "manage my
// profile" links: base64url(profile id) "." expiry (unix seconds, base 36)
// "." base64url(HMAC-SHA256(secret, "profile:" id "|" expiry)). The
// "profile:" purpose means an unsubscribe token (notifier.Tokens, whose MAC
// covers "unsubscribe:" id) can never open a profile, even under the same
// secret. It satisfies TokenVerifier for Deps.ProfileTokens.
type ProfileLinks struct {
	secret []byte
	ttl    time.Duration
}

// NewProfileLinks returns ProfileLinks keyed by secret (copied); ttl <= 0
// means DefaultProfileLinkTTL.
func NewProfileLinks(secret []byte, ttl time.Duration) ProfileLinks {
	if ttl <= 0 {
		ttl = DefaultProfileLinkTTL
	}
	return ProfileLinks{secret: append([]byte(nil), secret...), ttl: ttl}
}

func (p ProfileLinks) mac(id, exp string) []byte {
	h := hmac.New(sha256.New, p.secret)
	h.Write([]byte("profile:"))
	h.Write([]byte(id))
	h.Write([]byte("|"))
	h.Write([]byte(exp))
	return h.Sum(nil)
}

// Make returns a token for profileID valid from now for the TTL.
func (p ProfileLinks) Make(profileID string) string { return p.MakeAt(profileID, time.Now()) }

// MakeAt returns a token for profileID issued at issued.
func (p ProfileLinks) MakeAt(profileID string, issued time.Time) string {
	exp := strconv.FormatInt(issued.Add(p.ttl).Unix(), 36)
	return b64.EncodeToString([]byte(profileID)) + "." + exp + "." + b64.EncodeToString(p.mac(profileID, exp))
}

// Verify returns the profile id of a token that is genuine and unexpired.
func (p ProfileLinks) Verify(token string) (string, bool) { return p.VerifyAt(token, time.Now()) }

// VerifyAt is Verify at time now.
func (p ProfileLinks) VerifyAt(token string, now time.Time) (string, bool) {
	if len(p.secret) == 0 || len(token) > 1024 {
		return "", false
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", false
	}
	id, err := b64.DecodeString(parts[0])
	if err != nil || len(id) == 0 {
		return "", false
	}
	got, err := b64.DecodeString(parts[2])
	if err != nil || !hmac.Equal(got, p.mac(string(id), parts[1])) {
		return "", false
	}
	exp, err := strconv.ParseInt(parts[1], 36, 64)
	if err != nil || !now.Before(time.Unix(exp, 0)) {
		return "", false
	}
	return string(id), true
}

// ProfileLinkPath is the path and query of the profile page for a token,
// to append to the public base URL in e-mails.
func ProfileLinkPath(token, locale string) string {
	v := url.Values{"token": {token}}
	if locale != "" {
		v.Set("lang", locale)
	}
	return "/profile?" + v.Encode()
}

// OfferLinkPath is the path of an offer's page for the graduate whose
// profile token is token (the page lists it while it is among their
// offers).
func OfferLinkPath(token, locale, offerID string) string {
	v := url.Values{"token": {token}, "id": {offerID}}
	if locale != "" {
		v.Set("lang", locale)
	}
	return "/profile/offer?" + v.Encode()
}

// DefaultSignupLinkTTL is how long a sign-up confirmation link works.
const DefaultSignupLinkTTL = 48 * time.Hour

// SignupClaim is what a sign-up confirmation link carries: the address,
// the consent layers chosen, the page's language and when it was issued.
type SignupClaim struct {
	Email                          string
	Alerts, Searchable, Recruiters bool
	Locale                         string
	Issued                         time.Time
}

// SignupLinks makes and checks the signed, expiring tokens of sign-up
// confirmation links: base64url(email) "." consent bits "." locale "."
// issue time (unix seconds, base 36) "." base64url(HMAC-SHA256(secret,
// "signup:" and the rest)). The "signup:" purpose keeps these tokens and
// profile or unsubscribe tokens apart under one secret.
type SignupLinks struct {
	secret []byte
	ttl    time.Duration
}

// NewSignupLinks returns SignupLinks keyed by secret (copied); ttl <= 0
// means DefaultSignupLinkTTL.
func NewSignupLinks(secret []byte, ttl time.Duration) SignupLinks {
	if ttl <= 0 {
		ttl = DefaultSignupLinkTTL
	}
	return SignupLinks{secret: append([]byte(nil), secret...), ttl: ttl}
}

func (s SignupLinks) mac(payload string) []byte {
	h := hmac.New(sha256.New, s.secret)
	h.Write([]byte("signup:"))
	h.Write([]byte(payload))
	return h.Sum(nil)
}

// Make returns the token of c (c.Issued zero means now).
func (s SignupLinks) Make(c SignupClaim) string {
	if c.Issued.IsZero() {
		c.Issued = time.Now()
	}
	bits := 0
	for i, b := range []bool{c.Alerts, c.Searchable, c.Recruiters} {
		if b {
			bits |= 1 << i
		}
	}
	payload := b64.EncodeToString([]byte(c.Email)) + "." + strconv.Itoa(bits) + "." + c.Locale + "." + strconv.FormatInt(c.Issued.Unix(), 36)
	return payload + "." + b64.EncodeToString(s.mac(payload))
}

// Verify returns the claim of a genuine, unexpired token.
func (s SignupLinks) Verify(token string, now time.Time) (SignupClaim, bool) {
	var c SignupClaim
	if len(s.secret) == 0 || len(token) > 1024 {
		return c, false
	}
	i := strings.LastIndexByte(token, '.')
	if i < 0 {
		return c, false
	}
	payload := token[:i]
	got, err := b64.DecodeString(token[i+1:])
	if err != nil || !hmac.Equal(got, s.mac(payload)) {
		return c, false
	}
	parts := strings.Split(payload, ".")
	if len(parts) != 4 {
		return c, false
	}
	email, err := b64.DecodeString(parts[0])
	bits, err2 := strconv.Atoi(parts[1])
	issued, err3 := strconv.ParseInt(parts[3], 36, 64)
	if err != nil || err2 != nil || err3 != nil || len(email) == 0 || bits < 0 || bits > 7 {
		return c, false
	}
	c = SignupClaim{Email: string(email), Alerts: bits&1 != 0, Searchable: bits&2 != 0, Recruiters: bits&4 != 0,
		Locale: parts[2], Issued: time.Unix(issued, 0)}
	if now.Before(c.Issued.Add(-time.Minute)) || !now.Before(c.Issued.Add(s.ttl)) {
		return SignupClaim{}, false
	}
	return c, true
}

// SignupLinkPath is the path and query of the confirmation page for a
// token, to append to the public base URL in e-mails.
func SignupLinkPath(token, locale string) string {
	v := url.Values{"token": {token}}
	if locale != "" {
		v.Set("lang", locale)
	}
	return "/join/confirm?" + v.Encode()
}

// FeedbackLinks makes and checks the signed tokens of the 👍 / 👎 links of
// alert mails: base64url(profile id) "." base64url(offer id) "." verdict
// "." base64url(HMAC-SHA256(secret, "feedback:" and the rest)). They do not
// expire: an answer about an old offer is still worth keeping.
type FeedbackLinks struct{ secret []byte }

// NewFeedbackLinks returns FeedbackLinks keyed by secret (copied).
func NewFeedbackLinks(secret []byte) FeedbackLinks {
	return FeedbackLinks{secret: append([]byte(nil), secret...)}
}

// Feedback verdicts.
const (
	VerdictUp   = "up"
	VerdictDown = "down"
)

func (f FeedbackLinks) mac(payload string) []byte {
	h := hmac.New(sha256.New, f.secret)
	h.Write([]byte("feedback:"))
	h.Write([]byte(payload))
	return h.Sum(nil)
}

// Make returns the token of one answer.
func (f FeedbackLinks) Make(profileID, offerID, verdict string) string {
	payload := b64.EncodeToString([]byte(profileID)) + "." + b64.EncodeToString([]byte(offerID)) + "." + verdict
	return payload + "." + b64.EncodeToString(f.mac(payload))
}

// Verify returns the answer of a genuine token.
func (f FeedbackLinks) Verify(token string) (profileID, offerID, verdict string, ok bool) {
	if len(f.secret) == 0 || len(token) > 2048 {
		return "", "", "", false
	}
	i := strings.LastIndexByte(token, '.')
	if i < 0 {
		return "", "", "", false
	}
	got, err := b64.DecodeString(token[i+1:])
	if err != nil || !hmac.Equal(got, f.mac(token[:i])) {
		return "", "", "", false
	}
	parts := strings.Split(token[:i], ".")
	if len(parts) != 3 || (parts[2] != VerdictUp && parts[2] != VerdictDown) {
		return "", "", "", false
	}
	p, err1 := b64.DecodeString(parts[0])
	o, err2 := b64.DecodeString(parts[1])
	if err1 != nil || err2 != nil || len(p) == 0 || len(o) == 0 {
		return "", "", "", false
	}
	return string(p), string(o), parts[2], true
}

// FeedbackLinkPath is the path and query of a feedback link.
func FeedbackLinkPath(token, locale string) string {
	v := url.Values{"t": {token}}
	if locale != "" {
		v.Set("lang", locale)
	}
	return "/feedback?" + v.Encode()
}
