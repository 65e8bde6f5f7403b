// Package projection keeps a queryable copy of the audit trail in Postgres.
//
// A Projector reads the audit topic in its own consumer group, decodes each
// record, and writes batches of rows through a Store. Delivery is
// at-least-once and the table is keyed by record id, so a record read twice
// is stored once. Offsets are committed only after the rows of their batch
// are committed in Postgres: a crash or shutdown at any point loses nothing,
// it only causes a batch to be read again.
//
// Migrate creates and upgrades the table; run it before the first Projector.
package projection
