package notifier

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/passerelle/passerelle/internal/mailpit"
)

// ---- a small DKIM verifier (RFC 6376, relaxed/relaxed), for tests ----

// rawField is one header field as written: name and everything after the
// colon, folding included.
type rawField struct{ name, raw string }

func splitEML(raw []byte) ([]rawField, []byte, error) {
	s := string(raw)
	if !strings.Contains(s, "\r\n") {
		s = strings.ReplaceAll(s, "\n", "\r\n")
	}
	head, body, ok := strings.Cut(s, "\r\n\r\n")
	if !ok {
		return nil, nil, errors.New("no blank line after the header")
	}
	var fields []rawField
	for _, line := range strings.Split(head, "\r\n") {
		if line == "" {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(fields) == 0 {
				return nil, nil, errors.New("continuation line first")
			}
			fields[len(fields)-1].raw += "\r\n" + line
			continue
		}
		name, _, ok := strings.Cut(line, ":")
		if !ok {
			return nil, nil, fmt.Errorf("header line without colon: %q", line)
		}
		fields = append(fields, rawField{name: name, raw: line})
	}
	return fields, []byte(body), nil
}

var wspRun = regexp.MustCompile(`[ \t]+`)

// relaxedHeader canonicalises one field (RFC 6376 §3.4.2).
func relaxedHeader(raw string) string {
	name, value, _ := strings.Cut(raw, ":")
	value = strings.ReplaceAll(value, "\r\n", "")
	value = wspRun.ReplaceAllString(value, " ")
	return strings.ToLower(strings.TrimRight(name, " \t")) + ":" + strings.Trim(value, " \t") + "\r\n"
}

// relaxedBody canonicalises the body (RFC 6376 §3.4.4).
func relaxedBody(body []byte) []byte {
	lines := strings.Split(string(body), "\r\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(wspRun.ReplaceAllString(l, " "), " ")
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		return nil
	}
	return []byte(strings.Join(lines, "\r\n") + "\r\n")
}

var bTag = regexp.MustCompile(`((?:^|;)[ \t\r\n]*b[ \t\r\n]*=)[^;]*`)

// verifyDKIM checks the (first) DKIM-Signature of raw with pub and
// returns its tags.
func verifyDKIM(raw []byte, pub crypto.PublicKey) (map[string]string, error) {
	fields, body, err := splitEML(raw)
	if err != nil {
		return nil, err
	}
	idx := slices.IndexFunc(fields, func(f rawField) bool { return strings.EqualFold(f.name, "DKIM-Signature") })
	if idx < 0 {
		return nil, errors.New("no DKIM-Signature")
	}
	sigField := fields[idx]
	_, value, _ := strings.Cut(sigField.raw, ":")
	tags := map[string]string{}
	for _, t := range strings.Split(value, ";") {
		k, v, ok := strings.Cut(t, "=")
		if !ok {
			continue
		}
		k = strings.TrimSpace(k)
		v = strings.Join(strings.Fields(v), "")
		tags[k] = v
	}
	if tags["v"] != "1" || tags["c"] != "relaxed/relaxed" {
		return tags, fmt.Errorf("unsupported v=%q c=%q", tags["v"], tags["c"])
	}
	bh := sha256.Sum256(relaxedBody(body))
	if got := base64.StdEncoding.EncodeToString(bh[:]); got != tags["bh"] {
		return tags, fmt.Errorf("body hash %s, signature says %s", got, tags["bh"])
	}
	// Header fields of h=, each the last not yet used instance.
	used := map[int]bool{}
	var in strings.Builder
	for _, name := range strings.Split(tags["h"], ":") {
		name = strings.TrimSpace(name)
		for i := len(fields) - 1; i >= 0; i-- {
			if i != idx && !used[i] && strings.EqualFold(fields[i].name, name) {
				used[i] = true
				in.WriteString(relaxedHeader(fields[i].raw))
				break
			}
		}
	}
	// The signature field itself, with an empty b= and no final CRLF.
	name, v, _ := strings.Cut(sigField.raw, ":")
	stripped := name + ":" + bTag.ReplaceAllString(v, "$1")
	in.WriteString(strings.TrimSuffix(relaxedHeader(stripped), "\r\n"))
	sig, err := base64.StdEncoding.DecodeString(tags["b"])
	if err != nil {
		return tags, fmt.Errorf("b=: %w", err)
	}
	sum := sha256.Sum256([]byte(in.String()))
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if tags["a"] != "rsa-sha256" {
			return tags, fmt.Errorf("a=%s for an RSA key", tags["a"])
		}
		if err := rsa.VerifyPKCS1v15(k, crypto.SHA256, sum[:], sig); err != nil {
			return tags, fmt.Errorf("rsa: %w", err)
		}
	case ed25519.PublicKey:
		if tags["a"] != "ed25519-sha256" || !ed25519.Verify(k, sum[:], sig) {
			return tags, fmt.Errorf("ed25519 signature (a=%s) does not verify", tags["a"])
		}
	default:
		return tags, fmt.Errorf("key type %T", pub)
	}
	return tags, nil
}

