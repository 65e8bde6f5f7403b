package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/stepupauth/stepup/broker"
	"github.com/stepupauth/stepup/escalation"
	"github.com/stepupauth/stepup/kafkamsg"
	"github.com/stepupauth/stepup/pipeline"
	"github.com/stepupauth/stepup/producers"
	"github.com/stepupauth/stepup/schemas"
)

// Options configures a demo run.
type Options struct {
	// Brokers of an existing cluster; when empty an in-process broker runs.
	Brokers []string
	// TopicPrefix names the run's topics. On an existing cluster choose a
	// fresh one per run, so that earlier runs' events are not decided again.
	TopicPrefix string
	Partitions  int
	// ReplicationFactor of the topics the run creates; 1 when zero.
	ReplicationFactor int
	// GroupID is the processor's consumer group.
	GroupID string
	// DatabaseURL turns the projection on.
	DatabaseURL string
	Policy      *escalation.Holder
	// Source names the input in the summary.
	Source string
	// Records is the input, in order; every record is read before the first
	// is published.
	Records []Record
	// WaitTimeout bounds each wait for the pipeline to catch up. Default 2m.
	WaitTimeout time.Duration
	Logger      *slog.Logger
	// Progress receives a line now and then while the run waits.
	Progress io.Writer
}

// ErrTimeout means the pipeline did not catch up within Options.WaitTimeout.
var ErrTimeout = errors.New("timed out waiting for the pipeline")

// Run starts a pipeline, publishes the records phase by phase as a product
// service would, waits until every record is handled (its offset committed by
// the processor's group) and every audit record projected, and returns the
// summary. It stops the pipeline before returning.
func Run(ctx context.Context, opt Options) (*Summary, error) {
	start := time.Now()
	if opt.WaitTimeout == 0 {
		opt.WaitTimeout = 2 * time.Minute
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Progress == nil {
		opt.Progress = io.Discard
	}
	sum := &Summary{Source: opt.Source, Broker: "external",
		PolicyVersion: opt.Policy.Current().Version}

	if len(opt.Brokers) == 0 {
		emb, err := broker.StartEmbedded(broker.EmbeddedOptions{})
		if err != nil {
			return nil, fmt.Errorf("cannot start the in-process broker: %w", err)
		}
		defer emb.Close()
		opt.Brokers = emb.Addrs()
		sum.Broker = "in-process"
	}

	col := newCollector()
	cfg := pipeline.Config{
		Brokers: opt.Brokers, TopicPrefix: opt.TopicPrefix, Partitions: opt.Partitions,
		ReplicationFactor: opt.ReplicationFactor, CreateTopics: true, GroupID: opt.GroupID, Policy: opt.Policy,
		OnWritten: col.written, Logger: opt.Logger,
	}
	if cfg.GroupID == "" {
		cfg.GroupID = "stepupd-demo"
	}
	if opt.DatabaseURL != "" {
		cfg.Projection = &pipeline.ProjectionConfig{DatabaseURL: opt.DatabaseURL,
			GroupID: cfg.GroupID + "-projector"}
	}
	p, err := pipeline.Start(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer p.Close()

	if err := play(ctx, opt, p, cfg.GroupID); err != nil {
		return nil, err
	}
	labels := map[string][]string{}
	for _, r := range opt.Records {
		if len(r.Labels) > 0 && r.EventID != "" {
			labels[r.EventID] = r.Labels
		}
	}
	sum.EventsIn = len(opt.Records)
	col.fill(sum, labels)

	if p.Projector != nil {
		n, err := waitProjected(ctx, opt, p, col.auditIDs())
		if err != nil {
			return nil, err
		}
		sum.ProjectedRows = &n
	}
	sum.ElapsedSeconds = time.Since(start).Seconds()
	return sum, nil
}

// play publishes the records phase by phase and waits after each phase.
func play(ctx context.Context, opt Options, p *pipeline.Pipeline, group string) error {
	pub, err := producers.NewPublisher(producers.Config{Brokers: opt.Brokers,
		Logger: opt.Logger})
	if err != nil {
		return err
	}
	defer pub.Close()

	phases := map[int][]Record{}
	for _, r := range opt.Records {
		phases[r.Phase] = append(phases[r.Phase], r)
	}
	order := make([]int, 0, len(phases))
	for ph := range phases {
		order = append(order, ph)
	}
	sort.Ints(order)

	inputs := []string{p.Topics.Signups, p.Topics.Actions, p.Topics.Results}
	for i, ph := range order {
		byTopic := map[string][]*message.Message{}
		for _, r := range phases[ph] {
			topic := topicOf(p, r.Kind)
			byTopic[topic] = append(byTopic[topic], toMessage(r))
		}
		for topic, msgs := range byTopic {
			if err := pub.Publish(topic, msgs...); err != nil {
				return fmt.Errorf("cannot publish demo events: %w", err)
			}
		}
		what := fmt.Sprintf("phase %d/%d (%d events)", i+1, len(order), len(phases[ph]))
		if err := waitHandled(ctx, opt, p, group, inputs, what); err != nil {
			return err
		}
	}
	return nil
}

func topicOf(p *pipeline.Pipeline, k Kind) string {
	switch k {
	case KindSignup:
		return p.Topics.Signups
	case KindResult:
		return p.Topics.Results
	default:
		return p.Topics.Actions
	}
}

// toMessage maps a record to a message that the default mapping writes as it
// is: its UUID is the record's own ce_id header, so that no header is added
// that the record did not carry.
func toMessage(r Record) *message.Message {
	m := message.NewMessage(r.Headers[schemas.HeaderID], r.Value)
	for k, v := range r.Headers {
		m.Metadata.Set(k, v)
	}
	if r.Key != "" {
		m.Metadata.Set(kafkamsg.MetadataKey, r.Key)
	}
	return m
}

func waitHandled(ctx context.Context, opt Options, p *pipeline.Pipeline, group string,
	topics []string, what string) error {
	deadline := time.Now().Add(opt.WaitTimeout)
	lastReport := time.Now()
	for {
		left, err := backlog(ctx, opt.Brokers, group, topics)
		if err == nil && left == 0 {
			fmt.Fprintf(opt.Progress, "%s: all handled\n", what)
			return nil
		}
		if time.Since(lastReport) > 2*time.Second {
			st := p.Processor.Stats()
			fmt.Fprintf(opt.Progress, "%s: %d left, %d handled so far\n", what, left,
				st.EventsIn)
			lastReport = time.Now()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%w: %s still has %d unhandled events (last error: %v)",
				ErrTimeout, what, left, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-p.Err():
			return err
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func waitProjected(ctx context.Context, opt Options, p *pipeline.Pipeline,
	ids []string) (int, error) {
	deadline := time.Now().Add(opt.WaitTimeout)
	lastReport := time.Now()
	for {
		n, err := p.Projector.Store.CountIDs(ctx, ids)
		if err == nil && n == len(ids) {
			fmt.Fprintf(opt.Progress, "projection: %d of %d audit records stored\n", n, len(ids))
			return n, nil
		}
		if time.Since(lastReport) > 2*time.Second {
			fmt.Fprintf(opt.Progress, "projection: %d of %d audit records stored\n", n, len(ids))
			lastReport = time.Now()
		}
		if time.Now().After(deadline) {
			return n, fmt.Errorf("%w: %d of %d audit records projected (last error: %v)",
				ErrTimeout, n, len(ids), err)
		}
		select {
		case <-ctx.Done():
			return n, ctx.Err()
		case err := <-p.Err():
			return n, err
		case <-time.After(200 * time.Millisecond):
		}
	}
}
