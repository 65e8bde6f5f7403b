package projection_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/stepupauth/stepup/projection"
	"github.com/stepupauth/stepup/schemas"
)

// poison lists values that are not storable audit records, with the error
// each must be refused with.
func poison(t testing.TB) []struct {
	name    string
	value   []byte
	headers []kafka.Header
	want    error
} {
	rec := record("poison", 1)
	signup, err := json.Marshal(schemas.Signup{Meta: schemas.Meta{
		ID: "signup-1", Type: schemas.TypeSignup, UserID: "user-1", Time: time.Now().UTC(),
	}})
	if err != nil {
		t.Fatal(err)
	}
	nul := *rec
	nul.PolicyVersion = "v\x001"
	return []struct {
		name    string
		value   []byte
		headers []kafka.Header
		want    error
	}{
		{"not JSON", []byte("not json"), nil, schemas.ErrMalformed},
		{"invalid UTF-8", []byte("{\"id\":\"\xff\"}"), nil, schemas.ErrMalformed},
		{"schema violation", []byte(`{"type":"stepup.audit_record.v1","id":"x"}`), nil,
			schemas.ErrSchema},
		{"other event type", signup, nil, projection.ErrNotAuditRecord},
		{"ce_id contradicts data", encode(t, rec),
			[]kafka.Header{{Key: schemas.HeaderID, Value: []byte("other-id")}},
			schemas.ErrHeaderMismatch},
		{"NUL in a string", encode(t, &nul), nil, projection.ErrUnstorable},
	}
}

func TestDecodeMessageRefusesPoison(t *testing.T) {
	t.Parallel()
	for _, tt := range poison(t) {
		t.Run(tt.name, func(t *testing.T) {
			_, err := projection.DecodeMessage(kafka.Message{Value: tt.value, Headers: tt.headers})
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			if !schemas.IsPermanent(err) {
				t.Errorf("error %v is not permanent", err)
			}
		})
	}
}

func TestDecodeMessageBuildsRow(t *testing.T) {
	t.Parallel()
	rec := record("decode", 0)
	raw := encode(t, rec)
	msg := kafka.Message{
		Topic: "audit", Partition: 2, Offset: 41, Key: []byte(rec.UserID), Value: raw,
		Headers: []kafka.Header{
			{Key: schemas.HeaderID, Value: []byte(rec.ID)},
			{Key: schemas.HeaderType, Value: []byte(schemas.TypeAuditRecord)},
		},
	}
	got, err := projection.DecodeMessage(msg)
	if err != nil {
		t.Fatalf("DecodeMessage: %v", err)
	}
	want, err := projection.NewRow(rec, raw, "audit", 2, 41)
	if err != nil {
		t.Fatalf("NewRow: %v", err)
	}
	if !sameRow(got, want) {
		t.Errorf("row differs\n got %+v\nwant %+v", got, want)
	}
	if got.Score == nil || *got.Score != *rec.Score || got.Level != "high" {
		t.Errorf("score and level not carried: %+v", got)
	}
}
