package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Frames, both ways: kind (1 byte), run id (uint32), payload length
// (uint32), payload. Big-endian.
const headerSize = 9

// maxRequest bounds a start request (argv, env, paths).
const maxRequest = 1 << 20

// From the backend.
const kindStart = 'S' // JSON startRequest

// To the backend.
const (
	kindStarted = 'P' // JSON {"pid": n}
	kindFailed  = 'F' // text: why the program could not be started
	kindStdout  = 'O' // raw bytes
	kindStderr  = 'E' // raw bytes
	kindExit    = 'X' // JSON {"code": n, "signal": n}
)

type startRequest struct {
	Path string   `json:"path"`
	Args []string `json:"args"`
	Dir  string   `json:"dir"`
	Env  []string `json:"env"`
}

type frame struct {
	kind    byte
	id      uint32
	payload []byte
}

func readFrame(r io.Reader) (frame, error) {
	var h [headerSize]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return frame{}, err
	}
	n := binary.BigEndian.Uint32(h[5:])
	if n > maxRequest {
		return frame{}, fmt.Errorf("request of %d bytes is over the limit of %d", n, maxRequest)
	}
	f := frame{kind: h[0], id: binary.BigEndian.Uint32(h[1:5]), payload: make([]byte, n)}
	if _, err := io.ReadFull(r, f.payload); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return frame{}, fmt.Errorf("reading a request: %w", err)
	}
	return f, nil
}

func encodeFrame(kind byte, id uint32, payload []byte) []byte {
	b := make([]byte, headerSize+len(payload))
	b[0] = kind
	binary.BigEndian.PutUint32(b[1:5], id)
	binary.BigEndian.PutUint32(b[5:9], uint32(len(payload)))
	copy(b[headerSize:], payload)
	return b
}
