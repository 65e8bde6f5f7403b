package producers

import "errors"

// Sentinel errors wrapped by Publish; test for them with errors.Is.
var (
	// ErrPublisherClosed is returned by Publish after Close.
	ErrPublisherClosed = errors.New("publisher closed")

	// ErrUnknownTopic means that the cluster has no such topic. Topics are
	// never created by publishing.
	ErrUnknownTopic = errors.New("unknown topic")
)
