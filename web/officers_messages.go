package web

// officersMessages are strings of the officers' and graduates' pages added
// with cohort scopes and "new since my last visit"; they join the catalog
// when the package loads (TestCatalog checks every locale has every key).
var officersMessages = map[string]map[string]string{
	"fr": {
		"officer_scope": "Vous voyez les diplômés de vos promotions : {cohorts}.",
	},
	"en": {
		"officer_scope": "You see the graduates of your cohorts: {cohorts}.",
	},
	"ar": {
		"officer_scope": "تطّلع على خريجي أفواجك: {cohorts}.",
	},
}

func init() {
	for l, m := range officersMessages {
		for k, v := range m {
			messages[l][k] = v
		}
	}
}
