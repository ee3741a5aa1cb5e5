// Command promwrite sends samples to a Prometheus remote-write receiver (protocol 1.0: a
// prometheus.WriteRequest, protobuf, snappy block compression) for the e2e tests, which keep the
// counters and the clock themselves.
//
// Usage: promwrite URL [HEADER=VALUE...]
//
// Reads one JSON request per line on stdin:
//
//	{"timeseries":[{"labels":{"__name__":"istio_requests_total","response_code":"200"},"samples":[{"value":12,"timestampMs":1733600000000}]}]}
//
// and answers each with one line on stdout: "ok" or "error: <reason>" (the line is still consumed).
// Exits 0 at the end of stdin.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/golang/snappy"
	"github.com/prometheus/prometheus/prompb"
)

type series struct {
	Labels  map[string]string `json:"labels"`
	Samples []struct {
		Value       float64 `json:"value"`
		TimestampMs int64   `json:"timestampMs"`
	} `json:"samples"`
}

type request struct {
	Timeseries []series `json:"timeseries"`
}

// encode turns one JSON request into the snappy-compressed protobuf body. Labels are sorted by
// name, as the remote-write specification requires.
func encode(line []byte) ([]byte, error) {
	var req request
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return nil, fmt.Errorf("not a request (want {\"timeseries\":[{\"labels\":{...},\"samples\":[{\"value\":N,\"timestampMs\":T}]}]}): %w", err)
	}
	wr := prompb.WriteRequest{}
	for i, s := range req.Timeseries {
		if s.Labels["__name__"] == "" || len(s.Samples) == 0 {
			return nil, fmt.Errorf("timeseries[%d] needs labels.__name__ and at least one sample", i)
		}
		names := make([]string, 0, len(s.Labels))
		for n := range s.Labels {
			names = append(names, n)
		}
		sort.Strings(names)
		ts := prompb.TimeSeries{}
		for _, n := range names {
			ts.Labels = append(ts.Labels, prompb.Label{Name: n, Value: s.Labels[n]})
		}
		for _, v := range s.Samples {
			ts.Samples = append(ts.Samples, prompb.Sample{Value: v.Value, Timestamp: v.TimestampMs})
		}
		wr.Timeseries = append(wr.Timeseries, ts)
	}
	raw, err := wr.Marshal()
	if err != nil {
		return nil, err
	}
	return snappy.Encode(nil, raw), nil
}

func send(client *http.Client, url string, headers map[string]string, body []byte) error {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-protobuf")
	req.Header.Set("Content-Encoding", "snappy")
	req.Header.Set("X-Prometheus-Remote-Write-Version", "0.1.0")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(res.Body, 512))
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("HTTP %d: %s", res.StatusCode, strings.TrimSpace(string(msg)))
	}
	return nil
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: promwrite URL [HEADER=VALUE...]  (JSON requests on stdin, one per line)")
		os.Exit(2)
	}
	url := os.Args[1]
	headers := map[string]string{}
	for _, h := range os.Args[2:] {
		k, v, ok := strings.Cut(h, "=")
		if !ok {
			fmt.Fprintf(os.Stderr, "promwrite: header %q must be NAME=VALUE\n", h)
			os.Exit(2)
		}
		headers[k] = v
	}
	client := &http.Client{Timeout: 20 * time.Second}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 16<<20)
	out := bufio.NewWriter(os.Stdout)
	for in.Scan() {
		line := bytes.TrimSpace(in.Bytes())
		if len(line) == 0 {
			continue
		}
		body, err := encode(line)
		if err == nil {
			err = send(client, url, headers, body)
		}
		if err != nil {
			fmt.Fprintf(out, "error: %s\n", strings.ReplaceAll(err.Error(), "\n", " "))
		} else {
			fmt.Fprintln(out, "ok")
		}
		out.Flush()
	}
	if err := in.Err(); err != nil {
		fmt.Fprintf(os.Stderr, "promwrite: reading stdin: %v\n", err)
		os.Exit(1)
	}
}
