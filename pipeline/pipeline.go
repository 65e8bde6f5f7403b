package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/stepupauth/stepup/broker"
	"github.com/stepupauth/stepup/consumers"
	"github.com/stepupauth/stepup/escalation"
	"github.com/stepupauth/stepup/processor"
	"github.com/stepupauth/stepup/producers"
	"github.com/stepupauth/stepup/schemas"
	"github.com/stepupauth/stepup/state"
)

// Config configures a Pipeline.
type Config struct {
	// Brokers are the Kafka bootstrap addresses.
	Brokers []string
	// TopicPrefix starts every topic name; DefaultTopicPrefix when empty.
	TopicPrefix string
	// Partitions is the partition count of topics that EnsureTopics creates.
	Partitions int
	// ReplicationFactor of created topics; 1 when zero.
	ReplicationFactor int
	// CreateTopics creates missing topics at start. When false, a missing
	// topic is an error.
	CreateTopics bool
	// GroupID is the processor's consumer group.
	GroupID string
	// Policy is the running escalation policy.
	Policy *escalation.Holder
	// Projection, when set, runs the Postgres projector in this process.
	Projection *ProjectionConfig
	// OnWritten is passed to the processor: it sees every output once the
	// broker has acknowledged it.
	OnWritten func(topic string, ev schemas.Event)
	Logger    *slog.Logger
}

// Pipeline is a running processor, and projector when configured.
type Pipeline struct {
	Topics    processor.Topics
	Processor *processor.Processor
	Projector *Projection

	log    *slog.Logger
	pub    *producers.Publisher
	sub    *consumers.Subscriber
	router *message.Router
	cancel context.CancelFunc
	wg     sync.WaitGroup

	errOnce sync.Once
	errc    chan error
}

// Start creates the topics, checks them, and starts the processor (and the
// projector when configured). It returns once the router runs; consumer
// groups may still be joining. A topic that cannot be created or found, or
// input topics with different partition counts, make Start fail within a
// bounded time.
func Start(ctx context.Context, cfg Config) (*Pipeline, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.TopicPrefix == "" {
		cfg.TopicPrefix = DefaultTopicPrefix
	}
	if cfg.Partitions <= 0 {
		cfg.Partitions = 6
	}
	if cfg.GroupID == "" {
		cfg.GroupID = "stepupd"
	}
	topics := TopicNames(cfg.TopicPrefix)
	if err := prepareTopics(ctx, cfg, topics); err != nil {
		return nil, err
	}

	p := &Pipeline{Topics: topics, log: cfg.Logger, errc: make(chan error, 1)}
	if err := p.startProcessor(cfg); err != nil {
		p.Close()
		return nil, err
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	p.cancel = cancel
	p.goRun("router", func() error { return p.router.Run(runCtx) })

	if cfg.Projection != nil {
		proj, err := startProjection(runCtx, cfg, topics, p.Processor)
		if err != nil {
			p.Close()
			return nil, err
		}
		p.Projector = proj
		p.goRun("projector", func() error { return proj.run(runCtx) })
	}

	select {
	case <-p.router.Running():
	case err := <-p.errc:
		p.Close()
		return nil, err
	case <-ctx.Done():
		p.Close()
		return nil, ctx.Err()
	}
	cfg.Logger.Info("pipeline started", "brokers", len(cfg.Brokers),
		"topic_prefix", cfg.TopicPrefix, "group", cfg.GroupID,
		"policy_version", cfg.Policy.Current().Version,
		"projection", cfg.Projection != nil)
	return p, nil
}

func prepareTopics(ctx context.Context, cfg Config, topics processor.Topics) error {
	specs := TopicSpecs(topics, cfg.Partitions, cfg.ReplicationFactor)
	if cfg.CreateTopics {
		if err := broker.EnsureTopics(ctx, cfg.Brokers, specs); err != nil {
			return fmt.Errorf("cannot create topics: %w", err)
		}
	} else {
		for _, s := range specs {
			if _, err := broker.PartitionCount(ctx, cfg.Brokers, s.Name); err != nil {
				return fmt.Errorf("topic %s: %w", s.Name, err)
			}
		}
	}
	if err := broker.CheckCopartitioned(ctx, cfg.Brokers, inputTopics(topics)...); err != nil {
		return fmt.Errorf("input topics must be co-partitioned by user id: %w", err)
	}
	return nil
}

func (p *Pipeline) startProcessor(cfg Config) error {
	var err error
	p.pub, err = producers.NewPublisher(producers.Config{Brokers: cfg.Brokers,
		Logger: cfg.Logger})
	if err != nil {
		return fmt.Errorf("cannot create publisher: %w", err)
	}
	p.sub, err = consumers.NewSubscriber(consumers.Config{Brokers: cfg.Brokers,
		ConsumerGroup: cfg.GroupID, Logger: cfg.Logger})
	if err != nil {
		return fmt.Errorf("cannot create subscriber: %w", err)
	}
	p.Processor, err = processor.New(processor.Config{
		Topics: p.Topics, Publisher: p.pub, Policy: cfg.Policy, State: state.NewStore(),
		Logger: cfg.Logger, OnWritten: cfg.OnWritten,
	})
	if err != nil {
		return err
	}
	p.router, err = p.Processor.Router(processor.RouterConfig{Subscriber: p.sub})
	return err
}

func (p *Pipeline) goRun(name string, fn func() error) {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		if err := fn(); err != nil && !errors.Is(err, context.Canceled) {
			p.fail(fmt.Errorf("%s stopped: %w", name, err))
		}
	}()
}

func (p *Pipeline) fail(err error) {
	p.errOnce.Do(func() { p.errc <- err })
}

// Err delivers the first error that stopped a part of the pipeline.
func (p *Pipeline) Err() <-chan error { return p.errc }

// Close stops the pipeline: the router finishes the messages in flight and
// commits their offsets, the projector finishes its batch, and the clients
// close. It waits at most about the router's close timeout.
func (p *Pipeline) Close() error {
	start := time.Now()
	var errs []error
	if p.router != nil {
		errs = append(errs, p.router.Close())
	}
	if p.cancel != nil {
		p.cancel()
	}
	p.wg.Wait()
	if p.sub != nil {
		errs = append(errs, p.sub.Close())
	}
	if p.pub != nil {
		errs = append(errs, p.pub.Close())
	}
	if p.Projector != nil {
		p.Projector.close()
	}
	p.log.Info("pipeline stopped", "took", time.Since(start).Round(time.Millisecond))
	return errors.Join(errs...)
}
