package notifier

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTokens(t *testing.T) {
	tok := NewTokens([]byte("secret-1"))
	other := NewTokens([]byte("secret-2"))
	for _, id := range []string{"g-0042", "g.with.dots", "ملف-١", strings.Repeat("x", 128)} {
		token := tok.Make(id)
		if got, ok := tok.Verify(token); !ok || got != id {
			t.Errorf("Verify(Make(%q)) = %q, %v", id, got, ok)
		}
		if _, ok := other.Verify(token); ok {
			t.Errorf("token of %q verified with another secret", id)
		}
		if strings.ContainsAny(token, "+/=?&# ") {
			t.Errorf("token %q is not URL-safe", token)
		}
	}
	good := tok.Make("g-0042")
	idPart, macPart, _ := strings.Cut(good, ".")
	forged := tok.Make("g-0043")
	_, forgedMac, _ := strings.Cut(forged, ".")
	for _, bad := range []string{
		"", ".", good + "x", idPart, idPart + ".", "." + macPart,
		idPart + "." + forgedMac, // another profile's signature
		"Zy0wMDQz." + macPart,    // another id with this signature
		strings.ToUpper(good), good + "." + macPart,
	} {
		if id, ok := tok.Verify(bad); ok {
			t.Errorf("Verify(%q) accepted for %q", bad, id)
		}
	}
	if _, ok := NewTokens(nil).Verify(NewTokens(nil).Make("g")); ok {
		t.Error("empty secret must not verify anything")
	}
}

func FuzzTokensVerify(f *testing.F) {
	tok := NewTokens([]byte("fuzz-secret"))
	f.Add(tok.Make("g-0042"))
	f.Add("")
	f.Add("Zy0wMDQy.xx")
	f.Add(strings.Repeat("A", 2000))
	f.Fuzz(func(t *testing.T, s string) {
		id, ok := tok.Verify(s)
		if ok && tok.Make(id) != s {
			t.Fatalf("Verify(%q) accepted id %q whose token is %q", s, id, tok.Make(id))
		}
	})
}

var kvKeyRe = regexp.MustCompile(`^[-/_=.a-zA-Z0-9]+$`)

func TestKeyToken(t *testing.T) {
	tests := map[string]string{
		"remoteok:123":  "remoteok=3A123",
		"remoteok_123":  "remoteok_123",
		"a.b":           "a=2Eb",
		"a=2Eb":         "a=3D2Eb",
		"":              "=",
		"g-0042":        "g-0042",
		"x y*>":         "x=20y=2A=3E",
		"café":          "caf=C3=A9",
		"cluster:ab/cd": "cluster=3Aab=2Fcd",
	}
	for in, want := range tests {
		if got := KeyToken(in); got != want {
			t.Errorf("KeyToken(%q) = %q, want %q", in, got, want)
		}
	}
	if LedgerKey("g-1", "remoteok:1") != "g-1.remoteok=3A1" {
		t.Errorf("LedgerKey = %q", LedgerKey("g-1", "remoteok:1"))
	}
}

func FuzzKeyToken(f *testing.F) {
	for _, s := range []string{"remoteok:123", "a.b", "", "=", "ملف", "\x00\xff"} {
		f.Add(s, s+"x")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ka, kb := KeyToken(a), KeyToken(b)
		if !kvKeyRe.MatchString(ka) || strings.Contains(ka, ".") {
			t.Fatalf("KeyToken(%q) = %q is not one valid KV key token", a, ka)
		}
		if a != b && ka == kb {
			t.Fatalf("KeyToken(%q) == KeyToken(%q) == %q", a, b, ka)
		}
		if !utf8.ValidString(ka) {
			t.Fatalf("KeyToken(%q) not UTF-8", a)
		}
	})
}
