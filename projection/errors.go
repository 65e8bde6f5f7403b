package projection

import "errors"

// Errors a Projector passes to Config.DeadLetter, besides the schemas package
// errors (schemas.ErrMalformed, schemas.ErrSchema, ...) that decoding
// returns. Like those, each is permanent: the same bytes are refused again.
var (
	// ErrNotAuditRecord means a valid event of another type was read from
	// the audit topic. It also wraps schemas.ErrUnknownType, so
	// schemas.ReasonCode maps it to schemas.ReasonUnknownType.
	ErrNotAuditRecord = errors.New("not an audit record")

	// ErrUnstorable means an audit record holds a value that Postgres
	// cannot store, such as a NUL character in a string. It also wraps
	// schemas.ErrSchema.
	ErrUnstorable = errors.New("audit record cannot be stored")
)

// ErrConfig is wrapped by the errors New returns for an invalid Config.
var ErrConfig = errors.New("invalid projector config")
