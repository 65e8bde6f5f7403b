// Package pipeline wires stepup's parts into a running system: it creates
// the topics, checks that the input topics are co-partitioned, and runs the
// processor's router and, when a database is configured, the projector that
// copies the audit topic into Postgres. `stepupd run` and `stepupd demo` are
// both built on it, so the demo exercises exactly what production runs.
package pipeline
