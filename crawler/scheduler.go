package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/robfig/cron/v3"
)

// Run schedules every enabled source with robfig/cron (UTC) until ctx is
// done, then stops the scheduler and waits for the runs in progress (they
// see ctx cancelled and stop at the next request). Runs of one source never
// overlap (SkipIfStillRunning and a per-source lock), each scheduled run is
// delayed by a random part of the source's Jitter, and no source runs more
// often than its PollCap. Run returns nil after a clean shutdown.
func (c *Crawler) Run(ctx context.Context) error {
	logger := schedLogger{log: c.log}
	cr := cron.New(
		cron.WithLocation(time.UTC),
		cron.WithParser(cronParser),
		cron.WithLogger(logger),
		cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)),
	)
	n := 0
	for _, sc := range c.sources {
		if !sc.IsEnabled() {
			continue
		}
		sched, err := cronParser.Parse(sc.Schedule)
		if err != nil { // validated in New; kept for safety
			return fmt.Errorf("crawler: schedule %s: %w", sc.Name, err)
		}
		if sc.PollCap > 0 {
			sched = schedCapped{inner: sched, min: sc.PollCap}
		}
		cr.Schedule(sched, cron.FuncJob(func() { c.schedRun(ctx, sc) }))
		n++
	}
	c.log.Info("crawler: scheduler started", "sources", n)
	cr.Start()
	<-ctx.Done()
	<-cr.Stop().Done()
	c.guardTransport.CloseIdleConnections()
	c.openTransport.CloseIdleConnections()
	c.log.Info("crawler: scheduler stopped")
	return nil
}

// schedRun is one scheduled run: jitter, poll-cap check, run.
func (c *Crawler) schedRun(ctx context.Context, sc SourceConfig) {
	log := c.log.With("source", sc.Name)
	if d := schedJitter(sc.Jitter); d > 0 {
		if err := c.sleep(ctx, d); err != nil {
			return
		}
	}
	if sc.PollCap > 0 {
		// The state is shared by every crawler process: a run elsewhere
		// (or before a restart) counts against the cap too.
		st, err := c.deps.State.Get(ctx, sc.Name)
		if err != nil {
			log.Warn("crawler: read state", "error", err)
			return
		}
		if !st.LastRun.IsZero() && c.now().Sub(st.LastRun) < sc.PollCap {
			log.Info("crawler: run skipped", "reason", "poll cap", "last_run", st.LastRun)
			return
		}
	}
	if c.cfg.Dispatch != nil {
		if err := c.cfg.Dispatch(ctx, sc.Name, c.now()); err != nil && ctx.Err() == nil {
			log.Warn("crawler: dispatch failed", "error", err)
		}
		return
	}
	if _, err := c.RunSource(ctx, sc.Name); err != nil {
		switch {
		case errors.Is(err, ErrSourceRunning), errors.Is(err, ErrBreakerOpen):
			log.Info("crawler: run skipped", "reason", err.Error())
		case ctx.Err() != nil:
		default:
			log.Warn("crawler: run failed", "error", err)
		}
	}
}

// schedJitter returns a random delay in [0, j).
func schedJitter(j time.Duration) time.Duration {
	if j <= 0 {
		return 0
	}
	return rand.N(j)
}

// schedCapped never fires sooner than min after the previous activation.
type schedCapped struct {
	inner cron.Schedule
	min   time.Duration
}

// Next implements cron.Schedule.
func (s schedCapped) Next(t time.Time) time.Time {
	n := s.inner.Next(t)
	if n.IsZero() {
		return n
	}
	floor := t.Add(s.min)
	// Step through the inner activations so the result is one of them
	// (an "@every" schedule keeps its phase); bounded for odd specs.
	for i := 0; n.Before(floor) && !n.IsZero(); i++ {
		if i == 10000 {
			// inner.Next is strictly after its argument, at second granularity.
			return s.inner.Next(floor.Add(-time.Second))
		}
		n = s.inner.Next(n)
	}
	return n
}

// schedLogger adapts slog to cron.Logger.
type schedLogger struct{ log *slog.Logger }

func (l schedLogger) Info(msg string, kv ...any) {
	l.log.Debug("cron: "+msg, kv...)
}

func (l schedLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "error", err)...)
}
