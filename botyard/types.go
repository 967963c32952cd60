package botyard

import "time"

// ServiceInfo describes the Botyard installation, as its operator set it up
// in the server's config file.
type ServiceInfo struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	// Avatar is an image URL; empty when the config has none.
	Avatar string `json:"avatar,omitempty"`
	// Socials is nil when the config lists none (the server sends null).
	Socials []Social `json:"socials"`
}

// Social is one link of the service's social section.
type Social struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// Bot is a bot hosted on the server.
type Bot struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Description and Avatar are empty when the bot has none.
	Description string `json:"description,omitempty"`
	Avatar      string `json:"avatar,omitempty"`
}

// Command is a command a bot understands, such as "start".
type Command struct {
	ID    string `json:"id"`
	Alias string `json:"alias"`
	// Description is empty when the bot gave none.
	Description string `json:"description,omitempty"`
}

// User is a Botyard user: a nickname and the ID the server gave it.
type User struct {
	ID       string `json:"id"`
	Nickname string `json:"nickname"`
}

// Chat is a conversation between the current user and one bot.
type Chat struct {
	ID     string `json:"id"`
	UserID string `json:"userId"`
	BotID  string `json:"botId"`
}

// File is an uploaded file. Pass its ID in SendParams.AttachmentIDs.
type File struct {
	ID string `json:"id"`
	// Path is relative to the server root, for example
	// "static/images/01m8….png"; Client.FileURL turns it into a URL. The
	// extension is chosen by the server from the MIME type, so it may
	// differ from the uploaded name's (".jfif" for image/jpeg).
	Path string `json:"path"`
	// Name is the file name the client sent.
	Name string `json:"name"`
	// Size is in bytes.
	Size int64 `json:"size"`
	// MimeType is the Content-Type the client declared, as sent.
	MimeType string `json:"mimeType"`
}

// MessageItem is a message as a MessagePage lists it. The server leaves
// out the chat ID on items (it is on the page), unlike its documentation
// says.
type MessageItem struct {
	ID string `json:"id"`
	// SenderID is the user's ID for the user's messages and the bot's ID
	// for the bot's: it is how the two are told apart.
	SenderID string `json:"senderId"`
	Body     string `json:"body"`
	// Attachments holds the attached files the server could find; unknown
	// attachment IDs are silently left out.
	Attachments []File `json:"attachments,omitempty"`
	// Timestamp is in milliseconds since the Unix epoch.
	Timestamp int64 `json:"timestamp"`
}

// Time returns Timestamp as a time.Time.
func (m *MessageItem) Time() time.Time { return time.UnixMilli(m.Timestamp) }

// Message is a message as the send call returns it: a MessageItem with its
// chat's ID.
type Message struct {
	ChatID string `json:"chatId"`
	MessageItem
}

// MessagePage is one page of a chat's messages. Page 1 holds the newest
// messages; within a page, messages run oldest to newest.
type MessagePage struct {
	ChatID string `json:"chatId"`
	// Total is the number of messages that match the filters (SenderID,
	// Since), not the page size and not the whole chat.
	Total int `json:"total"`
	// Page and Limit echo the values the server used.
	Page     int           `json:"page"`
	Limit    int           `json:"limit"`
	Messages []MessageItem `json:"messages"`
}

// Pages returns how many pages of Limit messages the Total fills.
func (p *MessagePage) Pages() int {
	if p.Limit <= 0 {
		return 0
	}
	return (p.Total + p.Limit - 1) / p.Limit
}

// okMessage is the server's reply for calls that return no data.
type okMessage struct {
	Message string `json:"message"`
}
