package bus

import (
	"context"
	"errors"

	"github.com/nats-io/nats.go/jetstream"
)

// IsWrongRevision reports a revision-checked KV write (Update, or Create
// over a deleted key) that lost a race with another writer: the server's
// "wrong last sequence". nats.go documents two codes for it,
// JSErrCodeStreamWrongLastSequence and, for CAS conflicts on replicated
// streams, JSErrCodeStreamWrongLastSequenceConstant; nats-server 2.15.2
// answers the first on R1 and R3 alike (TestIsWrongRevision logs it), and
// both are accepted so that a server that answers the second is not taken
// for a failure. One helper for every revision-checked write.
func IsWrongRevision(err error) bool {
	var apiErr *jetstream.APIError
	return errors.As(err, &apiErr) && (apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence ||
		apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequenceConstant)
}

// HasKey reports whether key holds a value in kv (a deleted or purged key
// holds none).
func HasKey(ctx context.Context, kv jetstream.KeyValue, key string) (bool, error) {
	_, err := kv.Get(ctx, key)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, jetstream.ErrKeyNotFound):
		return false, nil
	}
	return false, err
}
