package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/stepupauth/stepup/demo"
	"github.com/stepupauth/stepup/escalation"
)

func demoCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("stepupd demo", flag.ContinueOnError)
	var c common
	c.register(fs, "", "warn")
	events := fs.String("events", "",
		"play this file instead of the built-in scenario: RBA login CSV or JSON Lines")
	summaryPath := fs.String("summary", "", "also write the summary as JSON to this file")
	history := fs.Int("synthetic-history", 0,
		"with --events: give every user N generated legitimate logins before their first row")
	timeout := fs.Duration("timeout", 2*time.Minute,
		"give up when the pipeline makes no progress for this long")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	log, err := c.logger(stderr)
	if err != nil {
		return err
	}
	policy, err := c.policy()
	if err != nil {
		return err
	}

	source := "built-in scenario"
	records := demo.Scenario()
	if *events != "" {
		source = filepath.Base(*events)
		if records, err = readEvents(*events); err != nil {
			return err
		}
		if records, err = demo.WithHistory(records, demo.History{Logins: *history}); err != nil {
			return err
		}
	}

	opt := demo.Options{
		Brokers: c.brokerList(), TopicPrefix: c.topicPrefix, Partitions: c.partitions,
		ReplicationFactor: c.replication,
		GroupID:           c.group, DatabaseURL: c.databaseURL, Policy: escalation.NewHolder(policy),
		Source: source, Records: records, WaitTimeout: *timeout, Logger: log,
		Progress: stderr,
	}
	if len(opt.Brokers) > 0 && !flagSet(fs, "topic-prefix") &&
		os.Getenv("STEPUP_TOPIC_PREFIX") == "" {
		// On a shared cluster each run gets topics of its own.
		opt.TopicPrefix = fmt.Sprintf("stepup-demo-%d.", time.Now().UnixNano())
	}
	if opt.GroupID == "" {
		opt.GroupID = fmt.Sprintf("stepupd-demo-%d", time.Now().UnixNano())
	}
	if c.databaseURL == "" {
		fmt.Fprintln(stderr, "projection off: set DATABASE_URL=postgres://... "+
			"to project the audit trail into Postgres")
	}

	sum, err := demo.Run(ctx, opt)
	if err != nil {
		return err
	}
	sum.SyntheticHistory = *history
	sum.Print(stdout)
	if *summaryPath != "" {
		data, err := json.MarshalIndent(sum, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(*summaryPath, append(data, '\n'), 0o644); err != nil {
			return fmt.Errorf("cannot write summary: %w", err)
		}
	}
	return nil
}

func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// readEvents reads an RBA login CSV or JSON Lines, told apart by the first
// line.
func readEvents(path string) ([]demo.Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	head, _ := br.Peek(512)

	var out []demo.Record
	collect := func(r demo.Record) error { out = append(out, r); return nil }
	if strings.HasPrefix(strings.TrimSpace(string(head)), "index,Login Timestamp") {
		err = demo.ReadRBA(br, collect)
	} else {
		err = demo.ReadJSONL(br, collect)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no events", path)
	}
	return out, nil
}
