package crawler

// apiFormats lists the JSON API kinds (Remotive, Remote OK, ...).
func apiFormats() []Format { return nil }
