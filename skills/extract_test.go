package skills

import (
	"slices"
	"strings"
	"testing"
)

// extractCase checks a text: every id in req must be required, every id in
// opt optional, and no id in none may appear at all.
type extractCase struct {
	name string
	text string
	req  []string
	opt  []string
	none []string
}

func runExtractCases(t *testing.T, cases []extractCase) {
	t.Helper()
	tx := Default()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, opt := tx.Extract(tc.text)
			for _, id := range tc.req {
				if !slices.Contains(req, id) {
					t.Errorf("required %v, want %q in it (optional %v)", req, id, opt)
				}
			}
			for _, id := range tc.opt {
				if !slices.Contains(opt, id) {
					t.Errorf("optional %v, want %q in it (required %v)", opt, id, req)
				}
			}
			for _, id := range tc.none {
				if slices.Contains(req, id) || slices.Contains(opt, id) {
					t.Errorf("found %q, want it absent (required %v, optional %v)", id, req, opt)
				}
			}
			for _, id := range req {
				if slices.Contains(opt, id) {
					t.Errorf("%q is both required and optional", id)
				}
			}
		})
	}
}

func TestExtractEnglish(t *testing.T) {
	runExtractCases(t, []extractCase{
		{name: "stack list", text: "Strong Python (pandas, NumPy, scikit-learn) and SQL; experience with PyTorch or TensorFlow.",
			req: []string{"python", "pandas", "numpy", "scikit-learn", "sql", "pytorch", "tensorflow"}},
		{name: "spelling variants", text: "sklearn, Scikit Learn, PowerBI, Power-BI, NodeJS, Node.js, k8s, Postgres",
			req: []string{"scikit-learn", "power-bi", "nodejs", "kubernetes", "postgresql"}},
		{name: "punctuated names", text: "C#, C++, .NET Core, ASP.NET and F# developers",
			req: []string{"csharp", "cpp", "dotnet", "fsharp"}, none: []string{"c"}},
		{name: "plurals", text: "Build RAG pipelines on LLMs and data warehouses.",
			req: []string{"rag", "large-language-models", "data-warehouse"}},
		{name: "genai", text: "Fine-tuning of transformers with Hugging Face, prompt engineering, LangChain and vector databases such as Pinecone.",
			req: []string{"fine-tuning", "transformers", "hugging-face", "prompt-engineering", "langchain", "vector-databases", "pinecone"}},
		{name: "mlops", text: "Deploy models with MLflow, Kubeflow, Docker and Kubernetes; orchestrate with Airflow.",
			req: []string{"mlflow", "kubeflow", "docker", "kubernetes", "apache-airflow"}},
		{name: "data engineering", text: "Spark, Kafka, dbt, Snowflake, BigQuery and Databricks for our ETL.",
			req: []string{"apache-spark", "apache-kafka", "dbt", "snowflake", "bigquery", "databricks", "etl"}},
		{name: "longest match wins", text: "Experience with Spark SQL and Ruby on Rails and React Native.",
			req: []string{"apache-spark", "ruby-on-rails", "react-native"}, none: []string{"sql", "react"}},
	})
}

func TestExtractFrench(t *testing.T) {
	runExtractCases(t, []extractCase{
		{name: "domains", text: "Vous maîtrisez l'apprentissage automatique, l'apprentissage profond et le traitement automatique du langage naturel.",
			req: []string{"machine-learning", "deep-learning", "nlp"}},
		{name: "accents folded", text: "Maitrise des series temporelles, de la visualisation de donnees et des bases de donnees relationnelles.",
			req: []string{"time-series", "data-visualization", "relational-databases"}},
		{name: "taln acronym", text: "Stage en TALN et vision par ordinateur.", req: []string{"nlp", "computer-vision"}},
		{name: "bureautique", text: "Maîtrise d'Excel et de Power BI, connaissance de DAX.", req: []string{"excel", "power-bi", "dax"}},
		{name: "tableau de bord is not Tableau", text: "Création de tableaux de bord et d'un tableau de bord sous Power BI.",
			req: []string{"dashboards", "power-bi"}, none: []string{"tableau"}},
		{name: "Tableau the tool", text: "Outils : Power BI, Tableau, Qlik.", req: []string{"power-bi", "tableau", "qlik"}},
		{name: "un tableau Excel", text: "Mise à jour d'un Tableau Excel chaque semaine.", req: []string{"excel"}, none: []string{"tableau"}},
		{name: "SAS company suffix", text: "Acme SAS recrute un comptable. Société Beta SAS au capital de 10 000 MAD.", none: []string{"sas"}},
		{name: "SAS the tool", text: "Programmation SAS, R et SPSS.", req: []string{"sas", "r", "spss"}},
	})
}

