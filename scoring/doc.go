// Package scoring turns what is known about an event and its user into an
// explainable risk score: a number in [0, 1], a level, and the reasons that
// made it, each with its contribution and the value that triggered it.
//
// The package is pure: it reads a Profile and an Observation and returns a
// Result. It knows nothing of Kafka, Postgres or the escalation policy, and
// it never changes the profile; callers call Profile.Learn once the decision
// is final.
package scoring
