package skills

import "testing"

func TestDisplayLabel(t *testing.T) {
	tax := Default()
	for _, tt := range []struct{ id, locale, want string }{
		{"pytorch", "ar", "PyTorch"},
		{"docker", "ar", "Docker"},
		{"sql", "ar", "SQL"},
		{"python", "ar", "Python"},
		{"r", "ar", "R"},
		{"php", "ar", "PHP"},
		{"scrum", "ar", "Scrum"},
		{"machine-learning", "ar", "التعلم الآلي"},
		{"big-data", "ar", "البيانات الضخمة"},
		{"relational-databases", "ar", "قواعد البيانات العلائقية"},
		{"machine-learning", "fr", "Apprentissage automatique"},
		{"machine-learning", "en", "Machine learning"},
		{"pytorch", "fr", "PyTorch"},
		// Older matches carry English labels, not ids.
		{"Machine learning", "fr", "Apprentissage automatique"},
		{"Deep learning", "ar", "التعلم العميق"},
		{"not-a-skill", "fr", "not-a-skill"},
	} {
		if got := tax.DisplayLabel(tt.id, tt.locale); got != tt.want {
			t.Errorf("DisplayLabel(%q, %q) = %q, want %q", tt.id, tt.locale, got, tt.want)
		}
	}
}

// Names and words that are not in the taxonomy: the rule is phonetic, not
// a list.
func TestTransliterates(t *testing.T) {
	for _, tt := range []struct {
		ar, latin string
		want      bool
	}{
		{"جانغو", "Django", true},
		{"نتفليكس", "Netflix", true},
		{"مايكروسوفت", "Microsoft", true},
		{"إنستغرام", "Instagram", true},
		{"سبوتيفاي", "Spotify", true},
		{"فيغما", "Figma", true},
		{"بي إتش بي", "PHP", true},
		{"إيه دبليو إس", "AWS", true},
		{"الشبكات العصبية", "Neural networks", false},
		{"معالجة الصور", "Image processing", false},
		{"التعلم المعزز", "Reinforcement learning", false},
		{"قواعد البيانات", "Databases", false},
		{"الأمن السيبراني", "Cybersecurity", false},
		{"", "Docker", false},
	} {
		if got := Transliterates(tt.ar, tt.latin); got != tt.want {
			t.Errorf("Transliterates(%q, %q) = %v, want %v (skeletons %q %q)", tt.ar, tt.latin, got, tt.want,
				arabicSkeleton(tt.ar), latinSkeleton(tt.latin))
		}
	}
}

func TestIsLatin(t *testing.T) {
	for s, want := range map[string]bool{"PyTorch": true, "C++": true, "ISO 27001": true, "التعلم الآلي": false, "لغة SQL": false, "27001": false} {
		if IsLatin(s) != want {
			t.Errorf("IsLatin(%q) = %v", s, !want)
		}
	}
}

func FuzzTransliterates(f *testing.F) {
	f.Add("باي تورش", "PyTorch")
	f.Add("إتش تي إم إل", "HTML")
	f.Fuzz(func(t *testing.T, ar, latin string) {
		_ = Transliterates(ar, latin)
		_ = Default().DisplayLabel(latin, "ar")
	})
}
