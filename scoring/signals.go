package scoring

// Signal names. Each is a reason code in decisions and audit records.
const (
	SignalNewDevice     = "new_device"
	SignalNewCountry    = "new_country"
	SignalNewNetwork    = "new_asn"
	SignalFirstSeen     = "first_seen"
	SignalFailedLogin   = "failed_login"
	SignalRepeatedFails = "repeated_failures"
	SignalHighStakes    = "high_stakes_action"
	SignalMediumStakes  = "medium_stakes_action"
	SignalUnknownDevice = "device_unknown"
)

// Signals lists every signal the scorer knows.
var Signals = []string{
	SignalNewDevice, SignalNewCountry, SignalNewNetwork, SignalFirstSeen,
	SignalFailedLogin, SignalRepeatedFails, SignalHighStakes, SignalMediumStakes,
	SignalUnknownDevice,
}

// repeatedFailures is how many failed logins in a row, this one included,
// fire SignalRepeatedFails.
const repeatedFailures = 3

// Sensitivity says how much harm an action can do in the wrong hands.
type Sensitivity string

// Sensitivities, from harmless to irreversible.
const (
	SensitivityLow      Sensitivity = "low"
	SensitivityMedium   Sensitivity = "medium"
	SensitivityHigh     Sensitivity = "high"
	SensitivityCritical Sensitivity = "critical"
)

// Sensitivities lists every sensitivity, least sensitive first.
var Sensitivities = []Sensitivity{
	SensitivityLow, SensitivityMedium, SensitivityHigh, SensitivityCritical,
}

// Observation is what an event tells about the user's device and network,
// reduced to the facts scoring compares with the profile. It holds no raw
// personal data: DeviceKey is a digest or the product's own device id.
type Observation struct {
	// DeviceKey identifies the device: the product's device id, else its
	// fingerprint, else a digest of the user agent. Empty when none is known.
	DeviceKey string
	// Country is the ISO 3166-1 alpha-2 code from the event's geo hint.
	Country string
	// ASN is the network's autonomous system number; 0 when unknown.
	ASN uint32
	// FailedLogin is true for a login whose credentials were wrong.
	FailedLogin bool
	// Signup is true for a signup, which by nature has no history.
	Signup bool
	// Sensitivity of the action, from the policy.
	Sensitivity Sensitivity
}
