package demo

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Summary is what a demo run did. It is written as JSON by --summary.
type Summary struct {
	Source        string `json:"source"`
	Broker        string `json:"broker"`
	PolicyVersion string `json:"policy_version"`
	// EventsIn counts the records published to the input topics, generated
	// history included.
	EventsIn int `json:"events_in"`
	// SyntheticHistory is the --synthetic-history setting: generated logins
	// per user before the file's rows; 0 when off.
	SyntheticHistory int `json:"synthetic_history"`
	// DeadLetters counts inputs written to the dead-letter topic.
	DeadLetters int `json:"dead_letters"`
	// Decisions counts decided signups and actions per risk level.
	Decisions map[string]int `json:"decisions"`
	// Outcomes counts decisions per outcome: allow, challenge, deny.
	Outcomes map[string]int `json:"outcomes"`
	// Challenges counts StepUpRequired events per challenge asked for.
	Challenges map[string]int `json:"challenges"`
	// Signals counts how many decisions each signal fired in.
	Signals map[string]int `json:"signals"`
	// StepUpRequired counts distinct StepUpRequired events written.
	StepUpRequired int `json:"stepup_required"`
	// ChallengeResults counts audited challenge outcomes per outcome.
	ChallengeResults map[string]int `json:"challenge_results"`
	// DeadLetterReasons counts dead letters per reason code.
	DeadLetterReasons map[string]int `json:"dead_letter_reasons"`
	// AuditRecords counts distinct audit records written.
	AuditRecords int `json:"audit_records"`
	// ProjectedRows counts the audit records of this run found in Postgres;
	// null when no database is configured.
	ProjectedRows *int `json:"projected_rows"`
	// Labelled holds ground-truth figures when the input carries labels.
	Labelled       *Labelled `json:"labelled,omitempty"`
	ElapsedSeconds float64   `json:"elapsed_seconds"`
}

// Labelled compares decisions with a dataset's labels. Each login counts in
// one group: generated, else account takeover, else attack IP, else other.
type Labelled struct {
	ATOLogins          int `json:"ato_logins"`
	ATOSteppedUp       int `json:"ato_stepped_up"`
	AttackIPLogins     int `json:"attack_ip_logins"`
	AttackIPSteppedUp  int `json:"attack_ip_stepped_up"`
	OtherLogins        int `json:"other_logins"`
	OtherSteppedUp     int `json:"other_stepped_up"`
	GeneratedLogins    int `json:"generated_logins"`
	GeneratedSteppedUp int `json:"generated_stepped_up"`
}

// Print writes the summary for a person to read.
func (s *Summary) Print(w io.Writer) {
	fmt.Fprintf(w, "\nstepup demo: %s on %s broker, policy %s\n", s.Source, s.Broker,
		s.PolicyVersion)
	fmt.Fprintf(w, "  events in           %d\n", s.EventsIn)
	fmt.Fprintf(w, "  decided             %d  %s\n", sum(s.Decisions), counts(s.Decisions))
	fmt.Fprintf(w, "  outcomes            %s\n", counts(s.Outcomes))
	fmt.Fprintf(w, "  step-ups required   %d  %s\n", s.StepUpRequired, counts(s.Challenges))
	fmt.Fprintf(w, "  challenge results   %d  %s\n", sum(s.ChallengeResults),
		counts(s.ChallengeResults))
	fmt.Fprintf(w, "  signals fired       %s\n", counts(s.Signals))
	fmt.Fprintf(w, "  dead letters        %d  %s\n", s.DeadLetters, counts(s.DeadLetterReasons))
	fmt.Fprintf(w, "  audit records       %d\n", s.AuditRecords)
	if s.ProjectedRows != nil {
		fmt.Fprintf(w, "  projected rows      %d\n", *s.ProjectedRows)
	} else {
		fmt.Fprintf(w, "  projected rows      off (no DATABASE_URL)\n")
	}
	if l := s.Labelled; l != nil {
		fmt.Fprintf(w, "  account takeovers   %d stepped up of %d\n", l.ATOSteppedUp, l.ATOLogins)
		fmt.Fprintf(w, "  attack-IP logins    %d stepped up of %d\n", l.AttackIPSteppedUp,
			l.AttackIPLogins)
		fmt.Fprintf(w, "  other logins        %d stepped up of %d\n", l.OtherSteppedUp,
			l.OtherLogins)
		if l.GeneratedLogins > 0 {
			fmt.Fprintf(w, "  generated history   %d stepped up of %d (not in the file)\n",
				l.GeneratedSteppedUp, l.GeneratedLogins)
		}
	}
	fmt.Fprintf(w, "  elapsed             %.2fs\n", s.ElapsedSeconds)
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func counts(m map[string]int) string {
	if len(m) == 0 {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
	}
	return "(" + strings.Join(parts, " ") + ")"
}
