package botuj

// Message is one message of a conversation, from the end user or from the
// bot.
type Message struct {
	// ID identifies the message.
	ID ID `json:"id"`
	// Message is the message's text.
	Message string `json:"message"`
	// UserID is the UUID of the user who sent the message. The
	// documentation does not say what bot messages carry here, so it may
	// be empty (null) on them.
	UserID string `json:"userId"`
	// IsUser is true for the end user's messages and false for the bot's.
	IsUser bool `json:"isUser"`
	// Type is the message's type, such as TypeFreeshot.
	Type Type `json:"type"`
	// CreatedOn is when the message was written.
	CreatedOn Time `json:"createdOn"`
}
