package alerts

// Late is a record of the `late` output: an event behind its stream's watermark
// by more than the stream's lateness.
type Late struct {
	Stream    string
	Event     []byte // the event's JSON object
	Watermark int64  // epoch ms
	Reason    string
	Source    string
	Position  int64
}

// AppendJSON appends the record as one JSON object.
func (l *Late) AppendJSON(b []byte) []byte {
	b = append(b, `{"stream":`...)
	b = AppendString(b, l.Stream)
	b = append(b, `,"event":`...)
	b = append(b, l.Event...)
	b = append(b, `,"watermark":"`...)
	b = AppendTime(b, l.Watermark)
	b = append(b, `","reason":`...)
	b = AppendString(b, l.Reason)
	b = append(b, `,"source":`...)
	b = AppendString(b, l.Source)
	b = append(b, `,"position":`...)
	b = appendInt(b, l.Position)
	return append(b, '}')
}

// DeadLetter is a record of the `deadletter` output: an input line that could
// not be decoded or typed.
type DeadLetter struct {
	Stream   string
	Source   string
	Position int64
	Reason   string
	Raw      []byte
}

// AppendJSON appends the record as one JSON object; the raw line is a string.
func (d *DeadLetter) AppendJSON(b []byte) []byte {
	b = append(b, `{"stream":`...)
	b = AppendString(b, d.Stream)
	b = append(b, `,"source":`...)
	b = AppendString(b, d.Source)
	b = append(b, `,"position":`...)
	b = appendInt(b, d.Position)
	b = append(b, `,"reason":`...)
	b = AppendString(b, d.Reason)
	b = append(b, `,"raw":`...)
	b = AppendString(b, string(d.Raw))
	return append(b, '}')
}

// Window is a record of the `windows` output: a feature's closed window (or
// its value every D with `emit every`), corrected with a higher revision when
// late events change it.
type Window struct {
	Feature  string
	Key      []byte // the key as JSON, as in alerts; null for a feature without `by`
	Start    int64  // epoch ms
	End      int64  // epoch ms
	Value    []byte // JSON
	Revision int
}

// AppendJSON appends the record as one JSON object.
func (w *Window) AppendJSON(b []byte) []byte {
	b = append(b, `{"feature":`...)
	b = AppendString(b, w.Feature)
	b = append(b, `,"key":`...)
	if len(w.Key) == 0 {
		b = append(b, "null"...)
	} else {
		b = append(b, w.Key...)
	}
	b = append(b, `,"start":"`...)
	b = AppendTime(b, w.Start)
	b = append(b, `","end":"`...)
	b = AppendTime(b, w.End)
	b = append(b, `","value":`...)
	b = append(b, w.Value...)
	b = append(b, `,"revision":`...)
	b = appendInt(b, int64(w.Revision))
	return append(b, '}')
}
