package crawler

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"
)

// Run schedules every enabled source with robfig/cron (UTC) until ctx is
// done, then stops the scheduler and waits for the runs in progress (they
// see ctx cancelled and stop at the next request). Runs of one source never
// overlap (SkipIfStillRunning and a per-source lock), each scheduled run is
// delayed by a random part of the source's Jitter, and no source runs more
// often than its MinInterval (the owner's minimum poll interval or the
// operator's poll cap). With a Registry, Run follows it: a source enabled,
// disabled or added in any process is scheduled or dropped here without a
// restart. Run returns nil after a clean shutdown.
func (c *Crawler) Run(ctx context.Context) error {
	logger := schedLogger{log: c.log}
	cr := cron.New(
		cron.WithLocation(time.UTC),
		cron.WithParser(cronParser),
		cron.WithLogger(logger),
		cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)),
	)
	var changes <-chan struct{}
	if c.deps.Registry != nil {
		// Follow first, then read: a change made between the two is then
		// seen (read, or announced), never lost until a restart.
		ch, err := c.deps.Registry.Changes(ctx)
		if err != nil {
			c.log.Warn("crawler: sources registry not followed: changes need a restart", "error", err)
		} else {
			changes = ch
		}
		if err := c.Refresh(ctx); err != nil {
			c.log.Warn("crawler: sources registry unreadable, running the config alone", "error", err)
		}
	}
	entries := map[string]schedEntry{}
	n := c.schedSync(ctx, cr, entries, false)
	c.log.Info("crawler: scheduler started", "sources", n)
	cr.Start()
	for running := true; running; {
		select {
		case <-ctx.Done():
			running = false
		case _, ok := <-changes:
			if !ok {
				changes = nil
				continue
			}
			if err := c.Refresh(ctx); err != nil {
				c.log.Warn("crawler: sources registry unreadable", "error", err)
				continue
			}
			c.schedSync(ctx, cr, entries, true)
		case <-c.resched:
			c.schedSync(ctx, cr, entries, true)
		}
	}
	<-cr.Stop().Done()
	c.guardTransport.CloseIdleConnections()
	c.openTransport.CloseIdleConnections()
	c.log.Info("crawler: scheduler stopped")
	return nil
}

// schedEntry is a source's cron entry and what it was built from.
type schedEntry struct {
	id  cron.EntryID
	sig string
}

// schedSync makes the cron entries match the enabled sources: new ones
// are added, changed ones replaced, disabled or removed ones dropped. With
// soon, a source that was not scheduled before (just enabled or added)
// also runs once right away, without jitter, so that whoever enabled it
// sees its offers within minutes (its minimum interval still holds). It
// returns the number of sources scheduled.
func (c *Crawler) schedSync(ctx context.Context, cr *cron.Cron, entries map[string]schedEntry, soon bool) int {
	want := map[string]bool{}
	for _, sc := range c.Sources() {
		if !sc.IsEnabled() {
			continue
		}
		want[sc.Name] = true
		sig := sc.Schedule + "|" + sc.MinInterval().String()
		e, known := entries[sc.Name]
		if known && e.sig == sig {
			continue
		} else if known {
			cr.Remove(e.id)
		}
		sched, err := parseSchedule(sc.Schedule)
		if err != nil { // validated before; kept for safety
			c.log.Warn("crawler: source not scheduled", "source", sc.Name, "error", err)
			delete(entries, sc.Name)
			continue
		}
		if mi := sc.MinInterval(); mi > 0 {
			sched = schedCapped{inner: sched, min: mi}
		}
		name := sc.Name
		id := cr.Schedule(sched, cron.FuncJob(func() { c.schedRun(ctx, name, true) }))
		entries[name] = schedEntry{id: id, sig: sig}
		c.log.Debug("crawler: source scheduled", "source", name, "schedule", sc.Schedule)
		if soon && !known {
			var once atomic.Int64 // the entry removes itself once it ran
			// cron runs on the wall clock, whatever c.now says.
			id := cr.Schedule(schedOnce{at: time.Now().Add(time.Second)}, cron.FuncJob(func() {
				defer func() { cr.Remove(cron.EntryID(once.Load())) }()
				c.schedRun(ctx, name, false)
			}))
			once.Store(int64(id))
		}
	}
	for name, e := range entries {
		if !want[name] {
			cr.Remove(e.id)
			delete(entries, name)
			c.log.Info("crawler: source unscheduled", "source", name)
		}
	}
	return len(entries)
}

