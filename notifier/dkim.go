package notifier

import (
	"crypto"
	"errors"
	"fmt"
	"os"
	"strings"

	gomail "github.com/wneessen/go-mail"
)

// DKIMConfig signs outgoing mail with DKIM (RFC 6376; go-mail's signer),
// relaxed/relaxed canonicalisation, rsa-sha256 or ed25519-sha256 after the
// key. Publish the public key as TXT <Selector>._domainkey.<Domain>.
type DKIMConfig struct {
	Domain   string // d=, normally the From domain (DMARC alignment)
	Selector string // s=
	Key      crypto.Signer
}

// DKIMSignedHeaders are the header fields every signature covers (h=):
// a field absent from a mail is signed as absent, so none can be added
// on the way.
//
// go-mail (v0.8.1) folds a DKIM tag longer than one line in the middle of
// its value, which a relaxed verifier reads with a space inside (the
// signature then fails). Every tag must therefore fit on one folded line
// (75 characters with "; "): this list is 74, and LoadDKIM bounds the
// domain and selector. MIME-Version and Content-Type stay out for that
// reason (the body hash covers the content).
var DKIMSignedHeaders = []string{
	"From", "To", "Subject", "Date", "Message-ID",
	"List-Unsubscribe", "List-Unsubscribe-Post",
}

// dkimMaxTag is the longest tag ("x=value; ") go-mail folds whole.
const dkimMaxTag = 75

// LoadDKIM reads a PEM private key (PKCS#1 RSA, or PKCS#8 RSA or
// Ed25519) and returns the signing configuration; all three settings are
// required together.
func LoadDKIM(keyFile, selector, domain string) (*DKIMConfig, error) {
	keyFile, selector, domain = strings.TrimSpace(keyFile), strings.TrimSpace(selector), strings.TrimSpace(domain)
	if keyFile == "" && selector == "" && domain == "" {
		return nil, nil
	}
	if keyFile == "" || selector == "" || domain == "" {
		return nil, errors.New("notifier: DKIM needs a key file, a selector and a domain (--dkim-key, --dkim-selector, --dkim-domain)")
	}
	if strings.ContainsAny(selector+domain, " ;=\r\n\t") {
		return nil, fmt.Errorf("notifier: DKIM selector %q or domain %q has a character DKIM does not allow", selector, domain)
	}
	if len("d="+domain+"; ") > dkimMaxTag || len("s="+selector+"; ") > dkimMaxTag {
		return nil, fmt.Errorf("notifier: DKIM domain and selector must each be at most %d characters", dkimMaxTag-4)
	}
	pemBytes, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, fmt.Errorf("notifier: DKIM key: %w", err)
	}
	key, err := gomail.PrivKeyFromPEM(pemBytes)
	if err != nil {
		return nil, fmt.Errorf("notifier: DKIM key %s: %w (want a PEM RSA or Ed25519 private key)", keyFile, err)
	}
	return &DKIMConfig{Domain: domain, Selector: selector, Key: key}, nil
}

// sign sets a signer on msg (nil config: none). A fresh signer per
// message: go-mail's keeps state while it signs.
func (d *DKIMConfig) sign(msg *gomail.Msg) {
	if d == nil || d.Key == nil {
		return
	}
	s := gomail.NewDKIMSigner(d.Domain, d.Selector, d.Key)
	s.SignHeaders(DKIMSignedHeaders...)
	s.HeaderCanonicalization(gomail.CanonicalizationRelaxed)
	s.BodyCanonicalization(gomail.CanonicalizationRelaxed)
	msg.SetDKIM(s)
}
