package consumers

import "errors"

// ErrSubscriberClosed is returned by Subscribe and SubscribeInitialize after
// Close.
var ErrSubscriberClosed = errors.New("subscriber closed")
