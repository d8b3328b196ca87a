package web

import (
	"context"
	"encoding/json"
	"net/http"
)

// FeedbackRecorder keeps graduates' answers about offers.
type FeedbackRecorder interface {
	RecordFeedback(ctx context.Context, profileID, offerID, verdict string) error
}

// feedbackPage records a 👍 / 👎 from an alert mail: one click, no login,
// the signed token names the graduate, the offer and the answer. Answering
// again replaces the answer.
func (s *Server) feedbackPage(w http.ResponseWriter, r *http.Request) {
	l := locale(r)
	if s.deps.Feedback == nil || s.deps.FeedbackTokens == nil {
		s.fail(w, r, http.StatusServiceUnavailable, "err_unavailable")
		return
	}
	pid, oid, verdict, ok := s.deps.FeedbackTokens.Verify(r.URL.Query().Get("t"))
	if !ok {
		s.render(w, http.StatusBadRequest, "error.html", pageData{L: l, Self: "/", Status: http.StatusBadRequest, Message: "err_feedback_link"})
		return
	}
	if err := s.deps.Feedback.RecordFeedback(r.Context(), pid, oid, verdict); err != nil {
		s.cfg.Logger.Error("record feedback", "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, "err_unavailable")
		return
	}
	msg := "feedback_up"
	if verdict == VerdictDown {
		msg = "feedback_down"
	}
	s.render(w, http.StatusOK, "feedback.html", pageData{L: l, Self: "/", Message: msg})
}

// feedbackExporter is what Deps.Feedback offers when it can list every
// answer.
type feedbackExporter interface {
	EachFeedbackAny(ctx context.Context, fn func(any) error) error
}

// feedbackExport streams every answer as JSON lines (officer token): the
// evaluation's feedback set. GET /api/feedback.jsonl
func (s *Server) feedbackExport(w http.ResponseWriter, r *http.Request) {
	if u, ok := s.requireWho(w, r, roleOfficer, officerTokenRequired); !ok || !allSchools(w, u) {
		return
	}
	ex, ok := s.deps.Feedback.(feedbackExporter)
	if !ok {
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "feedback is not available in this process"})
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson; charset=utf-8")
	enc := json.NewEncoder(w)
	if err := ex.EachFeedbackAny(r.Context(), func(v any) error { return enc.Encode(v) }); err != nil {
		s.cfg.Logger.Error("feedback export", "err", err)
	}
}
