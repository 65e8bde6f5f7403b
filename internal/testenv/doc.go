// Package testenv gives tests the Kafka broker and Postgres database they
// run against: the real ones that CI starts (named by STEPUP_TEST_* variables)
// or, for Kafka, an in-process broker when none is configured. Under
// STEPUP_REQUIRE_INTEGRATION=1 a missing dependency fails the test instead of
// skipping it.
package testenv
