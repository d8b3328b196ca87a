package web

import (
	"strings"
	"testing"
)

// TestEmailProblem checks which typed addresses the join and link forms
// refuse, and with which message.
func TestEmailProblem(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"salma.b@gmail.com", ""},
		{"s.el-idrissi+alertes@etu.ump.ac.ma", ""},
		{"x@sub.example.org", ""},
		{"salma@gmail", "err_email_domain"},
		{"a@b", "err_email_domain"},
		{"salma@gmail.", "err_email"},
		{"salma@.com", "err_email"},
		{"salma@-gmail.com", "err_email"},
		{"salma@[127.0.0.1]", "err_email"},
		{"Salma <salma@gmail.com>", "err_email"},
		{"salma gmail.com", "err_email"},
		{"", "err_email"},
		{strings.Repeat("a", 300) + "@example.org", "err_email"},
		{"x@example.org\r\nBcc: y@example.org", "err_email"},
	} {
		if got := emailProblem(c.in); got != c.want {
			t.Errorf("emailProblem(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
