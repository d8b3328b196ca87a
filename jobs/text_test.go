package jobs

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestHTMLToText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain text kept", "Hello\nworld", "Hello\nworld"},
		{"paragraphs", "<p>First para.</p><p>Second&nbsp;para.</p>", "First para.\n\nSecond para."},
		{"list items", "<ul><li>Python</li><li>SQL &amp; dbt</li></ul>", "- Python\n- SQL & dbt"},
		{"script and style dropped", "<style>p{color:red}</style><p>Hi</p><script>alert(1)</script>", "Hi"},
		{"double escaped (greenhouse content)", "&lt;p&gt;We are &lt;strong&gt;hiring&lt;/strong&gt;&amp;nbsp;now&lt;/p&gt;", "We are hiring now"},
		{"entities", "Caf&eacute; &#8211; d&#233;veloppeur", "Café – développeur"},
		{"br", "line one<br>line two<br/>line three", "line one\nline two\nline three"},
		{"inline style spans", `<span style="font-weight:700">Bold</span> text`, "Bold text"},
		{"escaped text in real html stays", "<p>Use &lt;div&gt; tags</p>", "Use <div> tags"},
		{"comments dropped", "a<!-- hidden -->b", "ab"},
		{"headings", "<h2>About</h2>Text", "About\nText"},
		{"unclosed tags", "<p>Open <b>bold", "Open bold"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HTMLToText(tt.in); got != tt.want {
				t.Errorf("HTMLToText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Fès", "fes"}, {"FES", "fes"}, {"  Kénitra ", "kenitra"}, {"Xi'an", "xian"}, {"U.S.A.", "usa"},
		{"Côte d’Ivoire", "cote divoire"}, {"Rabat-Salé", "rabat sale"}, {"München", "munchen"}, {"إفران", "افران"},
	}
	for _, tt := range tests {
		if got := fold(tt.in); got != tt.want {
			t.Errorf("fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTruncateRunes(t *testing.T) {
	s := "ééé" // 6 bytes
	for n := 0; n <= 7; n++ {
		got := truncateRunes(s, n)
		if !utf8.ValidString(got) || len(got) > n || len(got) < n-1 {
			t.Errorf("truncateRunes(%q, %d) = %q", s, n, got)
		}
	}
}

func FuzzHTMLToText(f *testing.F) {
	for _, s := range []string{"<p>a</p>", "&lt;p&gt;x&lt;/p&gt;", "<script>x", "<li>a<li>b", "<<>>&&;", "<pre>  a\n b</pre>", "\xff<p>\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := HTMLToText(s)
		if strings.Contains(out, "\n\n\n") {
			t.Errorf("more than one blank line in %q", out)
		}
		if out != strings.TrimSpace(out) {
			t.Errorf("untrimmed output %q", out)
		}
		if strings.Contains(strings.ToLower(s), "<script") && !strings.Contains(strings.ToLower(s), "</script") {
			return
		}
		if strings.Contains(out, "<script") {
			t.Errorf("script tag survived in %q", out)
		}
	})
}
