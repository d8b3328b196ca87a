// Package crawler owns how Passerelle reads job sources: the source kinds
// (one parser per Format, selected by name or detected), the sources config
// with its embedded default set and the owners' terms as data (attribution,
// e-mail, apply via the listing, sign-in pages, minimum poll interval,
// publication delay), polite fetching with Colly (robots.txt shared per
// origin and its Crawl-delay, per-host rate limits, an honest User-Agent,
// conditional requests, Retry-After and backoff, a per-source circuit
// breaker, body and redirect caps, private addresses refused at dial time),
// the cron scheduler, and running a source end to end: fetch, parse,
// normalize with jobs.Normalizer, apply the terms, drop cross-source
// duplicates by fingerprint, publish, and remember per-source state (NATS
// KV in production, memory in tests). A panic while reading one document
// or one posting is recovered there, logged and counted in the source's
// health. The sources registry (KV bucket "sources") records sources
// enabled, disabled or added at runtime, with who and when; Check and
// AddSource read a source's robots.txt and one page without publishing.
package crawler