func TestExtractArabic(t *testing.T) {
	runExtractCases(t, []extractCase{
		{name: "labels", text: "خبرة في التعلم الآلي و الذكاء الاصطناعي و معالجة اللغات الطبيعية",
			req: []string{"machine-learning", "artificial-intelligence", "nlp"}},
		{name: "attached particle", text: "معرفة بتحليل البيانات وبايثون", req: []string{"data-analysis", "python"}},
		{name: "hamza and ta marbuta folded", text: "الذكاء الإصطناعي و الرؤية الحاسوبيه", req: []string{"artificial-intelligence", "computer-vision"}},
	})
}

func TestExtractAmbiguity(t *testing.T) {
	runExtractCases(t, []extractCase{
		// R
		{name: "R in a list", text: "Skills: R, Python, SQL.", req: []string{"r"}},
		{name: "langage R", text: "Bonne maîtrise du langage R.", req: []string{"r"}},
		{name: "R programming", text: "Solid R programming background.", req: []string{"r"}},
		{name: "in R", text: "You will build models in R.", req: []string{"r"}},
		{name: "R&D", text: "Join our R&D team in Rabat.", none: []string{"r"}},
		{name: "lone R letter", text: "Section R of the form. Mr R. Dupont will call.", none: []string{"r"}},
		// C
		{name: "C in a list", text: "Embedded development in C, C++ and Rust.", req: []string{"c", "cpp", "rust"}},
		{name: "langage C", text: "Programmation en langage C sur microcontrôleurs.", req: []string{"c"}},
		{name: "C-level", text: "You will report to C-level executives.", none: []string{"c"}},
		{name: "Série C", text: "Startup ayant levé une Série C, nous recrutons.", none: []string{"c"}},
		{name: "Series C with Python nearby", text: "A Series C startup using Python.", req: []string{"python"}, none: []string{"c"}},
		// Go
		{name: "Golang", text: "Backend in Golang.", req: []string{"go"}},
		{name: "Go developer", text: "We hire a Go developer.", req: []string{"go"}},
		{name: "Go in list", text: "Languages: Go, Rust, Python.", req: []string{"go", "rust"}},
		{name: "to go", text: "Ready to go the extra mile? Let's go!", none: []string{"go"}},
		{name: "go-to", text: "You are the go-to person. Go-to-market experience.", none: []string{"go"}},
		{name: "gigaoctets", text: "Poste avec 16 Go de RAM et 512 Go SSD.", none: []string{"go"}},
		// Excel
		{name: "Excel tool", text: "Advanced Excel skills and SQL.", req: []string{"excel", "sql"}},
		{name: "excel at", text: "You will excel at building relationships and excel in a fast-paced team.", none: []string{"excel"}},
		{name: "to excel", text: "Opportunity to excel.", none: []string{"excel"}},
		// Spark
		{name: "Apache Spark", text: "Apache Spark and Kafka.", req: []string{"apache-spark"}},
		{name: "Spark in data ad", text: "Experience with Spark. You know Python and SQL.", req: []string{"apache-spark"}},
		{name: "spark joy", text: "Things that spark joy and spark curiosity in our team.", none: []string{"apache-spark"}},
		// Rust, Julia, Scala
		{name: "Julia language", text: "Scientific computing in Julia and Python.", req: []string{"julia"}},
		{name: "Julia person", text: "Julia Roberts from HR will contact you. Send your CV to Julia.", none: []string{"julia"}},
		{name: "Scala language", text: "Data pipelines with Scala and Spark.", req: []string{"scala", "apache-spark"}},
		{name: "La Scala", text: "Our office is near La Scala in Milan.", none: []string{"scala"}},
		{name: "rust prevention", text: "Rust prevention on steel structures.", none: []string{"rust"}},
		// apprentissage
		{name: "apprentissage alone", text: "Contrat d'apprentissage, rythme 3 semaines / 1 semaine. Maître d'apprentissage dédié.",
			none: []string{"machine-learning", "deep-learning", "reinforcement-learning"}},
		{name: "apprentissage automatique", text: "Alternance en apprentissage automatique et apprentissage par renforcement.",
			req: []string{"machine-learning", "reinforcement-learning"}},
		// NLP
		{name: "NLP coaching", text: "Coach certifié PNL, formation NLP practitioner, hypnose ericksonienne.", none: []string{"nlp"}},
		{name: "NLP coaching en", text: "Certified NLP coach for life coaching sessions.", none: []string{"nlp"}},
		{name: "neuro-linguistic programming fr", text: "Vous êtes praticien en PNL (programmation neuro-linguistique) et accompagnez nos clients.", none: []string{"nlp", "programming"}},
		{name: "neuro-linguistic programming en", text: "Certified in neuro-linguistic programming.", none: []string{"nlp", "programming"}},
		// programming
		{name: "no coding", text: "No coding required; Python scripting is a plus.", none: []string{"programming"}, opt: []string{"python"}},
		{name: "programmation culturelle", text: "Responsable de la programmation culturelle du festival.", none: []string{"programming"}},
		{name: "programmation", text: "Bonne maîtrise de la programmation (Java, Python).", req: []string{"programming", "java", "python"}},
		// list punctuation splits multi-word spellings
		{name: "Spark, Scala", text: "Contrat de 24 mois. Spark, Scala, Hadoop, Hive.", req: []string{"apache-spark", "scala", "hadoop", "hive"}},
		{name: "Spark/Scala", text: "Développement Spark/Scala sur Hadoop.", req: []string{"apache-spark", "scala", "hadoop"}},
		{name: "spelling with a comma", text: "Processus extract, transform, load.", req: []string{"etl"}},
		{name: "spelling with parentheses", text: "Déploiement sur Google Cloud Platform (GCP).", req: []string{"gcp"}},
		{name: "NLP tech", text: "NLP engineer: text classification, named entity recognition, BERT.",
			req: []string{"nlp", "text-classification", "named-entity-recognition", "bert"}},
		// AI / IA
		{name: "AI caps", text: "AI engineer building GenAI products.", req: []string{"artificial-intelligence", "generative-ai"}},
		{name: "j'ai", text: "J'ai trois ans d'expérience et j'ai géré une équipe. Il y a un ai.", none: []string{"artificial-intelligence"}},
		{name: "l'IA", text: "Passionné par l'IA et la data science.", req: []string{"artificial-intelligence", "data-science"}},
		// BI
		{name: "BI caps", text: "Outils BI et reporting.", req: []string{"business-intelligence", "reporting"}},
		{name: "bi lower", text: "Réunion bi-mensuelle, bilingual team.", none: []string{"business-intelligence"}},
		// ML
		{name: "ML caps", text: "ML and AI research.", req: []string{"machine-learning"}},
		{name: "ml millilitre", text: "Flacon de 250 ml, dose de 5 ML par jour.", none: []string{"machine-learning"}},
		// React, Vue, Spring
		{name: "react verb", text: "You react quickly to incidents.", none: []string{"react"}},
		{name: "React lib", text: "Frontend in React and TypeScript.", req: []string{"react", "typescript"}},
		{name: "vue French", text: "En vue d'un recrutement, point de vue, Vue d'ensemble.", none: []string{"vue"}},
		{name: "Spring season", text: "Spring internship 2026, this Spring.", none: []string{"spring"}},
		{name: "Spring framework", text: "Java with Spring and Hibernate.", req: []string{"java", "spring", "hibernate"}},
		// LoRA vs LoRa
		{name: "LoRA fine-tuning", text: "Fine-tuning with LoRA adapters.", req: []string{"peft"}, none: []string{"lorawan"}},
		{name: "LoRa IoT", text: "Capteurs LoRa et MQTT.", req: []string{"lorawan", "mqtt"}, none: []string{"peft"}},
	})
}

