// Package demo serves a small sample job site on 127.0.0.1 and provides
// sample graduates, so `passerelle run --demo` shows the whole loop with no
// network. Every offer, company and person here is invented by the
// Passerelle team and marked as demo data.
package demo

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/passerelle/passerelle/profiles"
)

// Job is one demo posting; the site renders it as a career page with
// schema.org JobPosting JSON-LD, or as an entry of its JSON API.
type Job struct {
	Slug          string
	Title         string
	Company       string
	City          string // empty for remote jobs
	Country       string // ISO alpha-2
	Remote        bool
	Applicant     []string // applicantLocationRequirements country names, empty = unstated
	Employment    string   // schema.org employmentType
	Description   string   // HTML
	SalaryMin     float64
	SalaryMax     float64
	Currency      string
	Unit          string // YEAR | MONTH
	ViaAPI        bool   // published by the JSON API instead of the career page
	APILocation   string // Remotive-style candidate_required_location
	APIJobType    string
	DaysAgoPosted int
}

// Jobs is the demo job set: some fit the demo graduates, some are traps
// (US-only remote, senior role, German required, onsite elsewhere).
func Jobs() []Job {
	return []Job{
		{Slug: "data-analyst-oujda", Title: "Data Analyst junior (CDI) — DEMO", Company: "Oriental Data Lab (démo)", City: "Oujda", Country: "MA",
			Employment: "FULL_TIME", Description: "<p>Rejoignez notre équipe à Oujda. Vous analyserez des données clients avec <b>Python</b>, <b>pandas</b> et <b>SQL</b>, et construirez des tableaux de bord <b>Power BI</b>.</p><p>Profil : jeune diplômé(e), français courant.</p>",
			SalaryMin: 7000, SalaryMax: 9000, Currency: "MAD", Unit: "MONTH", DaysAgoPosted: 1},
		{Slug: "ml-engineer-remote-africa", Title: "Junior Machine Learning Engineer (remote, Africa) — DEMO", Company: "Sahel AI (demo)", Remote: true,
			Applicant: []string{"Morocco", "Senegal", "Tunisia", "Kenya"}, Employment: "FULL_TIME",
			Description: "<p>Fully remote team. You will train and deploy models with <b>Python</b>, <b>scikit-learn</b> and <b>PyTorch</b>, and track experiments with MLflow.</p><p>Junior profile welcome. Fluent English.</p>", DaysAgoPosted: 2},
		{Slug: "senior-ml-us", Title: "Machine Learning Engineer — DEMO", Company: "Silicon Prairie Analytics (demo)", Remote: true,
			Applicant: []string{"USA"}, Employment: "FULL_TIME",
			Description: "<p>Remote, US only: candidates must be based in the United States. Python, PyTorch, scikit-learn, pandas, SQL.</p>", DaysAgoPosted: 1},
		{Slug: "bi-casablanca-senior", Title: "Lead BI Architect (10+ years) — DEMO", Company: "Atlas Retail (démo)", City: "Casablanca", Country: "MA",
			Employment: "FULL_TIME", Description: "<p>Poste senior : au moins 10 ans d'expérience, Power BI, SQL, Azure.</p>", DaysAgoPosted: 3},
		{Slug: "nlp-intern-rabat", Title: "Stage PFE — NLP et LLM — DEMO", Company: "Maghreb Language Tech (démo)", City: "Rabat", Country: "MA",
			Employment: "INTERN", Description: "<p>Stage de fin d'études : traitement automatique du langage naturel (NLP), transformers, Hugging Face, Python. Arabe et français requis.</p>", DaysAgoPosted: 2},
		{Slug: "data-engineer-berlin", Title: "Data Engineer (German required) — DEMO", Company: "Spree Logistics (demo)", City: "Berlin", Country: "DE",
			Employment: "FULL_TIME", Description: "<p>Onsite in Berlin. Spark, Airflow, SQL, Python. Fluent German required.</p>", DaysAgoPosted: 4},
		{Slug: "api-data-scientist-emea", ViaAPI: true, Title: "Data Scientist (remote EMEA) — DEMO", Company: "Medina Insights (demo)", Remote: true,
			APILocation: "EMEA", APIJobType: "full_time",
			Description: "<p>Remote within EMEA time zones. Statistics, Python, pandas, scikit-learn, SQL, data visualisation. Junior to mid-level.</p>", DaysAgoPosted: 1},
		{Slug: "api-vision-anywhere", ViaAPI: true, Title: "Computer Vision Intern (worldwide) — DEMO", Company: "Open Pixels (demo)", Remote: true,
			APILocation: "Worldwide", APIJobType: "internship",
			Description: "<p>Remote internship open worldwide: OpenCV, PyTorch, deep learning, Python.</p>", DaysAgoPosted: 2},
	}
}

