package skills

import (
	"strings"
)

// optionalCues are phrases (folded words) that make the skills of their
// sentence, or of the section they head, nice-to-have.
var optionalCues = cueIndex(
	// English
	"nice to have", "nice to haves", "a plus", "big plus", "plus point", "plus points",
	"bonus", "bonuses", "preferred", "preferable", "preferably", "would be great",
	"would be nice", "would be a plus", "good to have", "desirable", "desired",
	"an advantage", "advantageous", "an asset", "ideally", "optional", "pluses",
	"not required", "not mandatory", "extra credit", "it helps", "appreciated",
	// French
	"souhaite", "souhaitee", "souhaites", "souhaitees", "souhaitable", "souhaitables",
	"un plus", "apprecie", "appreciee", "apprecies", "appreciees", "appreciable",
	"appreciables", "idealement", "un atout", "atout", "atouts", "serait un plus",
	"de preference", "optionnel", "optionnelle", "facultatif", "facultative",
	"bienvenu", "bienvenue", "bienvenus", "bienvenues", "est un plus", "les plus",
	// Arabic
	"ميزه اضافيه", "يفضل", "مستحسن",
)

// notOptionalBefore are words that, right before a cue, make it a plain
// heading: "Profil souhaité" means the profile the employer wants.
var notOptionalBefore = wordSet("profil", "profile", "poste", "diplome", "formation", "niveau")

func cueIndex(phrases ...string) map[string][][]string {
	m := make(map[string][][]string)
	for _, p := range phrases {
		ws := strings.Fields(foldKey(p))
		m[ws[0]] = append(m[ws[0]], ws)
	}
	return m
}

// hasCue reports whether toks hold an optional cue.
func hasCue(toks []token) bool {
	for i, tk := range toks {
		for _, cue := range optionalCues[tk.fold] {
			if i+len(cue) > len(toks) {
				continue
			}
			ok := true
			for k := 1; k < len(cue) && ok; k++ {
				ok = toks[i+k].fold == cue[k]
			}
			if ok && i > 0 && notOptionalBefore[toks[i-1].fold] {
				ok = false
			}
			if ok {
				return true
			}
		}
	}
	return false
}

// optionalSentences returns, by sentence number, whether the sentence's
// skills are nice-to-have: the sentence holds a cue, or it sits under a
// heading that holds one ("Nice to have:", "Atouts", "Bonus points").
// A heading is a line ending with ':' or a short line naming no skill.
func optionalSentences(text string, toks []token, cands []candidate) []bool {
	nsent := toks[len(toks)-1].sent + 1
	opt := make([]bool, nsent)
	hasMention := make(map[int]bool)
	for _, c := range cands {
		if c.accepted {
			hasMention[toks[c.s].line] = true
		}
	}
	section := false
	for i := 0; i < len(toks); {
		// One line at a time.
		j := i
		for j < len(toks) && toks[j].line == toks[i].line {
			j++
		}
		line := toks[i:j]
		lineText := lineAround(text, line[0].start, line[len(line)-1].end)
		if isHeading(lineText, len(line), hasMention[line[0].line]) {
			section = hasCue(line)
		}
		for a := 0; a < len(line); {
			b := a
			for b < len(line) && line[b].sent == line[a].sent {
				b++
			}
			if section || hasCue(line[a:b]) {
				opt[line[a].sent] = true
			}
			a = b
		}
		i = j
	}
	return opt
}

// lineAround returns the whole line of text holding bytes [a:b], trimmed.
func lineAround(text string, a, b int) string {
	if i := strings.LastIndexByte(text[:a], '\n'); i >= 0 {
		a = i + 1
	} else {
		a = 0
	}
	if i := strings.IndexByte(text[b:], '\n'); i >= 0 {
		b += i
	} else {
		b = len(text)
	}
	return strings.TrimSpace(text[a:b])
}

func isHeading(line string, ntoks int, mentions bool) bool {
	if strings.HasPrefix(line, "#") {
		return true
	}
	trimmed := strings.TrimRight(line, " \t*_")
	if strings.HasSuffix(trimmed, ":") || strings.HasSuffix(trimmed, "：") {
		return true
	}
	if mentions || ntoks > 6 {
		return false
	}
	if strings.HasSuffix(trimmed, ".") || strings.HasSuffix(trimmed, ",") || strings.HasSuffix(trimmed, ";") {
		return false
	}
	// Bullets are list items, not headings.
	switch {
	case strings.HasPrefix(line, "-"), strings.HasPrefix(line, "•"), strings.HasPrefix(line, "·"),
		strings.HasPrefix(line, "–"), strings.HasPrefix(line, "* "), strings.HasPrefix(line, "+ "):
		return false
	}
	return true
}
