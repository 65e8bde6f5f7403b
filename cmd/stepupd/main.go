// Command stepupd is stepup's daemon and tool: `stepupd run` decides events
// from Kafka until stopped, `stepupd demo` plays a scenario or a login file
// through the same pipeline and prints what happened.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `stepupd decides when a user must prove more before an action goes through.

Usage:
  stepupd run  [flags]   decide events from Kafka until SIGTERM or SIGINT
  stepupd demo [flags]   play the built-in scenario, or --events FILE, and sum up
  stepupd help           show this text

Run "stepupd COMMAND -h" for the flags of a command. Most flags can also be set
with the environment variable named in their help.
`

// errUsage marks a command line that could not be parsed; its message was
// already printed.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "run":
		err = runCommand(ctx, args[1:], stderr)
	case "demo":
		err = demoCommand(ctx, args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "stepupd: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	default:
		fmt.Fprintf(stderr, "stepupd %s: %v\n", args[0], err)
		return 1
	}
}
