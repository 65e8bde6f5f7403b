// Package processor decides what each signup and user action demands and
// records why. It is the heart of stepupd: watermill handlers that read the
// input topics, score each event with the scoring package, map it onto the
// escalation ladder, write StepUpRequired events and audit records, and audit
// the outcomes of challenges.
//
// Delivery is at least once. A handler returns only after every output it
// produced was acknowledged by the broker, so the input's offset is committed
// after its outputs exist. Output ids derive from the input event id, so a
// redelivered input produces the same outputs again, which the projection and
// downstream consumers can discard. A user's state changes only once the
// outputs are written, so a retried input is decided the same way.
//
// Input that can never be processed (malformed JSON, an unknown type, a schema
// violation, a missing or wrong key, a panic) is written whole to the
// dead-letter topic with its reason and the partition moves on.
package processor
