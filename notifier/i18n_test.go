package notifier

import (
	"slices"
	"strings"
	"testing"

	"github.com/passerelle/passerelle/matcher"
)

func TestPluralCategory(t *testing.T) {
	tests := []struct {
		locale string
		n      int
		want   string
	}{
		{"fr", 0, "one"}, {"fr", 1, "one"}, {"fr", 2, "other"}, {"fr", 10, "other"},
		{"en", 0, "other"}, {"en", 1, "one"}, {"en", 2, "other"},
		{"ar", 0, "zero"}, {"ar", 1, "one"}, {"ar", 2, "two"}, {"ar", 3, "few"}, {"ar", 10, "few"},
		{"ar", 11, "many"}, {"ar", 99, "many"}, {"ar", 100, "other"}, {"ar", 103, "few"}, {"ar", 111, "many"},
	}
	for _, tt := range tests {
		if got := pluralCategory(tt.locale, tt.n); got != tt.want {
			t.Errorf("pluralCategory(%s, %d) = %s, want %s", tt.locale, tt.n, got, tt.want)
		}
	}
}

func TestSubjectPlural(t *testing.T) {
	tests := []struct {
		locale string
		n      int
		want   string
	}{
		{"fr", 1, "Passerelle : 1 nouvelle offre pour vous"},
		{"fr", 3, "Passerelle : 3 nouvelles offres pour vous"},
		{"en", 1, "Passerelle: 1 new offer for you"},
		{"en", 3, "Passerelle: 3 new offers for you"},
		{"ar", 1, "Passerelle: عرض عمل جديد لك"},
		{"ar", 2, "Passerelle: عرضا عمل جديدان لك"},
		{"ar", 3, "Passerelle: 3 عروض عمل جديدة لك"},
		{"ar", 12, "Passerelle: 12 عرض عمل جديد لك"},
	}
	for _, tt := range tests {
		if got := plural(tt.locale, "subject", tt.n); got != tt.want {
			t.Errorf("subject(%s, %d) = %q, want %q", tt.locale, tt.n, got, tt.want)
		}
	}
}

func TestCatalogComplete(t *testing.T) {
	for key, tr := range catalog {
		// Extra Arabic plural forms (.two .few .many .zero) may exist only in Arabic.
		arOnly := tr.fr == "" && tr.en == ""
		if arOnly {
			if tr.ar == "" {
				t.Errorf("%s: empty in every locale", key)
			}
			continue
		}
		for loc, s := range map[string]string{"fr": tr.fr, "en": tr.en, "ar": tr.ar} {
			if s == "" {
				t.Errorf("%s: missing %s text", key, loc)
			}
		}
	}
	// The keys the matcher emits (brief) all have a rendering in every locale.
	want := []string{"employment_fit", "fresh", "hybrid_in", "language_ok", "onsite_in", "remote_open_to",
		"remote_scope_unknown", "remote_worldwide", "role_fit", "seniority_fit", "skills_matched", "skills_missing"}
	if got := ReasonKeys(); !slices.Equal(got, want) {
		t.Errorf("ReasonKeys() = %v, want %v", got, want)
	}
	for _, k := range want {
		_, single := catalog["reason."+k]
		_, plural := catalog["reason."+k+".other"]
		if !single && !plural {
			t.Errorf("reason %s has no text", k)
		}
	}
}

