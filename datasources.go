package chatbot

// DataSourceService manages the bot's manual data sources and their rows.
type DataSourceService struct{ client *Client }
