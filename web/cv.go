package web

import (
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"
)

// MaxCVRunes is the longest CV or LinkedIn summary the profile page reads.
const MaxCVRunes = 20000

// skillExtractor is what Deps.SkillMapper offers when it can also read
// skills in prose (skills.Taxonomy does).
type skillExtractor interface {
	Extract(text string) (required, optional []string)
}

// proposal is a skill found in a pasted CV, offered for the graduate to
// accept.
type proposal struct{ ID, Label string }

// cvPost reads a pasted CV or LinkedIn summary and proposes the skills
// found in it that the profile lacks; nothing is saved (the text is not
// kept) until the graduate accepts some.
func (s *Server) cvPost(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	tok := r.PostForm.Get("token")
	p, ok := s.openProfile(w, r, tok)
	if !ok {
		return
	}
	l := profileLocale(r, p)
	d := pageData{L: l, Self: profileSelf(tok), Token: tok, Profile: s.newProfileView(p, l), Errors: map[string]string{}}
	d.CSRF = s.csrfToken(s.csrfNonce(w, r), "profile|"+tok)
	if !s.checkCSRF(r, "profile|"+tok) {
		d.Errors[""] = "err_csrf"
		s.render(w, http.StatusForbidden, "profile.html", d)
		return
	}
	cv := r.PostForm.Get("cv")
	ex, ok := s.deps.SkillMapper.(skillExtractor)
	switch {
	case !ok:
		s.fail(w, r, http.StatusServiceUnavailable, "err_unavailable")
		return
	case !utf8.ValidString(cv):
		d.Errors["cv"] = "err_bad_form"
	case utf8.RuneCountInString(cv) > MaxCVRunes:
		d.Errors["cv"] = "err_cv_too_long"
	case strings.TrimSpace(cv) == "":
		d.Errors["cv"] = "err_required"
	}
	if len(d.Errors) > 0 {
		s.render(w, http.StatusUnprocessableEntity, "profile.html", d)
		return
	}
	req, opt := ex.Extract(cv)
	have, _ := s.deps.SkillMapper.MapLabels(p.Skills)
	for _, id := range append(req, opt...) {
		if slices.Contains(have, id) || slices.ContainsFunc(d.Profile.Proposed, func(x proposal) bool { return x.ID == id }) {
			continue
		}
		label := s.deps.SkillMapper.Label(id, l)
		if label == "" {
			label = id
		}
		d.Profile.Proposed = append(d.Profile.Proposed, proposal{ID: id, Label: label})
	}
	d.Profile.CVRead = true
	s.render(w, http.StatusOK, "profile.html", d)
}

// cvAcceptPost adds the proposed skills the graduate ticked, as labels in
// their language, to the profile.
func (s *Server) cvAcceptPost(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	tok := r.PostForm.Get("token")
	p, ok := s.openProfile(w, r, tok)
	if !ok {
		return
	}
	l := profileLocale(r, p)
	d := pageData{L: l, Self: profileSelf(tok), Token: tok, Errors: map[string]string{}}
	d.CSRF = s.csrfToken(s.csrfNonce(w, r), "profile|"+tok)
	if !s.checkCSRF(r, "profile|"+tok) {
		d.Profile = s.newProfileView(p, l)
		d.Errors[""] = "err_csrf"
		s.render(w, http.StatusForbidden, "profile.html", d)
		return
	}
	added := 0
	for _, id := range r.PostForm["skill"] {
		if len(p.Skills) >= maxSkills || len(id) > maxLabelLen {
			break
		}
		if ids, _ := s.deps.SkillMapper.MapLabels([]string{id}); !slices.Contains(ids, id) {
			continue // not a taxonomy id: nothing forged gets in
		}
		label := s.deps.SkillMapper.Label(id, l)
		if label == "" {
			label = id
		}
		if have, _ := s.deps.SkillMapper.MapLabels(p.Skills); slices.Contains(have, id) {
			continue
		}
		p.Skills = append(p.Skills, label)
		added++
	}
	if added > 0 {
		if err := s.deps.ProfileSaver.SaveProfile(r.Context(), p); err != nil {
			s.cfg.Logger.Error("save skills from CV", "profile_id", p.ID, "err", err)
			d.Profile = s.newProfileView(p, l)
			d.Errors[""] = "err_save"
			s.render(w, http.StatusServiceUnavailable, "profile.html", d)
			return
		}
	}
	d.Profile = s.newProfileView(p, l)
	d.Notice = "cv_added"
	s.render(w, http.StatusOK, "profile.html", d)
}
