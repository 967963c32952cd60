package botyard_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chatbot-sdk/chatbot-go/botyard"
	"github.com/chatbot-sdk/chatbot-go/chatbottest"
)

// Log in, open a chat with a bot, send a message and wait for the answer.
// The fake server stands in for http://your-server:7007; in a program,
// botyard.NewClientFromEnv() reads the URL from BOTYARD_BASE_URL.
func Example() {
	fake := chatbottest.NewBotyard()
	defer fake.Close()
	ctx := context.Background()

	client, err := botyard.NewClient(fake.URL)
	if err != nil {
		panic(err)
	}
	defer client.Close()
	if _, err := client.Users.Create(ctx, "alice"); err != nil { // a new user, every time
		panic(err)
	}
	bots, err := client.Bots.List(ctx)
	if err != nil {
		panic(err)
	}
	chat, err := client.Chats.Create(ctx, bots[0].ID)
	if err != nil {
		panic(err)
	}
	sent, err := client.Messages.Send(ctx, &botyard.SendParams{ChatID: chat.ID, Body: "Hello!"})
	if err != nil {
		panic(err)
	}
	wait, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	replies, err := client.Messages.WaitForReplies(wait, sent.ChatID, &botyard.WaitForRepliesParams{After: sent.Timestamp, BotID: chat.BotID})
	if err != nil {
		panic(err)
	}
	fmt.Println(replies[0].Body)
	// Output: Test bot got: Hello!
}

// Save the session at the end of a run and restore it in the next one:
// logging in again would create another user.
func ExampleWithSession() {
	fake := chatbottest.NewBotyard()
	defer fake.Close()
	ctx := context.Background()

	first, _ := botyard.NewClient(fake.URL)
	alice, _ := first.Users.Create(ctx, "alice")
	saved := first.Session() // store it as a secret

	next, err := botyard.NewClient(fake.URL, botyard.WithSession(saved))
	if err != nil {
		panic(err)
	}
	me, err := next.Users.Current(ctx)
	if err != nil {
		panic(err)
	}
	fmt.Println(me.ID == alice.ID, me.Nickname)
	// Output: true alice
}

// Read a whole chat, oldest message first.
func ExampleMessageService_ListAll() {
	fake := chatbottest.NewBotyard(chatbottest.WithBotyardReplyDelay(0))
	defer fake.Close()
	ctx := context.Background()
	client, _ := botyard.NewClient(fake.URL)
	client.Users.Create(ctx, "alice")
	chat, _ := client.Chats.Create(ctx, fake.Bots()[0].ID)
	for _, text := range []string{"one", "two"} {
		client.Messages.Send(ctx, &botyard.SendParams{ChatID: chat.ID, Body: text})
	}

	for m, err := range client.Messages.ListAll(ctx, chat.ID, nil) {
		if err != nil {
			panic(err)
		}
		fmt.Println(m.Body)
	}
	// Output:
	// one
	// Test bot got: one
	// two
	// Test bot got: two
}

// Upload files and attach them to a message. FileFromPath and
// FileFromBytes can be sent again if the upload is retried; a plain
// Reader is streamed once.
func ExampleFileService_Upload() {
	fake := chatbottest.NewBotyard()
	defer fake.Close()
	ctx := context.Background()
	client, _ := botyard.NewClient(fake.URL)
	client.Users.Create(ctx, "alice")
	chat, _ := client.Chats.Create(ctx, fake.Bots()[0].ID)

	files, err := client.Files.Upload(ctx, []botyard.Upload{
		botyard.FileFromBytes("hello.txt", "text/plain", []byte("hello")),
		botyard.Upload{Name: "log.txt", ContentType: "text/plain", Reader: strings.NewReader("streamed")}})
	if err != nil {
		panic(err)
	}
	msg, err := client.Messages.Send(ctx, &botyard.SendParams{
		ChatID: chat.ID, Body: "see attached", AttachmentIDs: []string{files[0].ID, files[1].ID},
	})
	if err != nil {
		panic(err)
	}
	for _, f := range msg.Attachments {
		fmt.Println(f.Name, f.Size, f.MimeType)
	}
	// Output:
	// hello.txt 5 text/plain
	// log.txt 8 text/plain
}

// One page as the server numbers them: page 1 holds the newest messages.
func ExampleMessageService_List() {
	fake := chatbottest.NewBotyard(chatbottest.WithBotyardReplyDelay(0))
	defer fake.Close()
	ctx := context.Background()
	client, _ := botyard.NewClient(fake.URL)
	client.Users.Create(ctx, "alice")
	chat, _ := client.Chats.Create(ctx, fake.Bots()[0].ID)
	for _, text := range []string{"one", "two", "three"} {
		client.Messages.Send(ctx, &botyard.SendParams{ChatID: chat.ID, Body: text})
	}

	page, err := client.Messages.List(ctx, chat.ID, &botyard.ListParams{Page: 1, Limit: 2, SenderID: chat.BotID})
	if err != nil {
		panic(err)
	}
	fmt.Println("total", page.Total, "pages", page.Pages())
	for _, m := range page.Messages {
		fmt.Println(m.Body)
	}
	// Output:
	// total 3 pages 2
	// Test bot got: two
	// Test bot got: three
}

// Keep the session in a file, so that the next run is the same user
// without saving anything by hand: the client saves every new token as it
// gets it, and restores it in NewClient.
func ExampleWithSessionStore() {
	fake := chatbottest.NewBotyard()
	defer fake.Close()
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "botyard-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	store := botyard.FileSessionStore(filepath.Join(dir, "session"))

	for run := 1; run <= 2; run++ {
		client, err := botyard.NewClient(fake.URL, botyard.WithSessionStore(store))
		if err != nil {
			panic(err)
		}
		if client.Session() == "" {
			if _, err := client.Users.Create(ctx, "alice"); err != nil {
				panic(err)
			}
			fmt.Println("run", run, "logged in as a new user")
		} else {
			me, err := client.Users.Current(ctx)
			if err != nil {
				panic(err)
			}
			fmt.Println("run", run, "is still", me.Nickname)
		}
		client.Close()
	}
	// Output:
	// run 1 logged in as a new user
	// run 2 is still alice
}

// Find a chat by its ID, to wait for its bot's replies.
func ExampleChatService_Get() {
	fake := chatbottest.NewBotyard()
	defer fake.Close()
	ctx := context.Background()
	client, _ := botyard.NewClient(fake.URL)
	defer client.Close()
	client.Users.Create(ctx, "alice")
	created, _ := client.Chats.Create(ctx, fake.Bots()[1].ID)
	chatID := created.ID // all an app kept from an earlier run

	chat, err := client.Chats.Get(ctx, chatID)
	if err != nil {
		panic(err)
	}
	sent, err := client.Messages.Send(ctx, &botyard.SendParams{ChatID: chat.ID, Body: "ping"})
	if err != nil {
		panic(err)
	}
	replies, err := client.Messages.WaitForReplies(ctx, chat.ID, &botyard.WaitForRepliesParams{BotID: chat.BotID, After: sent.Timestamp})
	if err != nil {
		panic(err)
	}
	fmt.Println(replies[0].Body)
	// Output: Echo bot got: ping
}
