package web

import (
	"context"
	"time"
)

// VisitRecorder records a graduate's opening of "my matches" and says
// since when matches are new to them (zero: everything is new).
type VisitRecorder interface {
	MatchesVisit(ctx context.Context, profileID string, now time.Time) (since time.Time, err error)
}

// tokenProfileID is the profile id of a graduate's token already checked
// by openProfile ("" if it does not verify).
func (s *Server) tokenProfileID(tok string) string {
	if s.deps.ProfileTokens == nil {
		return ""
	}
	id, _ := s.deps.ProfileTokens.Verify(tok)
	return id
}

// matchesSince records this visit of the graduate and returns since when
// their matches count as new; ok is false when it is not known (no
// recorder, or it failed: then nothing is marked).
func (s *Server) matchesSince(ctx context.Context, profileID string) (since time.Time, ok bool) {
	vr, isVR := s.deps.Matches.(VisitRecorder)
	if !isVR || profileID == "" {
		return time.Time{}, false
	}
	since, err := vr.MatchesVisit(ctx, profileID, s.now())
	if err != nil {
		s.cfg.Logger.Warn("record visit", "profile_id", profileID, "err", err)
		return since, !since.IsZero()
	}
	return since, true
}
