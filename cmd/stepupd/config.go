package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"

	"github.com/stepupauth/stepup/escalation"
)

// common holds the settings every command shares.
type common struct {
	brokers     string
	topicPrefix string
	partitions  int
	replication int
	group       string
	policyPath  string
	databaseURL string
	logLevel    string
	logFormat   string
}

// env returns the environment variable name, or def when it is unset.
func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

// envErrs collects environment variables that did not parse, so that the
// command can refuse to start instead of running on a default.
var envErrs []string

func envInt(name string, def int) int {
	v, ok := os.LookupEnv(name)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		envErrs = append(envErrs, fmt.Sprintf("%s=%q is not a whole number", name, v))
		return def
	}
	return n
}

func envBool(name string, def bool) bool {
	v, ok := os.LookupEnv(name)
	if !ok {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		envErrs = append(envErrs, fmt.Sprintf("%s=%q is not true or false", name, v))
		return def
	}
	return b
}

func (c *common) register(fs *flag.FlagSet, defaultGroup, defaultLogLevel string) {
	fs.StringVar(&c.brokers, "brokers", env("STEPUP_KAFKA_BROKERS", ""),
		"comma-separated Kafka bootstrap addresses (STEPUP_KAFKA_BROKERS)")
	fs.StringVar(&c.topicPrefix, "topic-prefix", env("STEPUP_TOPIC_PREFIX", "stepup."),
		"prefix of every topic name (STEPUP_TOPIC_PREFIX)")
	fs.IntVar(&c.partitions, "partitions", envInt("STEPUP_PARTITIONS", 6),
		"partitions of topics created at start (STEPUP_PARTITIONS)")
	fs.IntVar(&c.replication, "replication-factor", envInt("STEPUP_REPLICATION_FACTOR", 1),
		"replicas of each partition of topics created at start (STEPUP_REPLICATION_FACTOR)")
	fs.StringVar(&c.group, "group", env("STEPUP_GROUP", defaultGroup),
		"consumer group of the processor (STEPUP_GROUP)")
	fs.StringVar(&c.policyPath, "policy", env("STEPUP_POLICY", ""),
		"escalation policy YAML; the built-in default when empty (STEPUP_POLICY)")
	fs.StringVar(&c.databaseURL, "database-url", env("DATABASE_URL", ""),
		"Postgres URL of the audit projection; off when empty (DATABASE_URL)")
	fs.StringVar(&c.logLevel, "log-level", env("STEPUP_LOG_LEVEL", defaultLogLevel),
		"debug, info, warn or error (STEPUP_LOG_LEVEL)")
	fs.StringVar(&c.logFormat, "log-format", env("STEPUP_LOG_FORMAT", "text"),
		"text or json (STEPUP_LOG_FORMAT)")
}

func (c *common) brokerList() []string {
	var out []string
	for _, b := range strings.Split(c.brokers, ",") {
		if b = strings.TrimSpace(b); b != "" {
			out = append(out, b)
		}
	}
	return out
}

func (c *common) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return nil, fmt.Errorf("bad log level %q: want debug, info, warn or error", c.logLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	var log *slog.Logger
	switch c.logFormat {
	case "text":
		log = slog.New(slog.NewTextHandler(w, opts))
	case "json":
		log = slog.New(slog.NewJSONHandler(w, opts))
	default:
		return nil, fmt.Errorf("bad log format %q: want text or json", c.logFormat)
	}
	// Libraries that log through the default logger follow the same settings.
	slog.SetDefault(log)
	return log, nil
}

func (c *common) policy() (*escalation.Policy, error) {
	if c.policyPath == "" {
		return escalation.Parse(escalation.DefaultPolicy())
	}
	return escalation.Load(c.policyPath)
}

// parse parses args into fs, printing errors and usage to stderr.
func parse(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	if len(envErrs) > 0 {
		fmt.Fprintf(stderr, "bad environment: %s\n", strings.Join(envErrs, "; "))
		return errUsage
	}
	return nil
}
