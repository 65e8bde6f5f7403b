package processor

import (
	"encoding/json"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"

	"github.com/stepupauth/stepup/kafkamsg"
	"github.com/stepupauth/stepup/schemas"
)

// message builds the Kafka message for an output event: keyed by user id,
// with CloudEvents binary-mode headers and the input's correlation id.
func (p *Processor) message(in *message.Message, ev schemas.Event) *message.Message {
	payload, err := json.Marshal(ev)
	if err != nil {
		// Every output is a plain struct of strings, numbers and times.
		panic("processor: cannot encode output: " + err.Error())
	}
	meta := ev.EventMeta()
	out := message.NewMessage(meta.ID, payload)
	for k, v := range schemas.CloudEventHeaders(ev, p.cfg.Source) {
		out.Metadata.Set(k, v)
	}
	if meta.UserID != "" {
		out.Metadata.Set(kafkamsg.MetadataKey, meta.UserID)
	}
	if in != nil {
		corr := middleware.MessageCorrelationID(in)
		if corr == "" {
			corr = in.UUID
		}
		middleware.SetCorrelationID(corr, out)
	}
	return out
}