// Profiles are the demo graduates, all from Oujda, with instant alerts. The
// e-mail addresses use the reserved example.org domain.
func Profiles() []profiles.Profile {
	yes := profiles.Consent{Alerts: true, Searchable: true, Recruiters: false}
	instant := profiles.Alerts{Frequency: profiles.FrequencyInstant}
	return []profiles.Profile{
		{ID: "demo-salma", Name: "Salma B. (démo)", Email: "salma.demo@example.org", Locale: "fr", City: "Oujda", Country: "MA",
			Headline: "Data analyst, Master Big Data (démo)", Skills: []string{"Python", "pandas", "SQL", "Power BI", "statistiques"},
			Languages: []string{"fr", "ar", "en"}, GraduationYear: 2025, Availability: "immediate",
			Seeking: profiles.Seeking{Seniority: []string{"internship", "junior"}, Employment: []string{"full_time", "internship"}, Workplace: []string{"remote", "hybrid", "onsite"}, Locations: []string{"Oujda", "Casablanca"}},
			Alerts:  instant, Consent: yes},
		{ID: "demo-youssef", Name: "Youssef A. (demo)", Email: "youssef.demo@example.org", Locale: "en", City: "Oujda", Country: "MA",
			Headline: "Machine learning engineer, ENSA Oujda (demo)", Skills: []string{"Python", "PyTorch", "scikit-learn", "apprentissage automatique", "Docker", "OpenCV"},
			Languages: []string{"ar", "fr", "en"}, GraduationYear: 2025, Availability: "immediate",
			Seeking: profiles.Seeking{Seniority: []string{"internship", "junior"}, Employment: []string{"full_time", "internship"}, Workplace: []string{"remote"}, Locations: []string{"Oujda"}},
			Alerts:  instant, Consent: yes},
		{ID: "demo-imane", Name: "Imane K. (démo)", Email: "imane.demo@example.org", Locale: "ar", City: "Oujda", Country: "MA",
			Headline: "TALN et LLM, Master IA (démo)", Skills: []string{"Python", "NLP", "transformers", "Hugging Face", "التعلم الآلي"},
			Languages: []string{"ar", "fr", "en"}, GraduationYear: 2026, Availability: "2026-07-01",
			Seeking: profiles.Seeking{Seniority: []string{"internship", "junior"}, Employment: []string{"internship", "full_time"}, Workplace: []string{"remote", "hybrid", "onsite"}, Locations: []string{"Rabat", "Oujda", "Casablanca"}},
			Alerts:  instant, Consent: yes},
		{ID: "demo-karim", Name: "Karim E. (démo)", Email: "karim.demo@example.org", Locale: "fr", City: "Oujda", Country: "MA",
			Headline: "Développeur web (démo)", Skills: []string{"JavaScript", "React", "Node.js"},
			Languages: []string{"fr", "ar"}, GraduationYear: 2024, Availability: "immediate",
			Seeking: profiles.Seeking{Seniority: []string{"junior"}, Employment: []string{"full_time"}, Workplace: []string{"onsite"}, Locations: []string{"Oujda"}},
			Alerts:  instant, Consent: yes},
	}
}

// Site serves the demo job site: /careers (career page with one JSON-LD
// JobPosting block per job), /jobs/<slug> (one page per job), /api/remote-jobs
// (a Remotive-shaped JSON API) and /robots.txt.
type Site struct {
	Now  func() time.Time
	jobs []Job
}

// NewSite returns the demo site over Jobs().
func NewSite() *Site { return &Site{Now: time.Now, jobs: Jobs()} }

