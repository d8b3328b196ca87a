// Package bus owns Passerelle's NATS layout: subject, stream and KV names,
// their setup, the embedded server and connection options.
package bus

import (
	"strings"
	"time"
)

// Streams, subjects and KV buckets (DESIGN.md "NATS layout").
const (
	StreamOffers = "OFFERS"
	// StreamProfilesOld is the PROFILES stream of profile events that
	// earlier versions used; Setup deletes it (profiles are watched in the
	// KV bucket now).
	StreamProfilesOld = "PROFILES"
	StreamMatches     = "MATCHES"
	StreamCrawl       = "CRAWL"
	StreamDead        = "DEAD"
	// StreamOutbox is the notifier's own work queue: mails asked for by
	// the web (a graduate's link) and digest runs (one per scheduled tick,
	// whichever notifier process takes it).
	StreamOutbox = "OUTBOX"

	SubjectOfferNew     = "offers.new"
	SubjectOfferUpdated = "offers.updated"
	SubjectOfferClosed  = "offers.closed"

	// SubjectMatchPrefix + profile id is where a match is published.
	SubjectMatchPrefix = "matches."
	SubjectMatchesAll  = "matches.>"

	SubjectCrawlRunPrefix = "crawl.run."

	// SubjectOutboxLink carries a graduate's request for their profile
	// link; SubjectOutboxDigestPrefix + frequency a digest run.
	SubjectOutboxLink         = "outbox.link"
	SubjectOutboxDigestPrefix = "outbox.digest."

	// SubjectDeadPrefix + consumer name is where a message its consumer
	// could never handle is kept (see DeadLetter).
	SubjectDeadPrefix = "dead."
	// SubjectMaxDeliveries is JetStream's advisory that a consumer gave up
	// on a message after its MaxDeliver attempts; the DEAD stream keeps
	// them too (the message itself stays in its stream at stream_seq).
	SubjectMaxDeliveries = "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.>"

	// KVProfiles is the source of truth for profiles: KeyToken(id) ->
	// Profile JSON. KVProfileEmails maps a hash of each address to its
	// profile id.
	KVProfiles      = "profiles"
	KVProfileEmails = "profile_emails"
	// KVAlertsPending is the digest queue (notifier).
	KVAlertsPending = "alerts_pending"

	KVAlertsSent        = "alerts_sent"
	KVCrawlState        = "crawl_state"
	KVOfferFingerprints = "offer_fingerprints"
	KVUnsubscribed      = "unsubscribed"
	// KVFeedback holds graduates' answers about offers ("not interested"),
	// keyed <profile token>.<offer token>.
	KVFeedback = "feedback"
	// KVOfficers holds placement officers added at run time: SHA-256 of
	// their token -> name.
	KVOfficers = "officers"
	// KVRecruiters holds recruiters added at run time: SHA-256 of their
	// token -> company name.
	KVRecruiters = "recruiters"
	KVSources    = "sources" // runtime source decisions: who enabled or added a source, and when

	// DuplicateWindow is the JetStream de-duplication window of OFFERS and MATCHES.
	DuplicateWindow = 2 * time.Hour
)

// MatchSubject is the subject a match for profileID is published on.
func MatchSubject(profileID string) string { return SubjectMatchPrefix + profileID }

// MatchMsgID is the Nats-Msg-Id of a match: "<offer id>.<profile id>".
func MatchMsgID(offerID, profileID string) string { return offerID + "." + profileID }

// KeyToken escapes s into one NATS KV key token: letters, digits, '-' and
// '_' are kept, every other byte (including '.', '=' and '/') becomes "=XX".
// The mapping is injective, so two ids never share a key.
func KeyToken(s string) string {
	if s == "" {
		return "="
	}
	const hexdig = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
			b.WriteByte(c)
		default:
			b.WriteByte('=')
			b.WriteByte(hexdig[c>>4])
			b.WriteByte(hexdig[c&15])
		}
	}
	return b.String()
}

// UnKeyToken reverses KeyToken (ok is false for a string KeyToken cannot
// have made).
func UnKeyToken(k string) (string, bool) {
	if k == "=" {
		return "", true
	}
	var b strings.Builder
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c != '=' {
			b.WriteByte(c)
			continue
		}
		if i+2 >= len(k) {
			return "", false
		}
		var v byte
		for _, h := range []byte{k[i+1], k[i+2]} {
			switch {
			case h >= '0' && h <= '9':
				v = v<<4 | (h - '0')
			case h >= 'A' && h <= 'F':
				v = v<<4 | (h - 'A' + 10)
			default:
				return "", false
			}
		}
		b.WriteByte(v)
		i += 2
	}
	return b.String(), true
}

// KVVisits holds when each graduate last opened "my matches" (<profile
// token> -> {previous, last}), for "new since my last visit"; erased with
// the graduate.
const KVVisits = "visits"
