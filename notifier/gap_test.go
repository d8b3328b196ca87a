package notifier

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/profiles"
	"github.com/passerelle/passerelle/skills"
)

// The weekly digest carries the skill-gap line, in the graduate's
// language, only when the gap is worth saying; other mails never do.
func TestWeeklyGapLine(t *testing.T) {
	tax := skills.Default()
	for _, tt := range []struct {
		name, locale, freq string
		gap                SkillGap
		err                error
		want               string // "" = no line
	}{
		{"fr", "fr", profiles.FrequencyWeekly, SkillGap{"docker", 14, 23}, nil, "Docker : l'apprendre vous ouvrirait 14 offres de plus ce mois-ci (+23 %)."},
		{"en", "en", profiles.FrequencyWeekly, SkillGap{"docker", 14, 23}, nil, "Learning Docker would open 14 more offers to you this month (+23%)."},
		{"ar", "ar", profiles.FrequencyWeekly, SkillGap{"docker", 14, 23}, nil, "تعلُّم \u2066Docker\u2069 سيتيح لك 14 عرضًا إضافيًا هذا الشهر (\u2066+23%\u2069)."},
		{"ar few", "ar", profiles.FrequencyWeekly, SkillGap{"machine-learning", 5, 0}, nil, "تعلُّم التعلم الآلي سيتيح لك 5 عروض إضافية هذا الشهر."},
		{"fr translated, no percent", "fr", profiles.FrequencyWeekly, SkillGap{"machine-learning", 4, 0}, nil, "Apprentissage automatique : l'apprendre vous ouvrirait 4 offres de plus ce mois-ci."},
		{"too small", "fr", profiles.FrequencyWeekly, SkillGap{"docker", 2, 10}, nil, ""},
		{"none", "fr", profiles.FrequencyWeekly, SkillGap{}, nil, ""},
		{"failed", "fr", profiles.FrequencyWeekly, SkillGap{"docker", 14, 23}, errors.New("offers unavailable"), ""},
		{"daily", "fr", profiles.FrequencyDaily, SkillGap{"docker", 14, 23}, nil, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := &RecordingMailer{}
			cfg := testConfig()
			cfg.SkillLabel = tax.DisplayLabel
			cfg.SkillGapFor = func(context.Context, profiles.Profile) (SkillGap, error) { return tt.gap, tt.err }
			n := newTestNotifier(t, cfg, Deps{Mailer: rec, Ledger: &memLedger{}})
			p := testProfile("g-gap", tt.locale, tt.freq)
			if err := n.send(context.Background(), p, []matcher.Match{testMatch("g-gap", "src:1", "Data analyst", 0.8)}, tt.freq); err != nil {
				t.Fatal(err)
			}
			msgs := rec.Messages()
			if len(msgs) != 1 {
				t.Fatalf("%d mails, want 1 (a gap never holds a digest)", len(msgs))
			}
			m := msgs[0]
			if tt.want == "" {
				if strings.Contains(m.HTML, `class="gap"`) || strings.Contains(m.Text, "ouvrirait") {
					t.Errorf("unexpected skill-gap line:\n%s", m.Text)
				}
				return
			}
			if !strings.Contains(m.Text, tt.want) {
				t.Errorf("text part lacks %q:\n%s", tt.want, m.Text)
			}
			if !strings.Contains(m.HTML, `class="gap"`) || !strings.Contains(m.HTML, "<bdi><strong>") {
				t.Errorf("HTML part lacks the isolated gap line")
			}
		})
	}
}
