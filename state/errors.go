package state

import "errors"

// Errors returned by the package; compare with errors.Is. Errors from Badger
// itself (a full disk, an I/O error) are wrapped and returned as they are.
var (
	// ErrNotFound: no such alert, definition, version or checkpoint.
	ErrNotFound = errors.New("state: not found")
	// ErrVersionConflict: PutDefinition's ifMatch is not the current version
	// (the API answers 409).
	ErrVersionConflict = errors.New("state: version conflict")
	// ErrCorrupt: a stored record cannot be decoded.
	ErrCorrupt = errors.New("state: corrupt record")
	// ErrLocked: the directory is in use by another process (another
	// kestrel serve on the same --data).
	ErrLocked = errors.New("state: directory in use by another process")
	// ErrClosed: the DB was closed.
	ErrClosed = errors.New("state: closed")
	// ErrInvalid: a bad argument (an empty or malformed name, an unknown
	// mode, a malformed cursor, a checkpoint id that does not increase).
	ErrInvalid = errors.New("state: invalid argument")
)
