package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// readOrdered calls fn with every message an ordered consumer of stream
// (cfg) has pending when it is created, in order, fetching batch at a
// time; what is published meanwhile is left out. what names the read in
// errors ("matches of g-1").
func (a *App) readOrdered(ctx context.Context, stream string, cfg jetstream.OrderedConsumerConfig, batch int, what string, fn func(jetstream.Msg)) error {
	cons, err := a.js.OrderedConsumer(ctx, stream, cfg)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	info, err := cons.Info(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	for read := uint64(0); read < info.NumPending; {
		b, err := cons.Fetch(batch, jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		n := 0
		for msg := range b.Messages() {
			n++
			fn(msg)
		}
		if err := b.Error(); err != nil && !errors.Is(err, jetstream.ErrNoMessages) {
			return fmt.Errorf("%s: %w", what, err)
		}
		if n == 0 {
			break
		}
		read += uint64(n)
	}
	return nil
}
