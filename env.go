package chatbot

import (
	"fmt"
	"strings"
)

// envError names the environment variables that were missing.
type envError struct{ missing []string }

func (e *envError) Error() string {
	return fmt.Sprintf("chatbot: %s: set %s", ErrNoCredentials, strings.Join(e.missing, " and "))
}

// Is matches ErrNoCredentials.
func (e *envError) Is(target error) bool { return target == ErrNoCredentials }