func TestRenderReason(t *testing.T) {
	skill := func(id string) string { return "<" + id + ">" }
	tests := []struct {
		r    matcher.Reason
		want map[string]string // locale -> exact text
	}{
		{matcher.Reason{Key: "remote_open_to", Args: []string{"MA"}}, map[string]string{
			"fr": "Télétravail ouvert aux résidents de : Maroc", "en": "Remote, open to Morocco", "ar": "عن بُعد، متاح للمقيمين في المغرب"}},
		{matcher.Reason{Key: "remote_open_to", Args: []string{"Morocco"}}, map[string]string{"en": "Remote, open to Morocco"}},
		{matcher.Reason{Key: "remote_worldwide"}, map[string]string{
			"fr": "Télétravail depuis n'importe quel pays", "en": "Remote, open worldwide", "ar": "عن بُعد، متاح من أي مكان في العالم"}},
		{matcher.Reason{Key: "remote_scope_unknown"}, map[string]string{"en": "Remote, but the ad does not say from which countries"}},
		{matcher.Reason{Key: "onsite_in", Args: []string{"Oujda"}}, map[string]string{"fr": "Sur site à Oujda", "en": "On-site in Oujda", "ar": "حضوري في Oujda"}},
		{matcher.Reason{Key: "hybrid_in", Args: []string{"Casablanca"}}, map[string]string{"fr": "Hybride à Casablanca", "en": "Hybrid in Casablanca"}},
		{matcher.Reason{Key: "seniority_fit", Args: []string{"junior"}}, map[string]string{"fr": "Poste de niveau junior", "en": "junior role", "ar": "مستوى الوظيفة: مبتدئ"}},
		{matcher.Reason{Key: "employment_fit", Args: []string{"full_time"}}, map[string]string{"fr": "Type de contrat : temps plein", "en": "Employment: full-time", "ar": "نوع العقد: دوام كامل"}},
		{matcher.Reason{Key: "skills_matched", Args: []string{"3", "4"}}, map[string]string{
			"fr": "3 compétences requises sur 4", "en": "3 of 4 required skills", "ar": "3 من أصل 4 من المهارات المطلوبة"}},
		{matcher.Reason{Key: "skills_matched", Args: []string{"1", "1"}}, map[string]string{"fr": "1 compétence requise sur 1", "en": "1 of 1 required skill"}},
		{matcher.Reason{Key: "skills_missing", Args: []string{"spark", "airflow"}}, map[string]string{
			"fr": "À acquérir : <spark>, <airflow>", "en": "Missing: <spark>, <airflow>", "ar": "مهارات ناقصة: <spark>، <airflow>"}},
		{matcher.Reason{Key: "skills_missing", Args: []string{"spark, airflow"}}, map[string]string{"en": "Missing: <spark>, <airflow>"}},
		{matcher.Reason{Key: "language_ok", Args: []string{"fr", "en"}}, map[string]string{
			"fr": "Vous parlez les langues demandées : français, anglais", "en": "You speak the required languages: French, English"}},
		{matcher.Reason{Key: "fresh", Args: []string{"0"}}, map[string]string{"fr": "Publiée aujourd'hui", "en": "Posted today", "ar": "نُشر اليوم"}},
		{matcher.Reason{Key: "fresh", Args: []string{"1"}}, map[string]string{"fr": "Publiée il y a 1 jour", "en": "Posted 1 day ago", "ar": "نُشر منذ يوم واحد"}},
		{matcher.Reason{Key: "fresh", Args: []string{"5"}}, map[string]string{"fr": "Publiée il y a 5 jours", "en": "Posted 5 days ago", "ar": "نُشر منذ 5 أيام"}},
		{matcher.Reason{Key: "role_fit", Args: []string{"Data Analyst"}}, map[string]string{"en": "Job title close to the role you are looking for", "fr": "Intitulé proche du poste que vous recherchez"}},
	}
	for _, tt := range tests {
		for loc, want := range tt.want {
			got, ok := renderReason(loc, tt.r, skill)
			if !ok || got != want {
				t.Errorf("renderReason(%s, %+v) = %q, %v; want %q", loc, tt.r, got, ok, want)
			}
		}
		// Every known key renders in every locale without leftover placeholders.
		for _, loc := range []string{"fr", "en", "ar"} {
			got, ok := renderReason(loc, tt.r, skill)
			if !ok || got == "" || strings.ContainsAny(got, "{}") {
				t.Errorf("renderReason(%s, %+v) = %q, %v", loc, tt.r, got, ok)
			}
		}
	}
}

func TestRenderReasonRejects(t *testing.T) {
	for _, r := range []matcher.Reason{
		{Key: "no_such_key"},
		{Key: "onsite_in"},                                // missing arg
		{Key: "remote_worldwide", Args: []string{"x"}},    // extra arg
		{Key: "skills_matched", Args: []string{"a", "4"}}, // not a number
		{Key: "skills_matched", Args: []string{"5", "4"}}, // more matched than total
		{Key: "fresh", Args: []string{"-1"}},
		{Key: "skills_missing"},
	} {
		if got, ok := renderReason("fr", r, func(s string) string { return s }); ok {
			t.Errorf("renderReason(%+v) = %q, want fallback", r, got)
		}
	}
}

func TestReasonsFallBackToEnglish(t *testing.T) {
	m := matcher.Match{
		Reasons:    []string{"junior role", "something new the matcher says"},
		ReasonKeys: []matcher.Reason{{Key: "seniority_fit", Args: []string{"junior"}}, {Key: "brand_new_key", Args: []string{"x"}}},
	}
	got := reasonsFor("fr", m, func(s string) string { return s }, "", false)
	want := []string{"Poste de niveau junior", "something new the matcher says"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("reasons = %q, want %q", got, want)
	}
	// Without keys the English reasons are shown as they are.
	m.ReasonKeys = nil
	if got := reasonsFor("ar", m, nil, "", false); strings.Join(got, "|") != strings.Join(m.Reasons, "|") {
		t.Errorf("reasons without keys = %q", got)
	}
}

func TestNormalizeLocale(t *testing.T) {
	for in, want := range map[string]string{"": "fr", "FR": "fr", "en-GB": "en", "ar_MA": "ar", "de": "fr", " en ": "en"} {
		if got := NormalizeLocale(in); got != want {
			t.Errorf("NormalizeLocale(%q) = %q, want %q", in, got, want)
		}
	}
}
