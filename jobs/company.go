package jobs

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maskCompany blanks, for skill extraction, the places where text names
// the company by its full name when that name has several words: a skill
// read inside it ("Sahara Data Factory", "Atlas Cloud Services") is the
// company's name, not something the job asks for. A one-word name is left
// alone: a vendor hiring for its own product ("Snowflake", "Databricks")
// names it as both. Occurrences are matched case-insensitively and only
// between word boundaries; the text keeps its length.
func maskCompany(text, company string) string {
	company = strings.Join(strings.Fields(company), " ")
	if len(strings.Fields(company)) < 2 || len(company) > 200 {
		return text
	}
	lower, name := strings.ToLower(text), strings.ToLower(company)
	if len(lower) != len(text) || !strings.Contains(lower, name) {
		// Lowering changed byte lengths (rare scripts): exact case only.
		lower, name = text, company
		if !strings.Contains(text, company) {
			return text
		}
	}
	b := []byte(text)
	for i := 0; i+len(name) <= len(lower); {
		j := strings.Index(lower[i:], name)
		if j < 0 {
			break
		}
		at, end := i+j, i+j+len(name)
		if boundaryBefore(lower, at) && boundaryAfter(lower, end) {
			for k := at; k < end; k++ {
				if b[k] != '\n' {
					b[k] = ' '
				}
			}
		}
		i = end
	}
	return string(b)
}

func boundaryBefore(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

func boundaryAfter(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}
