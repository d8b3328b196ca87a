package app

import (
	"context"
	"time"
)

// Suppress puts an address on the suppression list (a bounce the
// operator read from the bounce mailbox): no alert goes to it until its
// owner confirms it again.
func (a *App) Suppress(ctx context.Context, email, reason string) error {
	if reason == "" {
		reason = "bounce reported by the operator"
	}
	return a.alerts.Suppressions.Suppress(ctx, email, reason, time.Now())
}

// LiftSuppression takes an address off the suppression list.
func (a *App) LiftSuppression(ctx context.Context, email string) error {
	return a.alerts.Suppressions.Clear(ctx, email)
}

// Suppressed reports whether an address is on the suppression list.
func (a *App) Suppressed(ctx context.Context, email string) (bool, error) {
	return a.alerts.Suppressions.Suppressed(ctx, email)
}
