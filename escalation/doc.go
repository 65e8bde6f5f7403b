// Package escalation maps a scored event onto the escalation ladder: nothing,
// email OTP, MFA, ID document, biometric match, or deny. The mapping lives in
// a YAML policy file with a version that is stamped on every decision.
//
// A Policy is immutable once loaded and safe for concurrent use. Holder keeps
// the running policy and swaps it atomically on reload; a file that fails
// validation is refused and the running policy stays.
package escalation
