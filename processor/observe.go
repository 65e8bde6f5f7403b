package processor

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/stepupauth/stepup/schemas"
	"github.com/stepupauth/stepup/scoring"
)

// observe reduces an event's device and network facts to what scoring needs.
// The device key is a digest, so audit records never hold the raw device id,
// fingerprint or user agent.
func observe(d schemas.Device, g *schemas.Geo) scoring.Observation {
	var obs scoring.Observation
	switch {
	case d.DeviceID != "":
		obs.DeviceKey = digest("dev", d.DeviceID)
	case d.Fingerprint != "":
		obs.DeviceKey = digest("fp", d.Fingerprint)
	case d.UserAgent != "":
		obs.DeviceKey = digest("ua", d.UserAgent)
	}
	if g != nil {
		obs.Country = g.Country
		obs.ASN = g.ASN
	}
	return obs
}

func digest(kind, value string) string {
	sum := sha256.Sum256([]byte(kind + ":" + value))
	return kind + ":" + hex.EncodeToString(sum[:6])
}
