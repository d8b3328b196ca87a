package skills

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func readTestdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return string(b)
}

func TestEmbeddedTaxonomy(t *testing.T) {
	tx, err := Parse(strings.NewReader(embedded))
	if err != nil {
		t.Fatalf("embedded taxonomy: %v", err)
	}
	if tx.Len() < 500 {
		t.Errorf("taxonomy has %d concepts, want at least 500", tx.Len())
	}
	if Default().Len() != tx.Len() {
		t.Errorf("Default().Len() = %d, want %d", Default().Len(), tx.Len())
	}
	arabic := 0
	for _, id := range tx.IDs() {
		c, ok := tx.Concept(id)
		if !ok {
			t.Fatalf("Concept(%q) not found", id)
		}
		for _, l := range slices.Concat(c.Broader, c.Related) {
			if _, ok := tx.Concept(l); !ok {
				t.Errorf("%s links to unknown %q", id, l)
			}
		}
		for _, r := range c.Related {
			if !slices.Contains(tx.Related(r), id) {
				t.Errorf("%s ~ %s is not symmetric", id, r)
			}
		}
		if slices.Contains(tx.Broader(id), id) {
			t.Errorf("%s is its own ancestor", id)
		}
		if c.Labels["ar"] != "" {
			arabic++
		}
		if c.Kind == "domain" && c.Labels["ar"] == "" {
			t.Errorf("domain concept %s has no Arabic label", id)
		}
		// Every label and synonym leads back to its own concept: no label
		// maps to two ids.
		for _, l := range slices.Concat([]string{c.Labels["en"], c.Labels["fr"], c.Labels["ar"]}, c.Synonyms) {
			if l == "" {
				continue
			}
			if got, ok := tx.Lookup(l); !ok || got != id {
				t.Errorf("Lookup(%q) = %q, %v; want %q", l, got, ok, id)
			}
		}
	}
	if arabic < 150 {
		t.Errorf("%d concepts have an Arabic label, want at least 150", arabic)
	}
}

func TestConceptAccessors(t *testing.T) {
	tx := Default()
	c, ok := tx.Concept("scikit-learn")
	if !ok || c.Kind != "library" || c.Labels["en"] != "scikit-learn" || !slices.Contains(c.Synonyms, "sklearn") {
		t.Fatalf("Concept(scikit-learn) = %+v, %v", c, ok)
	}
	c.Synonyms[0] = "mutated"
	if c2, _ := tx.Concept("scikit-learn"); c2.Synonyms[0] == "mutated" {
		t.Error("Concept returns shared slices")
	}
	if _, ok := tx.Concept("no-such-skill"); ok {
		t.Error("Concept(no-such-skill) found")
	}
	for _, tc := range []struct{ id, loc, want string }{
		{"machine-learning", "fr", "Apprentissage automatique"},
		{"machine-learning", "ar", "التعلم الآلي"},
		{"machine-learning", "de", "Machine learning"},
		{"pandas", "ar", "بانداس"},
		{"pytorch", "fr", "PyTorch"},
		{"no-such-skill", "fr", "no-such-skill"},
	} {
		if got := tx.Label(tc.id, tc.loc); got != tc.want {
			t.Errorf("Label(%s, %s) = %q, want %q", tc.id, tc.loc, got, tc.want)
		}
	}
	for _, tc := range []struct {
		id   string
		want []string
	}{
		{"pandas", []string{"python", "data-analysis", "programming"}},
		{"deep-learning", []string{"machine-learning", "artificial-intelligence"}},
		{"pytorch", []string{"deep-learning", "python", "machine-learning"}},
	} {
		got := tx.Broader(tc.id)
		for _, w := range tc.want {
			if !slices.Contains(got, w) {
				t.Errorf("Broader(%s) = %v, want %s in it", tc.id, got, w)
			}
		}
	}
	for _, pair := range [][2]string{{"pytorch", "tensorflow"}, {"tensorflow", "pytorch"}, {"postgresql", "mysql"}, {"power-bi", "tableau"}, {"tableau", "power-bi"}} {
		if !slices.Contains(tx.Related(pair[0]), pair[1]) {
			t.Errorf("Related(%s) = %v, want %s in it", pair[0], tx.Related(pair[0]), pair[1])
		}
	}
	if tx.Broader("no-such-skill") != nil || tx.Related("no-such-skill") != nil {
		t.Error("unknown id has links")
	}
}

