// Package crawler owns how Passerelle reads job sources: the source kinds
// (one parser per Format, selected by name or detected), the sources config
// with its embedded default set, polite fetching with Colly (robots.txt and
// Crawl-delay, per-host rate limits, an honest User-Agent, conditional
// requests, Retry-After and backoff, a per-source circuit breaker, body and
// redirect caps, private addresses refused at dial time), the cron
// scheduler, and running a source end to end: fetch, parse, normalize with
// jobs.Normalizer, drop cross-source duplicates by fingerprint, publish, and
// remember per-source state (NATS KV in production, memory in tests).
package crawler
