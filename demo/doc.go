// Package demo plays events into a running pipeline as a product service
// would, waits until every one is decided and every audit record projected,
// and sums up what happened. Its inputs are a built-in onboarding scenario, a
// login history in the RBA dataset's CSV format, or JSON Lines of stepup's
// own events.
package demo
