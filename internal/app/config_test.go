package app

import (
	"strings"
	"testing"
)

// TestShortTokensRefusedAtStart: a token shorter than web.MinTokenLen
// stops the start with a message naming the variable and the name.
func TestShortTokensRefusedAtStart(t *testing.T) {
	cfg := Config{RecruiterTokens: map[string]string{"a": "Acme"}, OfficerTokens: map[string]string{"0123456789abcdef": "ok"}}
	cfg.setDefaults()
	err := cfg.Validate()
	if err == nil || !strings.Contains(err.Error(), "PASSERELLE_RECRUITER_TOKENS") || !strings.Contains(err.Error(), `"Acme"`) {
		t.Fatalf("Validate = %v, want the short recruiter token refused", err)
	}
	if strings.Contains(err.Error(), "OFFICER") {
		t.Errorf("a 16-character officer token was refused: %v", err)
	}
}
