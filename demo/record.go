package demo

// Kind says which input topic a record is published to.
type Kind int

// Input topics.
const (
	KindAction Kind = iota
	KindSignup
	KindResult
)

// Labels that a login history may carry.
const (
	LabelAccountTakeover = "account_takeover"
	LabelAttackIP        = "attack_ip"
)

// Record is one input record as a product service would publish it.
type Record struct {
	Kind Kind
	// Key is the record key, the user id; empty when the input had none.
	Key string
	// Value is published as it is, even when it is not valid JSON.
	Value   []byte
	Headers map[string]string
	// EventID is the event's id when the input has one.
	EventID string
	// Phase orders the records: those of a phase are published only after
	// every record of the earlier phases was handled, so that a challenge
	// result never overtakes the decision that opened the challenge.
	Phase int
	// Labels carries the dataset's ground truth, for the summary.
	Labels []string
	// Line is the line of the input file, for messages; 0 when generated.
	Line int
}
