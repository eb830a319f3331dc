package state

func (db *DB) recoverCheckpoint() error { return nil }

type checkpoints struct{}
type alertStore struct{}
