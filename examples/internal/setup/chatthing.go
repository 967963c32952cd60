// Package setup is what the examples share: connecting to Chat Thing (to
// the channel named by the environment when there is one, otherwise to a
// fake server from chatbottest started in-process, so that every example
// runs on a fresh machine with no account) and running a program's run
// function.
package setup

import (
	"fmt"
	"io"

	chatbot "github.com/chatbot-sdk/chatbot-go"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// The environment variables the examples read.
const (
	// ChannelIDVar names the API channel ID.
	ChannelIDVar = "CHATTHING_CHANNEL_ID"
	// SecretKeyVar names the channel's secret key.
	SecretKeyVar = "CHATTHING_SECRET_KEY"
	// BaseURLVar optionally points the client at another server, such as a
	// proxy or a test's own fake.
	BaseURLVar = "CHATTHING_BASE_URL"
)

// ChatThing returns a client for the channel the environment names (getenv
// is os.Getenv in a program). When neither the channel ID nor the secret
// key is set, it starts a fake Chat Thing server with fakeOpts instead and
// says so in one line on w; the returned stop function closes that server
// and must be called. Setting only one of the two is an error.
func ChatThing(getenv func(string) string, w io.Writer, fakeOpts ...chatbottest.ChatThingOption) (*chatbot.Client, func(), error) {
	channelID, secretKey := getenv(ChannelIDVar), getenv(SecretKeyVar)
	var opts []chatbot.Option
	if base := getenv(BaseURLVar); base != "" {
		opts = append(opts, chatbot.WithBaseURL(base))
	}
	stop := func() {}
	switch {
	case channelID == "" && secretKey == "":
		fake := chatbottest.NewChatThing(fakeOpts...)
		stop = fake.Close
		channelID, secretKey = fake.ChannelID, fake.SecretKey
		opts = append(opts, chatbot.WithBaseURL(fake.URL))
		fmt.Fprintf(w, "%s and %s are not set: using an in-process fake Chat Thing server (chatbottest) at %s\n",
			ChannelIDVar, SecretKeyVar, fake.URL)
	case channelID == "" || secretKey == "":
		return nil, nil, fmt.Errorf("set both %s and %s, or neither to use the built-in fake server", ChannelIDVar, SecretKeyVar)
	}
	client, err := chatbot.NewClient(channelID, secretKey, opts...)
	if err != nil {
		stop()
		return nil, nil, err
	}
	return client, stop, nil
}
