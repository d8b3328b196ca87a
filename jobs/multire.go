package jobs

import "strings"

// multiRe runs several patterns in one pass over a text (each fastRe pass
// reads the whole text; descriptions are long). It reports which patterns
// matched and the submatches of each one's first match. Matches do not
// overlap (leftmost first), so a pattern whose only match lies inside
// another's is not reported: patterns are grouped only where that cannot
// change a reading.
type multiRe struct {
	all    *fastRe
	parts  []*fastRe
	groups []int // the group wrapping part i
}

func newMultiRe(parts ...*fastRe) *multiRe {
	m := &multiRe{parts: parts}
	var ps []string
	g := 1
	for _, p := range parts {
		src := p.re.String()
		flags := ""
		if strings.HasPrefix(src, "(?i)") {
			src, flags = strings.TrimPrefix(src, "(?i)"), "i"
		}
		if flags != "" {
			ps = append(ps, "((?"+flags+":"+src+"))")
		} else {
			ps = append(ps, "((?:"+src+"))")
		}
		m.groups = append(m.groups, g)
		g += 1 + p.re.NumSubexp()
	}
	m.all = newFastRe(strings.Join(ps, "|"))
	return m
}

// multiHits are the results of one scan.
type multiHits struct {
	hit   []bool
	first [][]int // submatch indices of part i's first match, relative to its own groups
}

func (m *multiRe) scan(t *scanText, limit int) multiHits {
	h := multiHits{hit: make([]bool, len(m.parts)), first: make([][]int, len(m.parts))}
	if !m.all.MatchString(t) {
		return h // most texts: one pass that finds nothing
	}
	for _, sm := range m.all.FindAllStringSubmatchIndex(t, limit) {
		for i, g := range m.groups {
			if 2*g+1 >= len(sm) || sm[2*g] < 0 {
				continue
			}
			if !h.hit[i] {
				h.hit[i] = true
				n := 1 + m.parts[i].re.NumSubexp()
				h.first[i] = sm[2*g : 2*(g+n)]
			}
			break
		}
	}
	return h
}
