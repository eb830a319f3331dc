package alerts

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
)

// StandardOutputs are the outputs every rule set has.
var StandardOutputs = []string{"alerts", "shadow", "timeouts", "late", "deadletter", "windows"}

var outputName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// Outputs writes records as JSON lines: every output to DIR/<output>.jsonl when
// a directory is given, and the alerts output also to an extra writer (stdout
// or --out). It is the sink of a replay.
type Outputs struct {
	dir    string
	extra  io.Writer // the alerts output, besides its file; may be nil
	ew     *bufio.Writer
	files  map[string]*bufio.Writer
	closer []io.Closer
	buf    []byte
}

// NewOutputs creates dir (when not empty) with a file for each standard output.
func NewOutputs(dir string, alerts io.Writer) (*Outputs, error) {
	o := &Outputs{dir: dir, extra: alerts, files: map[string]*bufio.Writer{}}
	if alerts != nil {
		o.ew = bufio.NewWriterSize(alerts, 64<<10)
	}
	if dir == "" {
		return o, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	for _, name := range StandardOutputs {
		if _, err := o.file(name); err != nil {
			o.Close()
			return nil, err
		}
	}
	return o, nil
}

func (o *Outputs) file(name string) (*bufio.Writer, error) {
	if w, ok := o.files[name]; ok {
		return w, nil
	}
	if !outputName.MatchString(name) {
		return nil, fmt.Errorf("output name %q cannot be a file name", name)
	}
	f, err := os.Create(filepath.Join(o.dir, name+".jsonl"))
	if err != nil {
		return nil, err
	}
	w := bufio.NewWriterSize(f, 64<<10)
	o.files[name] = w
	o.closer = append(o.closer, f)
	return w, nil
}

func (o *Outputs) write(output string, line []byte) error {
	if output == "alerts" && o.ew != nil {
		if _, err := o.ew.Write(line); err != nil {
			return err
		}
	}
	if o.dir == "" {
		return nil
	}
	w, err := o.file(output)
	if err != nil {
		return err
	}
	_, err = w.Write(line)
	return err
}

// Alert writes an alert or timeout record to output.
func (o *Outputs) Alert(output string, r *Record) error {
	o.buf = append(r.AppendJSON(o.buf[:0]), '\n')
	return o.write(output, o.buf)
}

// Late writes a record to the late output.
func (o *Outputs) Late(l *Late) error {
	o.buf = append(l.AppendJSON(o.buf[:0]), '\n')
	return o.write("late", o.buf)
}

// DeadLetter writes a record to the deadletter output.
func (o *Outputs) DeadLetter(d *DeadLetter) error {
	o.buf = append(d.AppendJSON(o.buf[:0]), '\n')
	return o.write("deadletter", o.buf)
}

// Window writes a record to the windows output.
func (o *Outputs) Window(w *Window) error {
	o.buf = append(w.AppendJSON(o.buf[:0]), '\n')
	return o.write("windows", o.buf)
}

// Close flushes and closes every file.
func (o *Outputs) Close() error {
	var errs []error
	if o.ew != nil {
		errs = append(errs, o.ew.Flush())
	}
	for _, w := range o.files {
		errs = append(errs, w.Flush())
	}
	for _, c := range o.closer {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}