// schedRun is one scheduled run: jitter, minimum-interval check, run.
func (c *Crawler) schedRun(ctx context.Context, name string, jitter bool) {
	sc, ok := c.Source(name)
	if !ok || !sc.IsEnabled() {
		return
	}
	log := c.log.With("source", sc.Name)
	// The tick is the activation this run belongs to, taken before the
	// jitter: every crawler process computes the same one, so the CRAWL
	// queue keeps one run per activation.
	tick := c.now().UTC()
	if sched, err := parseSchedule(sc.Schedule); err == nil {
		tick = lastActivation(sched, tick)
	}
	if d := schedJitter(sc.Jitter); d > 0 && jitter {
		if err := c.sleep(ctx, d); err != nil {
			return
		}
	}
	if sc.MinInterval() > 0 {
		// The state is shared by every crawler process: a run elsewhere
		// (or before a restart) counts against the interval too.
		st, err := c.deps.State.Get(ctx, sc.Name)
		if err != nil {
			log.Warn("crawler: read state", "error", err)
			return
		}
		if _, soon := tooSoon(sc, st, c.now()); soon {
			log.Info("crawler: run skipped", "reason", "minimum poll interval", "last_run", st.LastRun)
			return
		}
	}
	if c.cfg.Dispatch != nil {
		if err := c.cfg.Dispatch(ctx, sc.Name, tick); err != nil && ctx.Err() == nil {
			log.Warn("crawler: dispatch failed", "error", err)
		}
		return
	}
	if _, err := c.RunSource(ctx, sc.Name); err != nil {
		switch {
		case errors.Is(err, ErrSourceRunning), errors.Is(err, ErrBreakerOpen), errors.Is(err, ErrTooSoon):
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

// schedOnce fires once, at at (cron's clock), then never again.
type schedOnce struct{ at time.Time }

// Next implements cron.Schedule.
func (s schedOnce) Next(t time.Time) time.Time {
	if t.Before(s.at) {
		return s.at
	}
	return time.Time{}
}

// schedLogger adapts slog to cron.Logger.
type schedLogger struct{ log *slog.Logger }

func (l schedLogger) Info(msg string, kv ...any) {
	l.log.Debug("cron: "+msg, kv...)
}

func (l schedLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "error", err)...)
}

// DispatchAll puts the current activation of every enabled source on the
// work queue (Config.Dispatch), as the crawl at start of a process whose
// crawls run through a queue: processes started together, and a process
// restarted within a period whose run already happened, dispatch the same
// activation, which the queue keeps once. Sources within their minimum
// poll interval are skipped.
func (c *Crawler) DispatchAll(ctx context.Context) {
	for _, sc := range c.Sources() {
		if sc.IsEnabled() && ctx.Err() == nil {
			c.schedRun(ctx, sc.Name, false)
		}
	}
}

// parseSchedule parses a source's schedule; "@every" intervals are
// aligned on the clock (multiples of the interval since the zero time)
// rather than counted from the process's start, so that every crawler
// process has the same activations.
func parseSchedule(spec string) (cron.Schedule, error) {
	s, err := cronParser.Parse(spec)
	if err != nil {
		return nil, err
	}
	if cd, ok := s.(cron.ConstantDelaySchedule); ok && cd.Delay > 0 {
		return schedAligned{d: cd.Delay}, nil
	}
	return s, nil
}

// schedAligned fires at every multiple of d.
type schedAligned struct{ d time.Duration }

// Next implements cron.Schedule.
func (s schedAligned) Next(t time.Time) time.Time { return t.Truncate(s.d).Add(s.d) }

// lastActivation is the latest activation of sched at or before t (t
// itself when none is found within a year, which no valid spec does).
func lastActivation(sched cron.Schedule, t time.Time) time.Time {
	if a, ok := sched.(schedAligned); ok {
		return t.Truncate(a.d)
	}
	for _, back := range []time.Duration{time.Hour, 24 * time.Hour, 8 * 24 * time.Hour, 32 * 24 * time.Hour, 366 * 24 * time.Hour} {
		var last time.Time
		n := sched.Next(t.Add(-back))
		for i := 0; !n.IsZero() && !n.After(t) && i < 100000; i++ {
			last = n
			n = sched.Next(n)
		}
		if !last.IsZero() {
			return last
		}
	}
	return t
}