func TestExtractOptional(t *testing.T) {
	runExtractCases(t, []extractCase{
		{name: "nice to have section",
			text: "Requirements:\n- Python\n- SQL\n\nNice to have:\n- Docker\n- Kubernetes\n\nAbout us\nWe use Python everywhere.",
			req:  []string{"python", "sql"}, opt: []string{"docker", "kubernetes"}},
		{name: "a plus sentence", text: "You know Python. Experience with Airflow is a plus.", req: []string{"python"}, opt: []string{"apache-airflow"}},
		{name: "bonus", text: "Must know SQL. Bonus: Tableau or Looker.", req: []string{"sql"}, opt: []string{"tableau", "looker"}},
		{name: "preferred", text: "Preferred qualifications:\n* AWS\n* Terraform", opt: []string{"aws", "terraform"}},
		{name: "would be great", text: "Experience with Docker would be great.", opt: []string{"docker"}},
		{name: "souhaité", text: "Maîtrise de Python exigée. Connaissance de Spark et Kafka souhaitée.", req: []string{"python"}, opt: []string{"apache-spark"}},
		{name: "un plus", text: "La connaissance de Docker est un plus.", opt: []string{"docker"}},
		{name: "apprécié", text: "Une expérience sur Azure serait appréciée.", opt: []string{"azure"}},
		{name: "idéalement", text: "Idéalement, vous connaissez dbt.", opt: []string{"dbt"}},
		{name: "serait un atout", text: "La maîtrise de Kafka serait un atout.", opt: []string{"apache-kafka"}},
		{name: "atouts section", text: "Compétences requises :\n- SQL\n\nAtouts :\n- Power BI\n- DAX", req: []string{"sql"}, opt: []string{"power-bi", "dax"}},
		{name: "profil souhaité is required", text: "Profil souhaité :\n- Python\n- Machine learning", req: []string{"python", "machine-learning"}},
		{name: "both ways is required", text: "Docker is a plus.\nRequirements:\n- Docker and Python", req: []string{"docker", "python"}, none: nil},
	})
}

