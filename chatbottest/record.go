package chatbottest

import "net/http"

// byStatus remembers the status written through it (0 when the
// connection was dropped without an answer).
type byStatus struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the first status.
func (s *byStatus) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

// Write records an implicit 200.
func (s *byStatus) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection.
func (s *byStatus) Unwrap() http.ResponseWriter { return s.ResponseWriter }
