package aimylogic

import (
	"encoding/json"
	"errors"
)

// decodeBody is the client's response decoder (rest.Platform.Decode). The
// API publishes no response schema, and three calls may answer with a
// bare value or plain text rather than a JSON object, so the decoder
// picks the reader by the result type the call asked for:
//
//   - *AsyncResult, *StatusResult and *ClientState get the raw bytes
//     (decodeAsyncBody, decodeStatusBody, decodeStateBody);
//   - nil (the set calls, whose success body is undocumented) ignores the
//     body;
//   - *EventsPage reads an empty body as a poll that found nothing;
//   - every other result is JSON, and an empty body or null is an error
//     rather than a zero value.
func decodeBody(_ string, body []byte, out any) error {
	switch out := out.(type) {
	case nil:
		return nil
	case *AsyncResult:
		r, err := decodeAsyncBody(body)
		if err != nil {
			return err
		}
		*out = *r
		return nil
	case *StatusResult:
		r, err := decodeStatusBody(body)
		if err != nil {
			return err
		}
		*out = *r
		return nil
	case *ClientState:
		r, err := decodeStateBody(body)
		if err != nil {
			return err
		}
		*out = *r
		return nil
	case *EventsPage:
		body = trimBody(body)
		if len(body) == 0 {
			*out = EventsPage{}
			return nil
		}
		return json.Unmarshal(body, out)
	}
	body = trimBody(body)
	if isNull(body) {
		return errors.New("empty body (or null), expected JSON")
	}
	return json.Unmarshal(body, out)
}
