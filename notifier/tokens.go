package notifier

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// Tokens makes and checks unsubscribe tokens: base64url(profile id) "."
// base64url(HMAC-SHA256(secret, "unsubscribe:" + profile id)). A token
// names its profile, so the unsubscribe page needs no lookup table, and
// cannot be forged without the secret.
type Tokens struct {
	secret []byte
}

// maxTokenLen bounds what Verify will even look at.
const maxTokenLen = 1024

// NewTokens returns Tokens keyed by secret (copied).
func NewTokens(secret []byte) Tokens {
	return Tokens{secret: append([]byte(nil), secret...)}
}

func (t Tokens) mac(profileID string) []byte {
	h := hmac.New(sha256.New, t.secret)
	h.Write([]byte("unsubscribe:"))
	h.Write([]byte(profileID))
	return h.Sum(nil)
}

// Make returns the unsubscribe token of profileID.
func (t Tokens) Make(profileID string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(profileID)) + "." + enc.EncodeToString(t.mac(profileID))
}

// Verify returns the profile id a token was made for; ok is false for any
// token not made with this secret.
func (t Tokens) Verify(token string) (profileID string, ok bool) {
	if len(t.secret) == 0 || len(token) > maxTokenLen {
		return "", false
	}
	idPart, macPart, found := strings.Cut(token, ".")
	if !found {
		return "", false
	}
	enc := base64.RawURLEncoding
	id, err := enc.DecodeString(idPart)
	if err != nil || len(id) == 0 {
		return "", false
	}
	got, err := enc.DecodeString(macPart)
	if err != nil {
		return "", false
	}
	if !hmac.Equal(got, t.mac(string(id))) {
		return "", false
	}
	return string(id), true
}