// writeKey writes key as a PKCS#8 PEM file and returns its path.
func writeKey(t *testing.T, key crypto.Signer) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "dkim.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestDKIMSignatureVerifies: a mail sent through Mailpit with a DKIM key
// configured carries a signature that verifies, fetched raw, with the
// public key, covering From, Subject, Date, Message-Id, List-Unsubscribe
// and List-Unsubscribe-Post; a changed subject or body breaks it.
func TestDKIMSignatureVerifies(t *testing.T) {
	mp := mailpit.Start(t)
	ctx := context.Background()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		key    crypto.Signer
		locale string
	}{{"rsa", rsaKey, "fr"}, {"ed25519", edKey, "ar"}} {
		t.Run(tc.name, func(t *testing.T) {
			if err := mp.DeleteAll(ctx); err != nil {
				t.Fatal(err)
			}
			d, err := LoadDKIM(writeKey(t, tc.key), "pass2026", "passerelle.example.org")
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := ParseSMTPURL(mp.SMTPURL())
			if err != nil {
				t.Fatal(err)
			}
			cfg.DKIM = d
			want := composed(t, tc.locale)
			if want.Headers["List-Unsubscribe-Post"] == "" {
				t.Fatal("the composed mail has no List-Unsubscribe-Post: the coverage check cannot fail")
			}
			if err := NewSMTPMailerConfig(cfg).Send(ctx, want); err != nil {
				t.Fatal(err)
			}
			list, err := mp.WaitFor(ctx, 1, 10*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := mp.Raw(ctx, list[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			tags, err := verifyDKIM(raw, tc.key.Public())
			if err != nil {
				t.Fatalf("signature does not verify: %v\n%s", err, raw[:min(len(raw), 2000)])
			}
			if tags["d"] != "passerelle.example.org" || tags["s"] != "pass2026" {
				t.Errorf("d=%s s=%s", tags["d"], tags["s"])
			}
			h := strings.Split(strings.ToLower(tags["h"]), ":")
			for _, must := range []string{"from", "subject", "date", "message-id", "list-unsubscribe", "list-unsubscribe-post"} {
				if !slices.Contains(h, must) {
					t.Errorf("h= %s does not cover %s", tags["h"], must)
				}
			}
			// The verifier can fail: a changed subject, a changed body.
			subj := regexp.MustCompile(`(?m)^Subject:`)
			if _, err := verifyDKIM(subj.ReplaceAll(raw, []byte("Subject: Re:")), tc.key.Public()); err == nil {
				t.Error("a changed subject still verifies")
			}
			if _, err := verifyDKIM(bytes.Replace(raw, []byte("\r\n\r\n"), []byte("\r\n\r\nX"), 2), tc.key.Public()); err == nil {
				t.Error("a changed body still verifies")
			}
			other, _ := rsa.GenerateKey(rand.Reader, 1024)
			if _, err := verifyDKIM(raw, other.Public()); err == nil {
				t.Error("verifies with another key")
			}
		})
	}
}

func TestLoadDKIMErrors(t *testing.T) {
	if d, err := LoadDKIM("", "", ""); d != nil || err != nil {
		t.Errorf("nothing configured: %v, %v", d, err)
	}
	for _, args := range [][3]string{
		{"/nonexistent.pem", "s", "example.org"},
		{"key.pem", "", "example.org"},
		{"key.pem", "s", ""},
		{"key.pem", "s;x", "example.org"},
	} {
		if _, err := LoadDKIM(args[0], args[1], args[2]); err == nil {
			t.Errorf("LoadDKIM%q accepted", args)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.pem")
	if err := os.WriteFile(bad, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadDKIM(bad, "s", "example.org"); err == nil || !strings.Contains(err.Error(), "PEM") {
		t.Errorf("bad key file: %v", err)
	}
}

// TestDKIMTagsFitOneLine: go-mail folds a longer tag inside its value,
// which breaks the signature (see DKIMSignedHeaders).
func TestDKIMTagsFitOneLine(t *testing.T) {
	if h := "h=" + strings.Join(DKIMSignedHeaders, ":") + "; "; len(h) > dkimMaxTag {
		t.Errorf("h= tag is %d characters, more than %d", len(h), dkimMaxTag)
	}
	if _, err := LoadDKIM("key.pem", "s", strings.Repeat("a", 80)+".org"); err == nil {
		t.Error("an overlong domain was accepted")
	}
}

// BenchmarkDKIMSign: the cost of signing one alert, against writing it
// unsigned (the baseline).
func BenchmarkDKIMSign(b *testing.B) {
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	t := &testing.T{}
	msg := composed(t, "fr")
	now := time.Now()
	for _, bc := range []struct {
		name string
		dkim *DKIMConfig
	}{
		{"unsigned", nil},
		{"rsa2048", &DKIMConfig{Domain: "example.org", Selector: "s", Key: rsaKey}},
		{"ed25519", &DKIMConfig{Domain: "example.org", Selector: "s", Key: edKey}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				m, err := buildMsg(msg, "", now)
				if err != nil {
					b.Fatal(err)
				}
				bc.dkim.sign(m)
				if _, err := m.WriteTo(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
