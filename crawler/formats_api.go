package crawler

// apiFormats lists the JSON API kinds (Remotive, Remote OK, ...). Their
// detectors look for members only one API uses, so the order among them
// does not matter; they all come before the page and feed kinds.
func apiFormats() []Format {
	return []Format{
		remotiveFormat(),
		remoteokFormat(),
		himalayasFormat(),
		jobicyFormat(),
		arbeitnowFormat(),
		greenhouseFormat(),
		leverFormat(),
		ashbyFormat(),
		workableFormat(),
		smartrecruitersFormat(),
		recruiteeFormat(),
		workingnomadsFormat(),
		jsonfeedFormat(),
		digitalrecruitersFormat(),
		talentsoftFormat(),
		anapecFormat(),
	}
}
