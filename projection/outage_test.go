package projection_test

import (
	"context"
	"log/slog"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/segmentio/kafka-go"

	"github.com/stepupauth/stepup/internal/testenv"
	"github.com/stepupauth/stepup/projection"
)

// poolThrough opens a pool on url whose connections pass through a proxy
// that the test can switch off.
func poolThrough(t testing.TB, url string) (*pgxpool.Pool, *proxy) {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatalf("parse database URL: %v", err)
	}
	target := net.JoinHostPort(cfg.ConnConfig.Host, strconv.Itoa(int(cfg.ConnConfig.Port)))
	px := startProxy(t, target)
	host, port, _ := net.SplitHostPort(px.addr())
	portNum, _ := strconv.Atoi(port)
	cfg.ConnConfig.Host, cfg.ConnConfig.Port = host, uint16(portNum)
	cfg.ConnConfig.Fallbacks = nil
	cfg.ConnConfig.ConnectTimeout = 2 * time.Second

	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatalf("pgxpool.NewWithConfig: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool, px
}

func TestProjectorWaitsOutDatabaseOutage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	brokers := testenv.KafkaBrokers(t)
	url := migratedDB(t)
	direct := projection.NewStore(newPool(t, url))
	proxied, px := poolThrough(t, url)
	topic := auditTopic(t, brokers, 2)
	group := testenv.UniqueName("projection-outage")
	logs := newLogRecorder(t)

	batch := func(from, to int) (ids []string, msgs []kafka.Message) {
		for i := from; i < to; i++ {
			rec := record(topic, i)
			ids = append(ids, rec.ID)
			msgs = append(msgs, auditMessage(rec, encode(t, rec)))
		}
		return ids, msgs
	}

	p := startProjector(t, projection.Config{
		Brokers: brokers, Topic: topic, GroupID: group, BatchSize: 8,
		Logger: slog.New(logs),
	}, projection.NewStore(proxied))

	// While the database is up, the first records go through.
	firstIDs, first := batch(0, 10)
	publish(t, brokers, topic, first...)
	waitFor(t, 60*time.Second, "the first records", func() bool {
		return p.Projected() >= int64(len(first))
	})
	waitCommitted(t, brokers, topic, group)
	_, before := offsets(t, brokers, topic, group)

	// Down: records arrive and are read, but nothing is stored or committed.
	px.setDown(true)
	secondIDs, second := batch(10, 30)
	publish(t, brokers, topic, second...)
	waitFor(t, 30*time.Second, "the records to be read during the outage", func() bool {
		return p.Stats().Seen > int64(len(first))
	})
	waitFor(t, 30*time.Second, "write retries to be logged", func() bool {
		return len(logs.find(slog.LevelWarn, "writing audit rows failed, will retry")) >= 3
	})
	time.Sleep(500 * time.Millisecond)
	if n, err := direct.CountIDs(ctx, secondIDs); err != nil || n != 0 {
		t.Errorf("during the outage %d new rows are stored (err %v), want 0", n, err)
	}
	if _, during := offsets(t, brokers, topic, group); !sameOffsets(during, before) {
		t.Errorf("offsets moved during the outage: %v, before %v", during, before)
	}
	if got := p.Projected(); got != int64(len(first)) {
		t.Errorf("Projected = %d during the outage, want %d", got, len(first))
	}
	for i, r := range logs.find(slog.LevelWarn, "writing audit rows failed, will retry") {
		if a, ok := attr(r, "attempt").(int64); !ok || a != int64(i+1) || attr(r, "error") == nil {
			t.Errorf("retry log %d has attempt %v, error %v", i, attr(r, "attempt"),
				attr(r, "error"))
			break
		}
	}

	// Up again: everything arrives once and is committed.
	px.setDown(false)
	waitFor(t, 60*time.Second, "the records after the outage", func() bool {
		n, err := direct.CountIDs(ctx, append(firstIDs, secondIDs...))
		return err == nil && n == len(first)+len(second)
	})
	waitCommitted(t, brokers, topic, group)
	if n, err := direct.Count(ctx); err != nil || n != int64(len(first)+len(second)) {
		t.Errorf("Count = %d, %v; want %d", n, err, len(first)+len(second))
	}
	p.stop(t)
}

func sameOffsets(a, b map[int]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestProjectorStopsCleanlyDuringOutage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	brokers := testenv.KafkaBrokers(t)
	url := migratedDB(t)
	direct := projection.NewStore(newPool(t, url))
	proxied, px := poolThrough(t, url)
	topic := auditTopic(t, brokers, 2)
	group := testenv.UniqueName("projection-stop")
	logs := newLogRecorder(t)

	px.setDown(true)
	var ids []string
	var msgs []kafka.Message
	for i := range 12 {
		rec := record(topic, i)
		ids = append(ids, rec.ID)
		msgs = append(msgs, auditMessage(rec, encode(t, rec)))
	}
	publish(t, brokers, topic, msgs...)

	first := startProjector(t, projection.Config{
		Brokers: brokers, Topic: topic, GroupID: group, Logger: slog.New(logs),
	}, projection.NewStore(proxied))
	waitFor(t, 30*time.Second, "write retries to be logged", func() bool {
		return len(logs.find(slog.LevelWarn, "writing audit rows failed, will retry")) >= 2
	})
	first.stop(t) // checks that Run returns nil, within 5s

	if _, committed := offsets(t, brokers, topic, group); !sameOffsets(committed,
		map[int]int64{0: -1, 1: -1}) {
		t.Errorf("offsets committed while the database was down: %v", committed)
	}
	if st := first.Stats(); st.Committed != 0 || st.Projected != 0 {
		t.Errorf("stats after stopping during the outage = %+v, want nothing projected", st)
	}

	// The group's next member reads the same records again and stores each once.
	second := startProjector(t, projection.Config{
		Brokers: brokers, Topic: topic, GroupID: group, Logger: newLoggerFor(t),
	}, direct)
	waitFor(t, 60*time.Second, "the records after restart", func() bool {
		return second.Projected() >= int64(len(ids))
	})
	waitCommitted(t, brokers, topic, group)
	if n, err := direct.Count(ctx); err != nil || n != int64(len(ids)) {
		t.Errorf("Count = %d, %v; want %d", n, err, len(ids))
	}
}
