package broker

import "errors"

// Sentinel errors. Functions of this package wrap them with the details of
// the failure; test for them with errors.Is.
var (
	// ErrNoBrokers is returned when the list of broker addresses is empty.
	ErrNoBrokers = errors.New("no kafka broker addresses")

	// ErrUnreachable means that no broker of the list answered a metadata
	// request in time.
	ErrUnreachable = errors.New("kafka cluster unreachable")

	// ErrTopicNotFound means that the cluster does not know a topic.
	ErrTopicNotFound = errors.New("topic not found")

	// ErrTopicUnavailable means that a topic could not be created, or did not
	// get a leader for each partition in time.
	ErrTopicUnavailable = errors.New("topic unavailable")

	// ErrNotCopartitioned means that topics that must be read together have
	// different partition counts.
	ErrNotCopartitioned = errors.New("topics are not co-partitioned")
)
