package loadgen

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

// tailFile calls onAlert with every line appended to the JSONL file at path
// from now on, and the time it was read, until ctx ends. It sends nil on
// ready once it is watching (or the error that kept it from it).
func tailFile(ctx context.Context, path string, onAlert func([]byte, time.Time), ready chan<- error) error {
	f, err := os.Open(path)
	if err != nil {
		ready <- err
		return err
	}
	defer f.Close()
	off, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		ready <- err
		return err
	}
	w, err := newWatcher(path)
	if err != nil {
		ready <- err
		return err
	}
	defer w.Close()
	ready <- nil
	buf := make([]byte, 1<<20)
	var part []byte // a line not yet whole
	for {
		// Read to the end, then wait for the file to change.
		for {
			n, err := f.ReadAt(buf, off)
			if n > 0 {
				at := time.Now()
				off += int64(n)
				data := buf[:n]
				for {
					i := bytes.IndexByte(data, '\n')
					if i < 0 {
						part = append(part, data...)
						break
					}
					line := data[:i]
					if len(part) > 0 {
						line = append(part, line...)
						part = part[:0]
					}
					onAlert(line, at)
					data = data[i+1:]
				}
			}
			if err == io.EOF || n == 0 {
				break
			}
			if err != nil {
				return err
			}
		}
		if err := w.Wait(ctx); err != nil {
			return err
		}
	}
}

// watchStream reads the Server-Sent Events of url and calls onAlert with
// each event's data and the time it was read, until ctx ends.
func watchStream(ctx context.Context, url string, onAlert func([]byte, time.Time), ready chan<- error) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		ready <- err
		return err
	}
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		ready <- err
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		err := fmt.Errorf("loadgen: GET %s: %s", url, resp.Status)
		ready <- err
		return err
	}
	ready <- nil
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<24)
	var data []byte
	for sc.Scan() {
		line := sc.Bytes()
		switch {
		case len(line) == 0: // the end of an event
			if len(data) > 0 {
				onAlert(data, time.Now())
				data = data[:0]
			}
		case bytes.HasPrefix(line, []byte("data: ")):
			if len(data) > 0 {
				data = append(data, '\n')
			}
			data = append(data, line[len("data: "):]...)
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return io.ErrUnexpectedEOF
}
