package pipeline

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/segmentio/kafka-go"

	"github.com/stepupauth/stepup/kafkamsg"
	"github.com/stepupauth/stepup/processor"
	"github.com/stepupauth/stepup/projection"
)

// ProjectionConfig turns on the Postgres projection of the audit topic.
type ProjectionConfig struct {
	// DatabaseURL is a libpq URL or DSN.
	DatabaseURL string
	// GroupID is the projector's consumer group; projection.DefaultGroupID
	// when empty.
	GroupID string
}

// Projection is the running projector and its store.
type Projection struct {
	Store     *projection.Store
	Projector *projection.Projector
	pool      *pgxpool.Pool
}

func startProjection(ctx context.Context, cfg Config, topics processor.Topics,
	proc *processor.Processor) (*Projection, error) {
	pool, err := pgxpool.New(ctx, cfg.Projection.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("bad database URL: %w", err)
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("cannot connect to Postgres: %w", err)
	}
	err = projection.Migrate(ctx, conn.Conn())
	conn.Release()
	if err != nil {
		pool.Close()
		return nil, err
	}

	store := projection.NewStore(pool)
	proj, err := projection.New(projection.Config{
		Brokers: cfg.Brokers,
		Topic:   topics.Audit,
		GroupID: cfg.Projection.GroupID,
		Logger:  cfg.Logger,
		DeadLetter: func(_ context.Context, m kafka.Message, reason error) error {
			msg, err := kafkamsg.Unmarshal(m)
			if err != nil {
				return err
			}
			return proc.DeadLetter(msg, reason, "projector")
		},
	}, store)
	if err != nil {
		pool.Close()
		return nil, err
	}
	return &Projection{Store: store, Projector: proj, pool: pool}, nil
}

func (p *Projection) run(ctx context.Context) error { return p.Projector.Run(ctx) }

func (p *Projection) close() { p.pool.Close() }
