// Package alerts holds the records Kestrel writes: alerts and timeouts (the
// alert record of language.md), late and dead-letter records, and their
// deterministic ids. Records are encoded by hand, field order fixed, so the same
// input always gives the same bytes.
package alerts
