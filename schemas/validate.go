package schemas

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

//go:embed json/*.schema.json
var files embed.FS

const idBase = "https://schemas.stepup.dev/"

// typeFiles maps each event type to its schema file under json/.
var typeFiles = map[string]string{
	TypeSignup:          "signup.v1.schema.json",
	TypeUserAction:      "user_action.v1.schema.json",
	TypeChallengeResult: "challenge_result.v1.schema.json",
	TypeStepUpRequired:  "step_up_required.v1.schema.json",
	TypeAuditRecord:     "audit_record.v1.schema.json",
	TypeDeadLetter:      "dead_letter.v1.schema.json",
}

var printer = message.NewPrinter(language.English)

var (
	compileOnce sync.Once
	compiled    map[string]*jsonschema.Schema
	compileErr  error
)

// FS returns the JSON Schema documents, one file per event type plus
// common.schema.json, for tools that want to publish or lint them.
func FS() fs.FS {
	sub, err := fs.Sub(files, "json")
	if err != nil {
		panic(err) // the embedded folder is fixed at build time
	}
	return sub
}

// Types lists the event types that have a schema.
func Types() []string {
	out := make([]string, 0, len(typeFiles))
	for t := range typeFiles {
		out = append(out, t)
	}
	return out
}

func schemas() (map[string]*jsonschema.Schema, error) {
	compileOnce.Do(func() {
		compiled, compileErr = compileAll()
	})
	return compiled, compileErr
}

func compileAll() (map[string]*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	c.AssertContent()

	entries, err := fs.ReadDir(files, "json")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		raw, err := files.ReadFile(path.Join("json", e.Name()))
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("cannot parse schema %s: %w", e.Name(), err)
		}
		if err := c.AddResource(idBase+e.Name(), doc); err != nil {
			return nil, fmt.Errorf("cannot add schema %s: %w", e.Name(), err)
		}
	}

	out := make(map[string]*jsonschema.Schema, len(typeFiles))
	for typ, file := range typeFiles {
		s, err := c.Compile(idBase + file)
		if err != nil {
			return nil, fmt.Errorf("cannot compile schema %s: %w", file, err)
		}
		out[typ] = s
	}
	return out, nil
}

// Validate checks data against the schema that its "type" field names. The
// error wraps ErrMalformed, ErrUnknownType or ErrSchema.
func Validate(data []byte) (eventType string, err error) {
	all, err := schemas()
	if err != nil {
		return "", err
	}

	if !utf8.Valid(data) {
		// JSON is UTF-8; decoding would silently replace the bad bytes.
		return "", wrap(ErrMalformed, "not valid UTF-8")
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return "", wrap(ErrMalformed, "%s", shortJSONError(err))
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return "", wrap(ErrSchema, "event is not a JSON object")
	}
	eventType, ok = obj["type"].(string)
	if !ok {
		return "", wrap(ErrSchema, "field \"type\" is missing or not a string")
	}
	s, ok := all[eventType]
	if !ok {
		return eventType, wrap(ErrUnknownType, "%s", safeName(eventType))
	}
	if err := s.Validate(doc); err != nil {
		return eventType, wrap(ErrSchema, "%s", describe(err))
	}
	return eventType, nil
}

// Decode validates data and returns the matching Go value: *Signup,
// *UserAction, *ChallengeResult, *StepUpRequired, *AuditRecord or *DeadLetter.
func Decode(data []byte) (Event, error) {
	eventType, err := Validate(data)
	if err != nil {
		return nil, err
	}

	var ev Event
	switch eventType {
	case TypeSignup:
		ev = &Signup{}
	case TypeUserAction:
		ev = &UserAction{}
	case TypeChallengeResult:
		ev = &ChallengeResult{}
	case TypeStepUpRequired:
		ev = &StepUpRequired{}
	case TypeAuditRecord:
		ev = &AuditRecord{}
	case TypeDeadLetter:
		ev = &DeadLetter{}
	default:
		return nil, wrap(ErrUnknownType, "%q", eventType)
	}
	if err := json.Unmarshal(data, ev); err != nil {
		// The schema admitted what the Go type cannot hold. The decoder's
		// message quotes the value, so only the field is kept.
		return nil, wrap(ErrSchema, "%s", goTypeError(err))
	}
	return ev, nil
}

// describe turns a validation error into one line that names the failing
// fields, without echoing their values (which may be personal data).
func describe(err error) string {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err.Error()
	}
	var parts []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			loc := "/" + strings.Join(e.InstanceLocation, "/")
			parts = append(parts, fmt.Sprintf("at %s: %s", loc, kindOf(e)))
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	if len(parts) > 5 {
		parts = append(parts[:5], fmt.Sprintf("and %d more", len(parts)-5))
	}
	return strings.Join(parts, "; ")
}

// kindOf names the failed keyword. The library's message can quote the value;
// only the keyword and its expectation are kept.
func kindOf(e *jsonschema.ValidationError) string {
	kw := e.ErrorKind.KeywordPath()
	msg := e.ErrorKind.LocalizedString(printer)
	switch {
	case len(kw) > 0 && (kw[len(kw)-1] == "const" || kw[len(kw)-1] == "enum" ||
		kw[len(kw)-1] == "pattern" || kw[len(kw)-1] == "format"):
		return "value fails " + kw[len(kw)-1]
	default:
		return clip(msg, 120)
	}
}

// safeName returns s when it looks like an event type name, and a neutral
// description otherwise, so that a reason never carries what a producer put
// in the wrong field (an email, say).
func safeName(s string) string {
	if len(s) <= 64 && typeName.MatchString(s) {
		return strconv.Quote(s)
	}
	return "(not a type name)"
}

var typeName = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)+$`)

func goTypeError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return fmt.Sprintf("at /%s: value does not fit %s", strings.ReplaceAll(te.Field, ".", "/"),
			te.Type)
	}
	return "a value does not fit its type"
}

func shortJSONError(err error) string {
	return clip(err.Error(), 160)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
