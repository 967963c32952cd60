package chatbot_test

import "io"

// splitReader hands out its input in reads of the given sizes, in turn, so
// that a test can check that a stream's outcome does not depend on where
// the body's reads end.
type splitReader struct {
	data  []byte
	sizes []int
	n     int
}

func (s *splitReader) Read(p []byte) (int, error) {
	if len(s.data) == 0 {
		return 0, io.EOF
	}
	size := s.sizes[s.n%len(s.sizes)]
	s.n++
	size = min(max(size, 1), len(p), len(s.data))
	copy(p, s.data[:size])
	s.data = s.data[size:]
	return size, nil
}
