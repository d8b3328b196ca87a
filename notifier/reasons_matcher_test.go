package notifier

import (
	"strings"
	"testing"

	"github.com/passerelle/passerelle/matcher"
)

// The matcher writes place reasons as (name, ISO code); every locale must
// render them itself instead of falling back to the English text.
func TestRenderMatcherPlaceReasons(t *testing.T) {
	id := func(s string) string { return s }
	for _, tc := range []struct {
		locale string
		r      matcher.Reason
		want   string
	}{
		{"fr", matcher.Reason{Key: matcher.ReasonOnsiteIn, Args: []string{"Oujda", "MA"}}, "Sur site à Oujda"},
		{"en", matcher.Reason{Key: matcher.ReasonHybridIn, Args: []string{"Morocco", "MA"}}, "Morocco"},
		{"fr", matcher.Reason{Key: matcher.ReasonHybridIn, Args: []string{"Morocco", "MA"}}, "Maroc"},
		{"fr", matcher.Reason{Key: matcher.ReasonRemoteOpenTo, Args: []string{"Morocco", "MA"}}, "Maroc"},
		{"ar", matcher.Reason{Key: matcher.ReasonRemoteOpenTo, Args: []string{"Morocco", "MA"}}, "المغرب"},
		{"en", matcher.Reason{Key: matcher.ReasonRemoteOpenTo, Args: []string{"Morocco"}}, "Morocco"},
	} {
		got, ok := renderReason(tc.locale, tc.r, id)
		if !ok {
			t.Errorf("%s %v: not rendered", tc.locale, tc.r)
			continue
		}
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s %v = %q, want it to contain %q", tc.locale, tc.r, got, tc.want)
		}
	}
}
