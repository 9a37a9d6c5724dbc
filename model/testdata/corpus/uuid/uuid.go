// Package uuid is a stub of github.com/google/uuid: strata maps uuid.UUID by
// its name, so only the type is needed.
package uuid

// UUID is a universally unique identifier.
type UUID [16]byte