// Handler returns the site's routes.
func (s *Site) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /robots.txt", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, "User-agent: *\nAllow: /\n")
	})
	mux.HandleFunc("GET /careers", s.careers)
	mux.HandleFunc("GET /jobs/{slug}", s.job)
	mux.HandleFunc("GET /api/remote-jobs", s.api)
	return mux
}

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>{{.Title}}</title>
{{range .Blocks}}<script type="application/ld+json">{{.}}</script>
{{end}}</head><body><p><strong>Site de démonstration Passerelle — offres fictives.</strong></p>
{{range .Jobs}}<article><h2><a href="/jobs/{{.Slug}}">{{.Title}}</a></h2><p>{{.Company}}</p></article>{{end}}
</body></html>`))

func (s *Site) careers(w http.ResponseWriter, r *http.Request) {
	var jobs []Job
	for _, j := range s.jobs {
		if !j.ViaAPI {
			jobs = append(jobs, j)
		}
	}
	s.render(w, r, "Carrières (démo)", jobs)
}

func (s *Site) job(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	for _, j := range s.jobs {
		if j.Slug == slug && !j.ViaAPI {
			s.render(w, r, j.Title, []Job{j})
			return
		}
	}
	http.NotFound(w, r)
}

func (s *Site) render(w http.ResponseWriter, r *http.Request, title string, jobs []Job) {
	base := "http://" + r.Host
	var blocks []template.JS
	for _, j := range jobs {
		b, err := json.Marshal(s.jsonLD(j, base))
		if err != nil {
			http.Error(w, "demo site error", http.StatusInternalServerError)
			return
		}
		blocks = append(blocks, template.JS(b))
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = pageTmpl.Execute(w, map[string]any{"Title": title, "Blocks": blocks, "Jobs": jobs})
}

func (s *Site) posted(j Job) string {
	return s.Now().UTC().AddDate(0, 0, -j.DaysAgoPosted).Format("2006-01-02")
}

func (s *Site) jsonLD(j Job, base string) map[string]any {
	ld := map[string]any{
		"@context":           "https://schema.org/",
		"@type":              "JobPosting",
		"title":              j.Title,
		"description":        j.Description,
		"datePosted":         s.posted(j),
		"validThrough":       s.Now().UTC().AddDate(0, 2, 0).Format("2006-01-02"),
		"employmentType":     j.Employment,
		"url":                base + "/jobs/" + j.Slug,
		"identifier":         map[string]any{"@type": "PropertyValue", "name": j.Company, "value": j.Slug},
		"hiringOrganization": map[string]any{"@type": "Organization", "name": j.Company},
	}
	if j.Remote {
		ld["jobLocationType"] = "TELECOMMUTE"
		var req []map[string]any
		for _, c := range j.Applicant {
			req = append(req, map[string]any{"@type": "Country", "name": c})
		}
		if len(req) > 0 {
			ld["applicantLocationRequirements"] = req
		}
	} else {
		ld["jobLocation"] = map[string]any{"@type": "Place", "address": map[string]any{
			"@type": "PostalAddress", "addressLocality": j.City, "addressCountry": j.Country}}
	}
	if j.SalaryMin > 0 {
		ld["baseSalary"] = map[string]any{"@type": "MonetaryAmount", "currency": j.Currency,
			"value": map[string]any{"@type": "QuantitativeValue", "minValue": j.SalaryMin, "maxValue": j.SalaryMax, "unitText": j.Unit}}
	}
	return ld
}

func (s *Site) api(w http.ResponseWriter, r *http.Request) {
	type apiJob struct {
		ID                        int      `json:"id"`
		URL                       string   `json:"url"`
		Title                     string   `json:"title"`
		CompanyName               string   `json:"company_name"`
		Category                  string   `json:"category"`
		Tags                      []string `json:"tags"`
		JobType                   string   `json:"job_type"`
		PublicationDate           string   `json:"publication_date"`
		CandidateRequiredLocation string   `json:"candidate_required_location"`
		Salary                    string   `json:"salary"`
		Description               string   `json:"description"`
	}
	var out []apiJob
	for i, j := range s.jobs {
		if !j.ViaAPI {
			continue
		}
		out = append(out, apiJob{
			ID: 9000 + i, URL: "http://" + r.Host + "/jobs/api-" + j.Slug, Title: j.Title, CompanyName: j.Company,
			Category: "Data", Tags: []string{"demo"}, JobType: j.APIJobType,
			PublicationDate:           s.Now().UTC().AddDate(0, 0, -j.DaysAgoPosted).Format("2006-01-02T15:04:05"),
			CandidateRequiredLocation: j.APILocation, Description: j.Description,
		})
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"00-warning": "Demo data written by the Passerelle team: not real offers.",
		"job-count":  len(out),
		"jobs":       out,
	})
}

// SourcesJSON returns a sources config (the crawler's JSON format) pointing
// at the demo site served at baseURL.
func SourcesJSON(baseURL string) string {
	base := strings.TrimRight(baseURL, "/")
	return fmt.Sprintf(`{"sources": [
 {"name":"demo-careers","kind":"jsonld","url":%q,"schedule":"@every 10m","allow_private":true,
  "terms":{"attribution":"Site de démonstration Passerelle","email_allowed":true,"show_behind_signup":true}},
 {"name":"demo-api","kind":"remotive","url":%q,"schedule":"@every 10m","allow_private":true,
  "terms":{"attribution":"API de démonstration Passerelle","email_allowed":true,"show_behind_signup":true}}
]}`, base+"/careers", base+"/api/remote-jobs")
}
