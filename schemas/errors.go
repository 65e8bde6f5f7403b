package schemas

import (
	"errors"
	"fmt"
)

// Conditions under which an input is refused. Each is permanent: delivering
// the same bytes again gives the same error, so callers send the input to the
// dead-letter topic rather than retry it.
var (
	ErrMalformed      = errors.New("malformed JSON")
	ErrUnknownType    = errors.New("unknown event type")
	ErrSchema         = errors.New("schema violation")
	ErrMissingKey     = errors.New("missing record key")
	ErrKeyMismatch    = errors.New("record key differs from user_id")
	ErrHeaderMismatch = errors.New("header contradicts event")
)

// Reason codes written into dead letters, one per sentinel above.
const (
	ReasonMalformedJSON    = "malformed_json"
	ReasonUnknownType      = "unknown_type"
	ReasonSchemaViolation  = "schema_violation"
	ReasonMissingKey       = "missing_key"
	ReasonKeyMismatch      = "key_mismatch"
	ReasonHeaderMismatch   = "header_mismatch"
	ReasonProcessingFailed = "processing_failed"
)

// ReasonCode maps an error to the reason code a dead letter carries.
// Errors that are none of this package's sentinels map to
// ReasonProcessingFailed.
func ReasonCode(err error) string {
	switch {
	case errors.Is(err, ErrMalformed):
		return ReasonMalformedJSON
	case errors.Is(err, ErrUnknownType):
		return ReasonUnknownType
	case errors.Is(err, ErrSchema):
		return ReasonSchemaViolation
	case errors.Is(err, ErrMissingKey):
		return ReasonMissingKey
	case errors.Is(err, ErrKeyMismatch):
		return ReasonKeyMismatch
	case errors.Is(err, ErrHeaderMismatch):
		return ReasonHeaderMismatch
	default:
		return ReasonProcessingFailed
	}
}

// IsPermanent reports whether err is one of the refusals above, which no retry
// can cure.
func IsPermanent(err error) bool {
	return ReasonCode(err) != ReasonProcessingFailed
}

func wrap(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: %s", sentinel, fmt.Sprintf(format, args...))
}
