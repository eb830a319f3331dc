//go:build race

package expr

// raceEnabled: under the race detector sync.Pool drops items on purpose, so
// table lookups allocate.
const raceEnabled = true
