package web

// officersMessages are strings of the officers' and graduates' pages added
// with cohort scopes and "new since my last visit"; they join the catalog
// when the package loads (TestCatalog checks every locale has every key).
var officersMessages = map[string]map[string]string{
	"fr": {
		"officer_scope":      "Vous voyez les diplômés de vos promotions : {cohorts}.",
		"matches_new":        "Nouveau",
		"matches_new_filter": "Nouvelles depuis ma dernière visite ({n})",
		"matches_none_new":   "Aucune nouvelle offre depuis votre dernière visite.",
	},
	"en": {
		"officer_scope":      "You see the graduates of your cohorts: {cohorts}.",
		"matches_new":        "New",
		"matches_new_filter": "New since my last visit ({n})",
		"matches_none_new":   "No new offer since your last visit.",
	},
	"ar": {
		"officer_scope":      "تطّلع على خريجي أفواجك: {cohorts}.",
		"matches_new":        "جديد",
		"matches_new_filter": "الجديد منذ زيارتي الأخيرة ({n})",
		"matches_none_new":   "لا عروض جديدة منذ زيارتك الأخيرة.",
	},
}

func init() {
	for l, m := range officersMessages {
		for k, v := range m {
			messages[l][k] = v
		}
	}
}
