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
