// Package bus owns Passerelle's NATS layout: subject, stream and KV names,
// their setup, the embedded server and connection options.
package bus

import "time"

// Streams, subjects and KV buckets (DESIGN.md "NATS layout").
const (
	StreamOffers   = "OFFERS"
	StreamProfiles = "PROFILES"
	StreamMatches  = "MATCHES"
	StreamCrawl    = "CRAWL"
	StreamDead     = "DEAD"

	SubjectOfferNew     = "offers.new"
	SubjectOfferUpdated = "offers.updated"
	SubjectOfferClosed  = "offers.closed"

	SubjectProfileChanged = "profiles.changed"
	SubjectProfileDeleted = "profiles.deleted"

	// SubjectMatchPrefix + profile id is where a match is published.
	SubjectMatchPrefix = "matches."
	SubjectMatchesAll  = "matches.>"

	SubjectCrawlRunPrefix = "crawl.run."

	// SubjectDeadPrefix + consumer name is where a message its consumer
	// could never handle is kept (see DeadLetter).
	SubjectDeadPrefix = "dead."
	// SubjectMaxDeliveries is JetStream's advisory that a consumer gave up
	// on a message after its MaxDeliver attempts; the DEAD stream keeps
	// them too (the message itself stays in its stream at stream_seq).
	SubjectMaxDeliveries = "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.>"

	KVAlertsSent        = "alerts_sent"
	KVCrawlState        = "crawl_state"
	KVOfferFingerprints = "offer_fingerprints"
	KVUnsubscribed      = "unsubscribed"
	KVSources           = "sources" // runtime source decisions: who enabled or added a source, and when

	// DuplicateWindow is the JetStream de-duplication window of OFFERS and MATCHES.
	DuplicateWindow = 2 * time.Hour
)

// MatchSubject is the subject a match for profileID is published on.
func MatchSubject(profileID string) string { return SubjectMatchPrefix + profileID }

// MatchMsgID is the Nats-Msg-Id of a match: "<offer id>.<profile id>".
func MatchMsgID(offerID, profileID string) string { return offerID + "." + profileID }
