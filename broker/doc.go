// Package broker holds the helpers that face the Kafka cluster itself rather
// than a message stream: creating and checking topics, a reachability check,
// a logging bridge for kafka-go, and an in-process broker for tests and demos.
//
// Every function that talks to the cluster is bounded in time: when the
// context has no deadline, [DefaultTimeout] applies, and failures come back
// wrapped around the sentinel errors of this package so that callers can
// branch with errors.Is.
//
// Metadata is always read over fresh connections, so a topic created a
// moment ago by another client is seen at once. Requests never ask the
// cluster to create topics implicitly.
package broker
