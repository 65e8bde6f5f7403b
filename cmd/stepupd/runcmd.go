package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/stepupauth/stepup/escalation"
	"github.com/stepupauth/stepup/pipeline"
)

func runCommand(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("stepupd run", flag.ContinueOnError)
	var c common
	c.register(fs, "stepupd", "info")
	createTopics := fs.Bool("create-topics", envBool("STEPUP_CREATE_TOPICS", true),
		"create missing topics at start (STEPUP_CREATE_TOPICS)")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	log, err := c.logger(stderr)
	if err != nil {
		return err
	}
	brokers := c.brokerList()
	if len(brokers) == 0 {
		return errors.New("no Kafka brokers: set --brokers or STEPUP_KAFKA_BROKERS " +
			"(stepupd demo runs without one)")
	}
	policy, err := c.policy()
	if err != nil {
		return err
	}
	holder := escalation.NewHolder(policy)

	cfg := pipeline.Config{
		Brokers: brokers, TopicPrefix: c.topicPrefix, Partitions: c.partitions,
		ReplicationFactor: c.replication, CreateTopics: *createTopics, GroupID: c.group,
		Policy: holder, Logger: log,
	}
	if c.databaseURL != "" {
		cfg.Projection = &pipeline.ProjectionConfig{DatabaseURL: c.databaseURL,
			GroupID: c.group + "-projector"}
	} else {
		log.Info("projection off: set DATABASE_URL to project the audit topic into Postgres")
	}
	// Listen before starting, so that a SIGHUP never falls to the default
	// action (exit) once the pipeline announced it runs.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)

	p, err := pipeline.Start(ctx, cfg)
	if err != nil {
		return err
	}
	for {
		select {
		case <-hup:
			reloadPolicy(&c, holder, log)
		case err := <-p.Err():
			_ = p.Close()
			return err
		case <-ctx.Done():
			log.Info("shutting down: finishing in-flight events")
			return p.Close()
		}
	}
}

// reloadPolicy swaps in the policy file again. A file that fails validation
// is refused and the running policy stays.
func reloadPolicy(c *common, holder *escalation.Holder, log *slog.Logger) {
	if c.policyPath == "" {
		log.Info("policy reload asked, but the built-in policy is running: nothing to do")
		return
	}
	p, err := c.policy()
	if err != nil {
		log.Error("policy refused, the running policy stays",
			"running_version", holder.Current().Version, "error", err)
		return
	}
	old := holder.Swap(p)
	log.Info("policy loaded", "version", p.Version, "previous_version", old.Version)
}
