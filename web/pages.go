package web

import (
	"embed"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/profiles"
)

//go:embed templates/*.html
var templateFS embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"t": translate,
}).ParseFS(templateFS, "templates/*.html"))

// messages holds the user-facing strings of the pages; French is the default.
var messages = map[string]map[string]string{
	"fr": {
		"title":         "Passerelle — offres IA et data pour les diplômés de l'Oriental",
		"tagline":       "Des offres que vous pouvez vraiment prendre, avec la raison de chaque proposition.",
		"recent":        "Dernières offres publiées par des recruteurs",
		"none":          "Aucune offre pour l'instant.",
		"unsub_title":   "Se désabonner des alertes",
		"unsub_confirm": "Confirmez que vous ne voulez plus recevoir d'alertes emploi de Passerelle.",
		"unsub_button":  "Me désabonner",
		"unsub_done":    "C'est fait : vous ne recevrez plus d'alertes. Vous pouvez les réactiver à tout moment depuis votre profil.",
		"unsub_bad":     "Ce lien de désabonnement n'est pas valide ou a été modifié.",
		"unsub_failed":  "Le désabonnement n'a pas pu être enregistré. Réessayez dans un instant.",
		"source":        "Source",
		"workplace":     "Lieu de travail",
		"remote":        "télétravail",
		"hybrid":        "hybride",
		"onsite":        "sur site",
		"unknown":       "non précisé",
		"lang":          "fr",
		"dir":           "ltr",
	},
	"en": {
		"title":         "Passerelle — AI and data jobs for graduates of eastern Morocco",
		"tagline":       "Offers you can actually take, with the reason for each one.",
		"recent":        "Latest offers posted by recruiters",
		"none":          "No offers yet.",
		"unsub_title":   "Unsubscribe from alerts",
		"unsub_confirm": "Confirm that you no longer want job alerts from Passerelle.",
		"unsub_button":  "Unsubscribe",
		"unsub_done":    "Done: you will not receive alerts any more. You can turn them back on from your profile at any time.",
		"unsub_bad":     "This unsubscribe link is not valid or was altered.",
		"unsub_failed":  "The unsubscription could not be saved. Please try again shortly.",
		"source":        "Source",
		"workplace":     "Workplace",
		"remote":        "remote",
		"hybrid":        "hybrid",
		"onsite":        "on site",
		"unknown":       "not stated",
		"lang":          "en",
		"dir":           "ltr",
	},
	"ar": {
		"title":         "باسرال — وظائف الذكاء الاصطناعي والبيانات لخريجي الجهة الشرقية",
		"tagline":       "عروض يمكنك فعلاً التقدم لها، مع سبب كل اقتراح.",
		"recent":        "آخر العروض التي نشرها المشغلون",
		"none":          "لا توجد عروض حالياً.",
		"unsub_title":   "إلغاء الاشتراك في التنبيهات",
		"unsub_confirm": "أكّد أنك لا تريد تلقي تنبيهات الوظائف من باسرال بعد الآن.",
		"unsub_button":  "إلغاء الاشتراك",
		"unsub_done":    "تم: لن تصلك تنبيهات بعد الآن. يمكنك إعادة تفعيلها من ملفك في أي وقت.",
		"unsub_bad":     "رابط إلغاء الاشتراك هذا غير صالح أو تم تعديله.",
		"unsub_failed":  "تعذر حفظ إلغاء الاشتراك. حاول مرة أخرى بعد قليل.",
		"source":        "المصدر",
		"workplace":     "مكان العمل",
		"remote":        "عن بعد",
		"hybrid":        "هجين",
		"onsite":        "حضوري",
		"unknown":       "غير محدد",
		"lang":          "ar",
		"dir":           "rtl",
	},
}

func translate(locale, key string) string {
	if m, ok := messages[locale]; ok {
		if s, ok := m[key]; ok {
			return s
		}
	}
	if s, ok := messages["fr"][key]; ok {
		return s
	}
	return key
}

// locale picks fr (default), en or ar from ?lang= then Accept-Language.
func locale(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); messages[l] != nil {
		return l
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		base, _, _ := strings.Cut(tag, "-")
		if messages[base] != nil {
			return base
		}
	}
	return "fr"
}

type pageData struct {
	L      string
	Offers []jobs.Offer
	State  string // unsubscribe: confirm | done | bad | failed
	Token  string
}

