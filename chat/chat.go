package chat

import (
	"context"
	"iter"
)

// Platform is a connection to one chat-bot platform. Every adapter
// implements it; what else it can do is told by the capability interfaces
// (Opener, Sender, Streamer, HistoryReader, Lister) it also implements.
type Platform interface {
	// Name returns the platform's name, as FromEnv takes it ("chatthing").
	Name() string
	// Close releases the connections of the platform's client. The
	// Platform must not be used afterwards.
	Close() error
}

// Opener starts conversations and resumes existing ones.
type Opener interface {
	// Start opens a new conversation. Its Greeting holds the bot's
	// opening message on platforms that send one.
	Start(ctx context.Context) (*Conversation, error)
	// Resume returns the conversation with this ID, after checking with
	// the server that it exists where the platform allows it: an unknown
	// ID is then an error matching chatbot.ErrNotFound.
	Resume(ctx context.Context, conversationID string) (*Conversation, error)
}

// Sender sends a text and returns the bot's reply once it is complete.
type Sender interface {
	// Send posts text in the conversation as the user and waits for the
	// bot's reply. A platform whose bot answers later (Botyard) waits for
	// the answer until ctx ends: give ctx a deadline.
	Send(ctx context.Context, conversationID, text string) (*Reply, error)
}

// Streamer sends a text and returns the bot's reply as it is written.
type Streamer interface {
	// Stream posts text in the conversation and yields the reply's text
	// delta by delta, as each arrives. A failure is the last pair, with
	// an empty delta; breaking out of the loop, or ending ctx, stops the
	// reply and releases its connection.
	Stream(ctx context.Context, conversationID, text string) iter.Seq2[string, error]
}

// HistoryReader reads the messages of a conversation.
type HistoryReader interface {
	// History yields every message of the conversation, oldest first,
	// fetching pages lazily as the loop advances. An error is the last
	// pair; breaking out of the loop stops the fetching.
	History(ctx context.Context, conversationID string) iter.Seq2[Message, error]
}

// Lister lists conversations.
type Lister interface {
	// Conversations yields the conversations the credentials can see,
	// in the platform's order, fetching lazily. An error is the last
	// pair.
	Conversations(ctx context.Context) iter.Seq2[Conversation, error]
}
