// Package schemas defines every event that stepup reads or writes: the JSON
// Schema documents (draft 2020-12) under json/, the Go types that match them,
// and the decoding that checks raw bytes against the schemas before anything
// else sees them.
//
// Every event carries an id, a versioned type such as "stepup.signup.v1", the
// user id and the time it happened. On Kafka an event is the JSON value of a
// record keyed by user id; what stepup writes follows the CloudEvents Kafka
// protocol binding in binary mode (ce_* headers, JSON data).
//
// The package sits at the bottom of the import graph: it knows nothing of
// Kafka clients, Postgres or policy.
package schemas