func (s *Server) render(w http.ResponseWriter, status int, name string, d pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := pages.ExecuteTemplate(w, name, d); err != nil {
		s.cfg.Logger.Error("render page", "page", name, "err", err)
	}
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	offers := append([]jobs.Offer(nil), s.recent...)
	s.mu.Unlock()
	s.render(w, http.StatusOK, "home.html", pageData{L: locale(r), Offers: offers})
}

func (s *Server) unsubscribePage(w http.ResponseWriter, r *http.Request) {
	tok := r.URL.Query().Get("token")
	if _, ok := s.verify(tok); !ok {
		s.render(w, http.StatusBadRequest, "unsubscribe.html", pageData{L: locale(r), State: "bad"})
		return
	}
	s.render(w, http.StatusOK, "unsubscribe.html", pageData{L: locale(r), State: "confirm", Token: tok})
}

// unsubscribePost handles both the confirmation form and RFC 8058 one-click
// unsubscribe (List-Unsubscribe-Post), where the token is in the query.
func (s *Server) unsubscribePost(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	tok := r.URL.Query().Get("token")
	if tok == "" {
		tok = r.PostFormValue("token")
	}
	id, ok := s.verify(tok)
	if !ok {
		s.render(w, http.StatusBadRequest, "unsubscribe.html", pageData{L: locale(r), State: "bad"})
		return
	}
	if s.deps.Unsubscriber == nil {
		s.render(w, http.StatusServiceUnavailable, "unsubscribe.html", pageData{L: locale(r), State: "failed"})
		return
	}
	if err := s.deps.Unsubscriber.Unsubscribe(r.Context(), id); err != nil {
		s.cfg.Logger.Error("unsubscribe", "profile_id", id, "err", err)
		s.render(w, http.StatusServiceUnavailable, "unsubscribe.html", pageData{L: locale(r), State: "failed"})
		return
	}
	s.cfg.Logger.Info("profile unsubscribed", "profile_id", id)
	s.render(w, http.StatusOK, "unsubscribe.html", pageData{L: locale(r), State: "done"})
}

func (s *Server) verify(tok string) (string, bool) {
	if s.deps.Tokens == nil || tok == "" || len(tok) > 512 {
		return "", false
	}
	return s.deps.Tokens.Verify(tok)
}

// searchProfiles is the placement officers' search API:
// GET /api/profiles?q=&skill=&skill=&city=&country=&year=&lang=&availability=&limit=&offset=
func (s *Server) searchProfiles(w http.ResponseWriter, r *http.Request) {
	q, ok := s.officerQuery(w, r)
	if !ok {
		return
	}
	res, err := s.deps.Profiles.Search(r.Context(), q)
	if err != nil {
		s.cfg.Logger.Error("search profiles", "err", err)
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "search failed"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": res.Total, "profiles": res.Profiles})
}

func (s *Server) exportProfiles(w http.ResponseWriter, r *http.Request) {
	q, ok := s.officerQuery(w, r)
	if !ok {
		return
	}
	q.Limit = 1000
	res, err := s.deps.Profiles.Search(r.Context(), q)
	if err != nil {
		s.cfg.Logger.Error("export profiles", "err", err)
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "export failed"})
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="diplomes.csv"`)
	if _, err := profiles.ExportCSV(r.Context(), w, profiles.EachOf(res.Profiles...)); err != nil {
		s.cfg.Logger.Error("write csv", "err", err)
	}
}

func (s *Server) officerQuery(w http.ResponseWriter, r *http.Request) (profiles.Query, bool) {
	if _, ok := bearer(r, s.cfg.OfficerTokens); !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="passerelle"`)
		writeJSON(w, http.StatusUnauthorized, apiError{Error: "a valid placement officer token is required"})
		return profiles.Query{}, false
	}
	if s.deps.Profiles == nil {
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "profile search is not available in this process"})
		return profiles.Query{}, false
	}
	v := r.URL.Query()
	q := profiles.Query{
		Text:           v.Get("q"),
		Skills:         v["skill"],
		City:           v.Get("city"),
		Country:        strings.ToUpper(v.Get("country")),
		Languages:      v["lang"],
		Availability:   v.Get("availability"),
		OnlySearchable: true,
	}
	for _, f := range []struct {
		name string
		dst  *int
	}{{"year", &q.GraduationYear}, {"limit", &q.Limit}, {"offset", &q.Offset}} {
		if raw := v.Get(f.name); raw != "" {
			n, err := strconv.Atoi(raw)
			if err != nil || n < 0 {
				writeJSON(w, http.StatusBadRequest, apiError{Error: f.name + ": must be a non-negative whole number", Field: f.name})
				return profiles.Query{}, false
			}
			*f.dst = n
		}
	}
	return q, true
}
