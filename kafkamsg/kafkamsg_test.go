package kafkamsg_test

import (
	"errors"
	"maps"
	"reflect"
	"testing"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/segmentio/kafka-go"

	"github.com/stepupauth/stepup/kafkamsg"
)

func TestMarshal(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name     string
		uuid     string
		metadata message.Metadata
		wantKey  []byte
		wantHdrs []kafka.Header
	}{
		{
			name:     "uuid becomes ce_id",
			uuid:     "id-1",
			wantHdrs: []kafka.Header{{Key: "ce_id", Value: []byte("id-1")}},
		},
		{
			name:     "key comes from kafka_key and is not a header",
			uuid:     "id-2",
			metadata: message.Metadata{"kafka_key": "user-7"},
			wantKey:  []byte("user-7"),
			wantHdrs: []kafka.Header{{Key: "ce_id", Value: []byte("id-2")}},
		},
		{
			name:     "empty key means no key",
			uuid:     "id-3",
			metadata: message.Metadata{"kafka_key": ""},
			wantHdrs: []kafka.Header{{Key: "ce_id", Value: []byte("id-3")}},
		},
		{
			name:     "ce_id in metadata wins over the uuid",
			uuid:     "id-4",
			metadata: message.Metadata{"ce_id": "event-4"},
			wantHdrs: []kafka.Header{{Key: "ce_id", Value: []byte("event-4")}},
		},
		{
			name: "other metadata become sorted headers, kafka_ entries are dropped",
			uuid: "id-5",
			metadata: message.Metadata{
				"ce_type": "login", "b": "2", "a": "1",
				"kafka_topic": "t", "kafka_offset": "9", "kafka_partition": "1",
			},
			wantHdrs: []kafka.Header{
				{Key: "a", Value: []byte("1")},
				{Key: "b", Value: []byte("2")},
				{Key: "ce_id", Value: []byte("id-5")},
				{Key: "ce_type", Value: []byte("login")},
			},
		},
		{
			name:     "no uuid and no ce_id means no ce_id header",
			wantHdrs: []kafka.Header{},
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			msg := message.NewMessage(tt.uuid, []byte("payload"))
			maps.Copy(msg.Metadata, tt.metadata)

			got, err := kafkamsg.Marshal("topic-a", msg)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			if got.Topic != "topic-a" || string(got.Value) != "payload" {
				t.Errorf("topic %q value %q, want topic-a payload", got.Topic, got.Value)
			}
			if !reflect.DeepEqual(got.Key, tt.wantKey) {
				t.Errorf("key %q, want %q", got.Key, tt.wantKey)
			}
			if !reflect.DeepEqual(got.Headers, tt.wantHdrs) {
				t.Errorf("headers %v, want %v", got.Headers, tt.wantHdrs)
			}
		})
	}
}

func TestMarshalNil(t *testing.T) {
	t.Parallel()

	if _, err := kafkamsg.Marshal("t", nil); !errors.Is(err, kafkamsg.ErrNilMessage) {
		t.Fatalf("err %v, want ErrNilMessage", err)
	}
}

func TestUnmarshal(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name     string
		record   kafka.Message
		wantUUID string
		wantMeta message.Metadata
	}{
		{
			name: "ce_id becomes the uuid, headers become metadata",
			record: kafka.Message{
				Topic: "t", Partition: 2, Offset: 41, Key: []byte("user-1"),
				Headers: []kafka.Header{
					{Key: "ce_id", Value: []byte("ev-1")},
					{Key: "ce_type", Value: []byte("login")},
				},
			},
			wantUUID: "ev-1",
			wantMeta: message.Metadata{
				"ce_id": "ev-1", "ce_type": "login", "kafka_key": "user-1",
				"kafka_topic": "t", "kafka_partition": "2", "kafka_offset": "41",
			},
		},
		{
			name:     "without ce_id the uuid is topic/partition/offset",
			record:   kafka.Message{Topic: "t", Partition: 0, Offset: 7},
			wantUUID: "t/0/7",
			wantMeta: message.Metadata{
				"kafka_topic": "t", "kafka_partition": "0", "kafka_offset": "7",
			},
		},
		{
			name: "receive-side entries override forged headers",
			record: kafka.Message{
				Topic: "t", Partition: 1, Offset: 3,
				Headers: []kafka.Header{{Key: "kafka_offset", Value: []byte("999")}},
			},
			wantUUID: "t/1/3",
			wantMeta: message.Metadata{
				"kafka_topic": "t", "kafka_partition": "1", "kafka_offset": "3",
			},
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			got, err := kafkamsg.Unmarshal(tt.record)
			if err != nil {
				t.Fatalf("Unmarshal: %v", err)
			}
			if got.UUID != tt.wantUUID {
				t.Errorf("uuid %q, want %q", got.UUID, tt.wantUUID)
			}
			if !maps.Equal(got.Metadata, tt.wantMeta) {
				t.Errorf("metadata %v, want %v", got.Metadata, tt.wantMeta)
			}
		})
	}
}

// TestRoundTrip checks that what Marshal writes, Unmarshal reads back as the
// same message, with the receive-side entries added.
func TestRoundTrip(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name     string
		metadata message.Metadata
	}{
		{name: "no metadata"},
		{name: "key and headers", metadata: message.Metadata{
			"kafka_key":    "user-9",
			"ce_type":      "step_up.required",
			"content-type": "application/json",
		}},
		{name: "ce_id differs from uuid", metadata: message.Metadata{"ce_id": "ev-77"}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			sent := message.NewMessage("uuid-1", []byte(`{"a":1}`))
			maps.Copy(sent.Metadata, tt.metadata)

			record, err := kafkamsg.Marshal("events", sent)
			if err != nil {
				t.Fatal(err)
			}
			record.Partition, record.Offset = 3, 12 // as the broker assigns them

			got, err := kafkamsg.Unmarshal(record)
			if err != nil {
				t.Fatal(err)
			}

			want := maps.Clone(sent.Metadata)
			if _, ok := want["ce_id"]; !ok {
				want["ce_id"] = sent.UUID
			}
			want["kafka_topic"], want["kafka_partition"], want["kafka_offset"] = "events", "3", "12"

			if got.UUID != want["ce_id"] {
				t.Errorf("uuid %q, want %q", got.UUID, want["ce_id"])
			}
			if string(got.Payload) != string(sent.Payload) {
				t.Errorf("payload %q, want %q", got.Payload, sent.Payload)
			}
			if !maps.Equal(got.Metadata, want) {
				t.Errorf("metadata %v, want %v", got.Metadata, want)
			}
		})
	}
}

// A header that poses as the record key must not become the key: a record
// without a key would otherwise pass for a keyed one.
func TestUnmarshalDropsForgedReservedHeaders(t *testing.T) {
	t.Parallel()
	msg, err := kafkamsg.Unmarshal(kafka.Message{Topic: "t", Partition: 1, Offset: 7,
		Value: []byte("v"), Headers: []kafka.Header{
			{Key: kafkamsg.MetadataKey, Value: []byte("victim")},
			{Key: kafkamsg.MetadataOffset, Value: []byte("999")},
		}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := msg.Metadata[kafkamsg.MetadataKey]; ok {
		t.Fatalf("forged key header became the key: %v", msg.Metadata)
	}
	if msg.Metadata.Get(kafkamsg.MetadataOffset) != "7" {
		t.Fatalf("forged offset header won: %v", msg.Metadata)
	}
}