func TestMentionsOffsets(t *testing.T) {
	text := "Nice to have: Apache Spark. Must: Python, sklearn & Power BI."
	ms := Default().Mentions(text)
	want := []struct {
		id, surface string
		optional    bool
	}{
		{"apache-spark", "Apache Spark", true},
		{"python", "Python", false},
		{"scikit-learn", "sklearn", false},
		{"power-bi", "Power BI", false},
	}
	if len(ms) != len(want) {
		t.Fatalf("Mentions = %+v, want %d mentions", ms, len(want))
	}
	for i, w := range want {
		m := ms[i]
		if m.ID != w.id || text[m.Start:m.End] != w.surface || m.Optional != w.optional {
			t.Errorf("mention %d = %+v (%q), want %s %q optional=%v", i, m, text[m.Start:m.End], w.id, w.surface, w.optional)
		}
	}
}

func TestExtractEmpty(t *testing.T) {
	for _, text := range []string{"", "   ", "Nous recrutons un comptable.", "\n\n:::"} {
		req, opt := Default().Extract(text)
		if len(req) != 0 || len(opt) != 0 {
			t.Errorf("Extract(%q) = %v, %v, want nothing", text, req, opt)
		}
	}
	var zero Taxonomy
	if req, opt := zero.Extract("Python and SQL"); req != nil || opt != nil {
		t.Errorf("zero Taxonomy Extract = %v, %v, want nil", req, opt)
	}
}

