// Package metrics holds Passerelle's Prometheus metrics: one registry per
// process, served on /metrics in the Prometheus text format. Components
// count what they do through the variables here; gauges that are cheaper
// to read than to keep (consumer lag, dead letters) are collected at
// scrape time by collectors the process registers.
package metrics

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Registry is the process's registry (Go runtime and process metrics
// included).
var Registry = prometheus.NewRegistry()

var (
	// OffersCrawled counts postings read per source; OffersPublished the
	// offers published on offers.new; CrawlErrors the failed runs.
	OffersCrawled   = counterVec("passerelle_offers_crawled_total", "Postings read from a source.", "source")
	OffersPublished = counterVec("passerelle_offers_published_total", "Offers published on offers.new, per source.", "source")
	CrawlErrors     = counterVec("passerelle_crawl_errors_total", "Crawl runs that ended with an error, per source.", "source")
	// Matches counts matches published (rate() gives matches per second).
	Matches = counter("passerelle_matches_published_total", "Matches published on matches.<profile>.")
	// OffersMatched counts offers the matcher handled.
	OffersMatched = counter("passerelle_offers_matched_total", "Offers the matcher scored against every profile.")
	// AlertsSent and AlertsFailed count mails by kind (instant, daily,
	// weekly, link).
	AlertsSent   = counterVec("passerelle_alerts_sent_total", "Mails accepted by the SMTP server (or written to the outbox), per kind.", "kind")
	AlertsFailed = counterVec("passerelle_alerts_failed_total", "Mail sends that failed, per kind.", "kind")
	// Recovered counts inputs whose handling panicked and was recovered.
	Recovered = counterVec("passerelle_recovered_panics_total", "Inputs whose handling panicked, recovered at their boundary.", "where")
	// HTTPDuration is the latency of web requests per route pattern.
	HTTPDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "passerelle_http_request_duration_seconds",
		Help:    "Latency of HTTP requests, per route and status class.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route", "code"})
)

func init() {
	Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), HTTPDuration)
}

func counter(name, help string) prometheus.Counter {
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help})
	Registry.MustRegister(c)
	return c
}

func counterVec(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	Registry.MustRegister(c)
	return c
}

// Handler serves the registry in the Prometheus text format. A metric
// that cannot be gathered is logged and left out; the others are served
// (the default answers 500 with no metric at all).
func Handler() http.Handler {
	return promhttp.HandlerFor(Registry, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError, ErrorLog: slogPrintln{}})
}

// slogPrintln is promhttp's error log on slog.
type slogPrintln struct{}

func (slogPrintln) Println(v ...any) { slog.Warn("metrics: gathering failed", "err", fmt.Sprint(v...)) }
