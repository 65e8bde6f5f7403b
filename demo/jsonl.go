package demo

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/stepupauth/stepup/schemas"
)

// ReadJSONL reads JSON Lines of stepup's own events and calls fn with one
// record per non-blank line. Lines are published as they are, malformed ones
// included, so that the processor decides or dead-letters each. The topic
// follows the line's "type" (signups, challenge results, else actions) and the
// key its "user_id", when the line is readable enough to tell. Signups are
// published first, then actions, then challenge results, so that each is
// decided after what it depends on.
func ReadJSONL(r io.Reader, fn func(Record) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	line := 0
	for {
		raw, err := br.ReadBytes('\n')
		if len(raw) > 0 {
			line++
			if rec, ok := jsonlRecord(raw, line); ok {
				if err := fn(rec); err != nil {
					return err
				}
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("line %d: %w", line+1, err)
		}
	}
}

func jsonlRecord(raw []byte, line int) (Record, bool) {
	value := bytes.TrimRight(raw, "\r\n")
	if len(bytes.TrimSpace(value)) == 0 {
		return Record{}, false
	}
	rec := Record{Kind: KindAction, Value: bytes.Clone(value), Line: line, Phase: 1}

	var head struct {
		ID     any `json:"id"`
		Type   any `json:"type"`
		UserID any `json:"user_id"`
	}
	if json.Unmarshal(value, &head) != nil {
		return rec, true
	}
	typ, _ := head.Type.(string)
	id, _ := head.ID.(string)
	rec.Key, _ = head.UserID.(string)
	rec.EventID = id
	switch typ {
	case schemas.TypeSignup:
		rec.Kind, rec.Phase = KindSignup, 0
	case schemas.TypeChallengeResult:
		rec.Kind, rec.Phase = KindResult, 2
	}
	if typ != "" && id != "" {
		rec.Headers = productHeaders(id, typ)
	}
	return rec, true
}
