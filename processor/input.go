package processor

import (
	"fmt"
	"strconv"

	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/stepupauth/stepup/kafkamsg"
	"github.com/stepupauth/stepup/schemas"
)

// metaReasonCode carries the dead-letter reason code from a handler to the
// dead-letter publisher on the message itself.
const metaReasonCode = "stepup_reason_code"

// origin says where an input record was read.
type origin struct {
	key       string
	topic     string
	partition int
	offset    int64
}

func originOf(msg *message.Message) origin {
	o := origin{
		key:   msg.Metadata.Get(kafkamsg.MetadataKey),
		topic: msg.Metadata.Get(kafkamsg.MetadataTopic),
	}
	o.partition, _ = strconv.Atoi(msg.Metadata.Get(kafkamsg.MetadataPartition))
	o.offset, _ = strconv.ParseInt(msg.Metadata.Get(kafkamsg.MetadataOffset), 10, 64)
	return o
}

// decode checks an input record and returns its event, which must be of type
// want. Every error it returns is permanent: the record goes to the
// dead-letter topic.
func decode(msg *message.Message, want string) (schemas.Event, origin, error) {
	o := originOf(msg)
	ev, err := schemas.Decode(msg.Payload)
	if err != nil {
		return nil, o, refuse(msg, err)
	}
	meta := ev.EventMeta()
	if meta.Type != want {
		err := fmt.Errorf("%w: %s is not accepted on topic %s", schemas.ErrUnknownType,
			meta.Type, o.topic)
		return nil, o, refuse(msg, err)
	}
	if o.key == "" {
		return nil, o, refuse(msg, fmt.Errorf("%w: events are keyed by user_id",
			schemas.ErrMissingKey))
	}
	if o.key != meta.UserID {
		return nil, o, refuse(msg, schemas.ErrKeyMismatch)
	}
	if err := schemas.CheckHeaders(ev, msg.Metadata); err != nil {
		return nil, o, refuse(msg, err)
	}
	return ev, o, nil
}

// refuse marks msg with the reason code of err for the dead-letter topic.
func refuse(msg *message.Message, err error) error {
	msg.Metadata.Set(metaReasonCode, schemas.ReasonCode(err))
	return err
}