func TestLookupAndMapLabels(t *testing.T) {
	tx := Default()
	for _, tc := range []struct{ label, want string }{
		{"Machine Learning", "machine-learning"},
		{"apprentissage automatique", "machine-learning"},
		{"Apprentissage Automatique ", "machine-learning"},
		{"ML", "machine-learning"},
		{"التعلم الآلي", "machine-learning"},
		{"التَّعَلُّم الآلي", "machine-learning"},
		{"scikit-learn", "scikit-learn"},
		{"sklearn", "scikit-learn"},
		{"Scikit Learn", "scikit-learn"},
		{"traitement automatique du langage naturel", "nlp"},
		{"TALN", "nlp"},
		{"NLP", "nlp"},
		{"natural language processing", "nlp"},
		{"معالجة اللغات الطبيعية", "nlp"},
		{"R", "r"},
		{"Go", "go"},
		{"C", "c"},
		{"Python 3.11", "python"},
		{"SQL (avancé)", "sql"},
		{"Apache Kafka", "apache-kafka"},
		{"Microsoft Power BI", "power-bi"},
		{"PowerBI", "power-bi"},
		{"Statistiques", "statistics"},
		{"الإحصاء", "statistics"},
		{"Bases de données", "databases"},
		{"Vision par ordinateur", "computer-vision"},
		{"LoRA", "peft"},
		{"LoRa", "lorawan"},
		{"Intelligence Artificielle", "artificial-intelligence"},
		{"IA", "artificial-intelligence"},
	} {
		if got, ok := tx.Lookup(tc.label); !ok || got != tc.want {
			t.Errorf("Lookup(%q) = %q, %v; want %q", tc.label, got, ok, tc.want)
		}
	}
	for _, label := range []string{"", "  ", "apprentissage", "cuisine marocaine", "Python Java"} {
		if got, ok := tx.Lookup(label); ok {
			t.Errorf("Lookup(%q) = %q, want not found", label, got)
		}
	}
	ids, unknown := tx.MapLabels([]string{"Python", "pandas", "scikit-learn", "SQL", "Power BI", "python", "Jonglage", "Python, SQL / Excel", "التعلم العميق", "Data Science; Pâtisserie"})
	wantIDs := []string{"python", "pandas", "scikit-learn", "sql", "power-bi", "excel", "deep-learning", "data-science"}
	if !slices.Equal(ids, wantIDs) {
		t.Errorf("MapLabels ids = %v, want %v", ids, wantIDs)
	}
	if want := []string{"Jonglage", "Pâtisserie"}; !slices.Equal(unknown, want) {
		t.Errorf("MapLabels unknown = %v, want %v", unknown, want)
	}
	// Skills listed in a note count; other notes are not reported.
	ids, unknown = tx.MapLabels([]string{"Big Data (Hadoop, Spark)", "NLP (BERT; transformers)", "Python (avancé)", "Google Cloud Platform (GCP)"})
	if want := []string{"big-data", "hadoop", "apache-spark", "nlp", "bert", "transformers", "python", "gcp"}; !slices.Equal(ids, want) || len(unknown) != 0 {
		t.Errorf("MapLabels with notes = %v, unknown %v; want %v and none", ids, unknown, want)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"no header", "kind: tool\n", "line 1"},
		{"bad id", "[Python]\nkind: language\nen: Python\n", "line 1: id \"Python\""},
		{"no kind", "[x]\nen: X\n", "has no kind"},
		{"unknown kind", "[x]\nkind: gadget\nen: X\n", "line 2"},
		{"no en", "[x]\nkind: tool\nfr: X\n", "has no en label"},
		{"unknown key", "[x]\nkind: tool\nen: X\ncolour: red\n", "line 4: concept \"x\": unknown key"},
		{"duplicate id", "[x]\nkind: tool\nen: X\n[x]\nkind: tool\nen: Y\n", "line 4: duplicate id"},
		{"unknown link", "[x]\nkind: tool\nen: X\nbroader: y\n", "line 4: concept \"x\" links to unknown id \"y\""},
		{"self link", "[x]\nkind: tool\nen: X\nrelated: x\n", "links to itself"},
		{"duplicate label", "[x]\nkind: tool\nen: Data\n[y]\nkind: tool\nen: Y\nsyn: data\n", "line 7: \"data\" of \"y\" is already used by \"x\""},
		{"folded duplicate", "[x]\nkind: tool\nen: Données\n[y]\nkind: tool\nen: donnees\n", "already used"},
		{"cycle", "[x]\nkind: tool\nen: X\nbroader: y\n[y]\nkind: tool\nen: Y\nbroader: x\n", "cycle"},
		{"bad not", "[x]\nkind: tool\nen: ?X\nnot: foo bar\n", "line 4"},
		{"empty synonym", "[x]\nkind: tool\nen: X\nsyn: a | ::: \n", "line 4"},
		{"no colon", "[x]\nkind tool\n", "line 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestParseSmall(t *testing.T) {
	in := "# comment\n\n[ml]\nkind: domain\nen: Machine learning\nar: التعلم الآلي\nsyn: =ML | apprentissage automatique\nnot: # *\n\n[dl]\nkind: domain\nen: Deep learning\nbroader: ml\n\n[torch]\nkind: framework\nen: PyTorch\nbroader: dl\nrelated: tf\n\n[tf]\nkind: framework\nen: TensorFlow\n"
	tx, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if tx.Len() != 4 {
		t.Errorf("Len = %d, want 4", tx.Len())
	}
	if got := tx.Broader("torch"); !slices.Equal(got, []string{"dl", "ml"}) {
		t.Errorf("Broader(torch) = %v", got)
	}
	if got := tx.Related("tf"); !slices.Equal(got, []string{"torch"}) {
		t.Errorf("Related(tf) = %v", got)
	}
	if got := tx.Label("ml", "fr"); got != "Machine learning" {
		t.Errorf("fr label falls back to en: got %q", got)
	}
	req, _ := tx.Extract("ML with PyTorch, not 5 ML of milk nor ml")
	if !slices.Equal(req, []string{"ml", "torch"}) {
		t.Errorf("Extract = %v", req)
	}
}
