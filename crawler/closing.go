package crawler

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/passerelle/passerelle/jobs"
)

// maxSeen bounds SourceState.Seen: the state is one KV value per source
// (NATS' default maximum payload is 1 MiB; an entry takes about 50
// bytes). Beyond it the entries seen longest ago are forgotten (never
// closed: forgetting is not evidence that an offer closed).
const maxSeen = 15000

// noteSeenUnchanged records as seen a posting whose detail page answered
// 304 (an earlier run published it). Its id comes from the normalizer,
// as for any posting; when it cannot be derived the run closes nothing.
func (c *Crawler) noteSeenUnchanged(sc SourceConfig, p jobs.Posting, detailURL string, rep *RunReport) {
	if c.deps.Closer == nil {
		return
	}
	// The same fields publishPosting normalizes after a detail page was
	// read: the detail URL, the source's name and terms.
	p.URL, p.Source, p.Terms = detailURL, sc.Name, sc.Terms
	if strings.TrimSpace(p.Title) == "" {
		// The title came from the detail page, not fetched again; the id
		// does not depend on it (the URL is set), the normalizer needs one.
		p.Title = "untitled"
	}
	o, err := NormalizeSafely(c.deps.Normalizer, p)
	if err != nil || o.ID == "" {
		rep.partial = true
		return
	}
	rep.seen = append(rep.seen, o.ID)
}

// closeUnseen updates st.Seen with the offers this successful run saw
// and closes those the listing has not shown for Config.CloseAfter. A
// listing answered 304 counts as showing every offer again. Nothing is
// closed when part of the listing could not be read, or when it read no
// posting at all (a changed page layout is not every offer closing). A
// close that fails keeps its entry, to be tried again next run. It
// returns the number closed.
func (c *Crawler) closeUnseen(ctx context.Context, source string, st *SourceState, rep *RunReport, now time.Time, log *slog.Logger) int {
	if st.Seen == nil {
		st.Seen = map[string]int64{}
	}
	at := now.Unix()
	if rep.NotModified {
		for id := range st.Seen {
			st.Seen[id] = at
		}
		return 0
	}
	for _, id := range rep.seen {
		st.Seen[id] = at
	}
	closed := 0
	if !rep.partial && rep.Postings > 0 {
		cutoff := now.Add(-c.cfg.CloseAfter).Unix()
		ids := make([]string, 0)
		for id, last := range st.Seen {
			if last < cutoff {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		for _, id := range ids {
			if ctx.Err() != nil {
				break
			}
			if err := c.deps.Closer.CloseOffer(ctx, id, source); err != nil {
				log.Warn("crawler: offer not closed; trying again next run", "offer_id", id, "error", err)
				break
			}
			log.Info("crawler: offer closed: not seen again", "offer_id", id,
				"last_seen", time.Unix(st.Seen[id], 0).UTC(), "close_after", c.cfg.CloseAfter)
			delete(st.Seen, id)
			closed++
		}
	}
	if over := len(st.Seen) - maxSeen; over > 0 {
		ids := make([]string, 0, len(st.Seen))
		for id := range st.Seen {
			ids = append(ids, id)
		}
		slices.SortFunc(ids, func(a, b string) int { return int(st.Seen[a] - st.Seen[b]) })
		for _, id := range ids[:over] {
			delete(st.Seen, id)
		}
	}
	return closed
}
