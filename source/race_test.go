//go:build race

package source

// raceEnabled: the race detector changes allocation counts (sync.Pool drops items).
const raceEnabled = true
