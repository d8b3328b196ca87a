package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/crawler"
	"github.com/passerelle/passerelle/profiles"
)

func (a *App) newCrawler(ctx context.Context) (*crawler.Crawler, error) {
	srcs, err := a.sources()
	if err != nil {
		return nil, err
	}
	stateKV, err := a.js.KeyValue(ctx, bus.KVCrawlState)
	if err != nil {
		return nil, fmt.Errorf("crawl state bucket: %w", err)
	}
	fpKV, err := a.js.KeyValue(ctx, bus.KVOfferFingerprints)
	if err != nil {
		return nil, fmt.Errorf("fingerprints bucket: %w", err)
	}
	srcKV, err := a.js.KeyValue(ctx, bus.KVSources)
	if err != nil {
		return nil, fmt.Errorf("sources bucket: %w", err)
	}
	closedOffers, err := bus.OpenClosedOffers(ctx, a.js)
	if err != nil {
		return nil, err
	}
	c, err := crawler.New(crawler.Config{
		AllowPrivate: a.cfg.AllowPrivate,
		Dispatch:     a.dispatchCrawl,
		CloseAfter:   a.cfg.CloseAfter,
		Logger:       a.log.With("component", "crawler"),
	}, srcs, crawler.Deps{
		Closer:       unseenCloser{a},
		Closed:       closedOffers,
		Publisher:    a,
		State:        crawler.NewKVState(stateKV),
		Fingerprints: crawler.NewKVFingerprints(fpKV),
		Normalizer:   a.normalizer,
		Registry:     crawler.NewKVRegistry(srcKV),
	})
	if err != nil {
		return nil, err
	}
	// Sources enabled or added at runtime (the crawler follows later
	// changes while it runs).
	if err := c.Refresh(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// crawlWorkers is how many sources one crawler process crawls at once.
const crawlWorkers = 4

func (a *App) startCrawler(ctx context.Context) error {
	c, err := a.newCrawler(ctx)
	if err != nil {
		return err
	}
	a.crawler = c
	for range crawlWorkers {
		a.goWork(&a.intake, func() error {
			return bus.Consume(ctx, a.js, bus.ConsumeConfig{
				Stream:      bus.StreamCrawl,
				Durable:     "crawler",
				AckWait:     30 * time.Minute,
				MaxDeliver:  3,
				Batch:       1,
				Logger:      a.log.With("component", "crawler"),
				Health:      hook(a.componentHealth("crawler/queue", bus.StreamCrawl, "crawler")),
				GiveUpAfter: a.cfg.GiveUpAfter,
			}, a.runCrawlJob)
		})
	}
	a.goWork(&a.intake, func() error {
		if !a.cfg.NoCrawlOnStart {
			// Through the queue, as the current activation of each
			// source: crawlers started together crawl each source once.
			c.DispatchAll(ctx)
		}
		return c.Run(ctx)
	})
	return nil
}

// DeadLetters lists up to max dead letters, oldest first (bus.ListDead).
func (a *App) DeadLetters(ctx context.Context, max int) ([]bus.Dead, error) {
	return bus.ListDead(ctx, a.js, max)
}

// ReplayDead publishes dead letter seq again on its original subject
// (bus.ReplayDead).
func (a *App) ReplayDead(ctx context.Context, seq uint64) (string, error) {
	return bus.ReplayDead(ctx, a.js, seq)
}

// sourcesCrawler is this process's crawler, or (a process without the
// crawl component: serve, CLI tools) one built for the call, with the same
// config, state and registry; done releases it.
func (a *App) sourcesCrawler(ctx context.Context) (c *crawler.Crawler, done func(), err error) {
	if a.crawler != nil {
		return a.crawler, func() {}, nil
	}
	if c, err = a.newCrawler(ctx); err != nil {
		return nil, nil, err
	}
	return c, c.Close, nil
}

// SourceStatus lists every source with its last run and health.
func (a *App) SourceStatus(ctx context.Context) ([]crawler.SourceStatus, error) {
	c, done, err := a.sourcesCrawler(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	return c.Status(ctx)
}

// CheckSources checks the named sources (every source when none is named):
// robots.txt and one page each, nothing published (crawler.Check).
func (a *App) CheckSources(ctx context.Context, names []string, force bool) ([]crawler.CheckReport, error) {
	c, done, err := a.sourcesCrawler(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	if len(names) == 0 {
		for _, s := range c.Sources() {
			names = append(names, s.Name)
		}
	}
	out := make([]crawler.CheckReport, 0, len(names))
	for _, n := range names {
		rep, err := c.Check(ctx, n, crawler.CheckOptions{Force: force})
		if err != nil {
			return out, err
		}
		out = append(out, rep)
	}
	return out, nil
}

// SetSourceEnabled enables or disables a source at runtime, recording who
// did it; every crawler process follows the change.
func (a *App) SetSourceEnabled(ctx context.Context, name string, enabled bool, by string) (crawler.SourceRecord, error) {
	c, done, err := a.sourcesCrawler(ctx)
	if err != nil {
		return crawler.SourceRecord{}, err
	}
	defer done()
	return c.SetEnabled(ctx, name, enabled, by)
}

// AddSource checks a source given by a placement officer and, unless it is
// a dry run or the check failed, adds it (crawler.AddSource).
func (a *App) AddSource(ctx context.Context, req crawler.AddRequest) (crawler.CheckReport, error) {
	c, done, err := a.sourcesCrawler(ctx)
	if err != nil {
		return crawler.CheckReport{}, err
	}
	defer done()
	return c.AddSource(ctx, req)
}

// CrawlNow runs every enabled source once (tests, and the web's "crawl now").
func (a *App) CrawlNow(ctx context.Context) error {
	if a.crawler == nil {
		return fmt.Errorf("the crawl component is not running in this process")
	}
	return a.crawler.RunAll(ctx)
}

// Store is the profile search index (nil in processes that do not serve).
func (a *App) Store() profiles.Store { return a.store }

// Repo is the profiles bucket, the source of truth.
func (a *App) Repo() *profiles.Repo { return a.repo }

// Close releases an app started without components (CLI tools). Apps with
// components stop by cancelling their context.
func (a *App) Close() {
	if len(a.cfg.Components) == 0 {
		a.closeAll()
	}
}

// Idle reports whether the matcher of this process has applied every
// change of the profiles bucket, and the offers, matches and outbox
// consumers have nothing pending or in flight (tests poll it instead of
// sleeping).
func (a *App) Idle(ctx context.Context) (bool, error) {
	if a.matcher != nil {
		st, err := a.js.Stream(ctx, "KV_"+bus.KVProfiles)
		if err != nil {
			return false, fmt.Errorf("profiles bucket: %w", err)
		}
		info, err := st.Info(ctx)
		if err != nil {
			return false, fmt.Errorf("profiles bucket: %w", err)
		}
		if !a.matcher.Ready() || a.matcher.Revision() < info.State.LastSeq {
			return false, nil
		}
	}
	for _, c := range []struct{ stream, durable, subject string }{
		{bus.StreamOffers, "matcher", bus.SubjectOfferNew},
		{bus.StreamMatches, "notifier", ""},
		{bus.StreamOutbox, "notifier-outbox", ""},
	} {
		// The last message the consumer is to see, read before the
		// consumer: the server tells consumers of a stored message
		// asynchronously, so just after a publish NumPending can still
		// say 0 while the message waits (a test once saw a recruiter's
		// match in that gap and called the pipeline idle).
		last, err := a.lastSeq(ctx, c.stream, c.subject)
		if err != nil {
			return false, err
		}
		cons, err := a.js.Consumer(ctx, c.stream, c.durable)
		if err != nil {
			return false, fmt.Errorf("consumer %s: %w", c.durable, err)
		}
		info, err := cons.Info(ctx)
		if err != nil {
			return false, fmt.Errorf("consumer %s: %w", c.durable, err)
		}
		if info.NumPending > 0 || info.NumAckPending > 0 || info.NumRedelivered > 0 || info.Delivered.Stream < last {
			return false, nil
		}
	}
	return true, nil
}

// lastSeq is the sequence of the last message of stream on subject (any
// subject when empty), 0 when there is none.
func (a *App) lastSeq(ctx context.Context, stream, subject string) (uint64, error) {
	st, err := a.js.Stream(ctx, stream)
	if err != nil {
		return 0, fmt.Errorf("stream %s: %w", stream, err)
	}
	if subject == "" {
		info, err := st.Info(ctx)
		if err != nil {
			return 0, fmt.Errorf("stream %s: %w", stream, err)
		}
		return info.State.LastSeq, nil
	}
	m, err := st.GetLastMsgForSubject(ctx, subject)
	switch {
	case errors.Is(err, jetstream.ErrMsgNotFound):
		return 0, nil
	case err != nil:
		return 0, fmt.Errorf("stream %s: last message on %s: %w", stream, subject, err)
	}
	return m.Sequence, nil
}

// dispatchCrawl puts one scheduled run on the CRAWL work queue. Every
// crawler process's cron dispatches the same tick (the source's scheduled
// activation, before jitter: crawler.DispatchAll); the message id (source
// and activation) lets the stream keep one within its duplicate window,
// and one worker runs it.
func (a *App) dispatchCrawl(ctx context.Context, source string, tick time.Time) error {
	id := source + "@" + tick.UTC().Format("20060102T150405Z")
	return bus.PublishJSON(ctx, a.js, bus.SubjectCrawlRunPrefix+source, id, crawlJob{Source: source, Tick: tick.UTC()})
}

type crawlJob struct {
	Source string    `json:"source"`
	Tick   time.Time `json:"tick"`
}

func (a *App) runCrawlJob(ctx context.Context, msg jetstream.Msg) error {
	var job crawlJob
	if err := json.Unmarshal(msg.Data(), &job); err != nil || job.Source == "" {
		return bus.Permanent(fmt.Errorf("crawl job %q: %v", msg.Data(), err))
	}
	rep, err := a.crawler.RunSource(ctx, job.Source)
	switch {
	case err == nil:
		a.log.Debug("crawl job done", "source", job.Source, "published", rep.Published)
	case errors.Is(err, crawler.ErrUnknownSource):
		// Another process has a newer sources config; nothing to retry here.
		return bus.Permanent(err)
	default:
		// Running, breaker open, fetch failures: the next tick tries again,
		// a redelivery would only hammer the source.
		a.log.Info("crawl job ended", "source", job.Source, "err", err)
	}
	return nil
}

// Reindex rebuilds this process's search index from the profiles bucket.
func (a *App) Reindex(ctx context.Context) (int, error) {
	if a.index == nil {
		return 0, fmt.Errorf("this process keeps no search index")
	}
	return a.index.Reindex(ctx)
}

// unseenCloser closes the offers a source's listing stopped showing.
type unseenCloser struct{ a *App }

func (c unseenCloser) CloseOffer(ctx context.Context, offerID, source string) error {
	return bus.CloseOffer(ctx, c.a.js, bus.OfferClosed{OfferID: offerID, Source: source, Reason: bus.ClosedNotSeen})
}
