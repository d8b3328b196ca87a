package jobs

import "strings"

// Feeds such as We Work Remotely give "Company: Title" as the title and no
// company field. splitFeedTitle cuts such a title when the posting names
// no company: the part before ": " must be short and read as a name, not
// as a job ("Data Engineer: Streaming") nor as a notice ("Urgent: ...").

// feedPrefixWords start a title that is not "Company: Title".
var feedPrefixWords = wordSet("urgent", "note", "new", "nouveau", "nouvelle", "hiring", "we", "job", "jobs", "offre",
	"poste", "stage", "update", "closed", "re", "fwd", "remote", "hybrid", "onsite", "full", "part", "freelance",
	"contract", "cdi", "cdd", "alternance", "internship", "wanted", "recrutement", "recrute", "important", "ref",
	"reference", "immediate", "asap", "عاجل", "وظيفة", "مطلوب")

// jobTitleWords show that the part before the colon is a job.
var jobTitleWords = wordSet("engineer", "developer", "developpeur", "developpeuse", "analyst", "analyste", "scientist",
	"manager", "consultant", "consultante", "designer", "architect", "architecte", "intern", "stagiaire", "lead", "head",
	"director", "directeur", "specialist", "officer", "administrator", "assistant", "technician", "technicien",
	"ingenieur", "ingenieure", "chef", "responsable", "data", "senior", "junior", "associate", "coordinator",
	"representative", "agent", "support", "writer", "researcher", "chercheur", "programmer", "sales", "marketing",
	"مهندس", "مطور", "محلل")

// splitFeedTitle returns the company and the title of "Company: Title".
func splitFeedTitle(title string) (company, rest string, ok bool) {
	i := strings.Index(title, ": ")
	if i <= 0 {
		return "", "", false
	}
	left, right := strings.TrimSpace(title[:i]), strings.TrimSpace(title[i+2:])
	if left == "" || right == "" || len(left) > 60 || strings.Contains(right, ": ") {
		return "", "", false
	}
	words := strings.Fields(fold(left))
	if len(words) == 0 || len(words) > 5 || feedPrefixWords[words[0]] {
		return "", "", false
	}
	for _, w := range words {
		if jobTitleWords[w] {
			return "", "", false
		}
	}
	return left, right, true
}
