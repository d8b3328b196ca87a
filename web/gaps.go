package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/passerelle/passerelle/insights"
)

// SkillGapper computes a graduate's skill gap (insights).
type SkillGapper interface {
	SkillGap(ctx context.Context, profileID string) (insights.Result, error)
}

// gapLine is one skill-gap line of the profile page.
type gapLine struct {
	Skill   string // label in the page's language
	Opens   string
	Percent string
}

// gapLines computes the skill gap for the profile page; a failure only
// leaves the section out.
func (s *Server) gapLines(r *http.Request, profileID, l string) []gapLine {
	if s.deps.Gaps == nil {
		return nil
	}
	res, err := s.deps.Gaps.SkillGap(r.Context(), profileID)
	if err != nil {
		s.cfg.Logger.Warn("skill gap", "profile_id", profileID, "err", err)
		return nil
	}
	var out []gapLine
	for _, g := range res.Gaps {
		label := g.Skill
		if m := s.deps.SkillMapper; m != nil {
			if x := m.Label(g.Skill, l); x != "" {
				label = x
			}
		}
		// First-strong isolate: a Latin tool name reads right in Arabic.
		out = append(out, gapLine{Skill: "\u2068" + label + "\u2069", Opens: strconv.Itoa(g.Opens), Percent: strconv.Itoa(g.Percent)})
	}
	return out
}
