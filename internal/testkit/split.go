package testkit

import "io"

// SplitReader hands out data in reads of the given sizes, in turn (each at
// least one byte), so that a test can show that an outcome does not depend
// on where a body's reads end.
func SplitReader(data []byte, sizes ...int) io.Reader {
	if len(sizes) == 0 {
		sizes = []int{1}
	}
	return &splitReader{data: data, sizes: sizes}
}

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

// ChunkyReader hands out data in reads of 1 to 64 bytes, in a fixed
// pattern that visits every size: a body arriving in uneven network reads.
func ChunkyReader(data []byte) io.Reader {
	sizes := make([]int, 64)
	for n := range sizes {
		sizes[n] = 1 + ((n+1)*37)%64
	}
	return SplitReader(data, sizes...)
}