func TestExtractAdFiles(t *testing.T) {
	for _, tc := range []struct {
		file     string
		req, opt []string
		none     []string
	}{
		{file: "testdata/ad-en.txt",
			req:  []string{"python", "sql", "pandas", "scikit-learn", "pytorch", "docker", "aws", "machine-learning", "nlp", "large-language-models", "rag"},
			opt:  []string{"kubernetes", "apache-spark", "terraform"},
			none: []string{"go", "c", "excel", "r"}},
		{file: "testdata/ad-fr.txt",
			req:  []string{"python", "sql", "power-bi", "machine-learning", "statistics", "excel", "data-visualization"},
			opt:  []string{"azure", "dbt", "tableau"},
			none: []string{"go", "c", "artificial-intelligence", "dashboards-typo"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			text := readTestdata(t, tc.file)
			runExtractCases(t, []extractCase{{name: "ad", text: text, req: tc.req, opt: tc.opt, none: tc.none}})
		})
	}
}

func TestTokenize(t *testing.T) {
	got := []string{}
	for _, tk := range tokenize("Node.js, C++/C# & .NET; Python.Experience, e-mail 3.5 Go") {
		got = append(got, tk.fold)
	}
	want := "node.js c++ c# & .net python experience e mail 3.5 go"
	if strings.Join(got, " ") != want {
		t.Errorf("tokenize = %q, want %q", strings.Join(got, " "), want)
	}
}

// TestExtractRContext: R and SAS are taken in tech context ("sous R", "avec
// R", "R et SAS", "R/Python") and left out in other uses of the letters.
func TestExtractRContext(t *testing.T) {
	runExtractCases(t, []extractCase{
		{name: "sous R et SAS", text: "Enquêtes auprès des ménages, analyses sous R et SAS, publications.", req: []string{"r", "sas"}},
		{name: "avec R", text: "Vous modéliserez les risques avec R.", req: []string{"r"}},
		{name: "with R", text: "Statistical modelling with R and a lot of care.", req: []string{"r"}},
		{name: "en R", text: "Développement de scripts en R pour le reporting.", req: []string{"r"}},
		{name: "R/Python", text: "Bonne pratique de R/Python pour l'analyse.", req: []string{"r", "python"}},
		{name: "SAS, R", text: "Outils statistiques : SAS, R.", req: []string{"sas", "r"}},
		{name: "R et SAS", text: "Maîtrise de R et SAS appréciée.", opt: []string{"r", "sas"}},
		{name: "sous SAS", text: "Traitements sous SAS Enterprise Guide.", req: []string{"sas"}},
		{name: "avec SAS", text: "Production des tableaux avec SAS.", req: []string{"sas"}},
		// Not the language.
		{name: "Série R", text: "Nouvelle Série R du constructeur disponible en concession.", none: []string{"r"}},
		{name: "R&D", text: "Rattaché au service R&D, vous serez en R&D.", none: []string{"r"}},
		{name: "R.H.", text: "Envoyez votre CV au service R.H. ou aux RH de l'agence.", none: []string{"r"}},
		{name: "rez-de-chaussée", text: "Bureaux au rez-de-chaussée (R+1) et en R+2.", none: []string{"r"}},
		{name: "R. Dupont", text: "Entretien avec R. Dupont, responsable du site.", none: []string{"r"}},
		{name: "SAS and initial", text: "Acme SAS, R. Dupont gérant.", none: []string{"r", "sas"}},
		{name: "avec Julia", text: "Vous travaillerez avec Julia, notre cheffe de projet.", none: []string{"julia"}},
		{name: "letters list", text: "Bâtiments C, R et S du campus.", none: []string{"c", "r"}},
	})
}
