package botuj

// Type is the kind of a conversation or message. The documentation shows
// only "freeshot" and does not list the others, so Type is an open set: any
// value the server sends is kept as is.
type Type string

// TypeFreeshot is the one type the documentation shows, on conversations
// and on messages alike.
const TypeFreeshot Type = "freeshot"
