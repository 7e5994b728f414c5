package discord

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

// FuzzInteraction reads whatever the fuzzer makes as an interaction, as
// the gateway and the HTTP endpoint do, and everything the adapter reads
// of one it accepts: its data by type, the command's text, a modal's
// values and custom_id. Seeds are the modal submissions of Discord's
// documentation and the hostile payloads of hostile_test.go. Nothing may
// panic.
//
//	go test -run '^$' -fuzz FuzzInteraction -fuzztime 10s ./adapters/discord/
func FuzzInteraction(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "docs", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		var p map[string]any
		if err := json.Unmarshal(b, &p); err != nil {
			f.Fatal(err)
		}
		p["id"], p["token"] = "1", "t"
		b, _ = json.Marshal(p)
		f.Add(b)
	}
	for _, h := range hostile {
		f.Add([]byte(h.payload))
	}
	f.Add([]byte(`{"id":"1","token":"t","type":2,"data":{"id":"1","name":"helpdesk","type":1,"options":[{"name":"claim","type":1,"options":[{"name":"ticket","type":4,"value":1}]}]}}`))
	f.Add([]byte(`{"id":"1","token":"t","type":3,"data":{"custom_id":"claim:1","component_type":2},"message":{"components":[{"type":1,"components":[{"type":2,"custom_id":"claim:1"}]}]}}`))
	commands := []chat.Command{{Name: "claim", Slash: chat.SlashDesk, Args: []chat.Arg{{Name: "ticket", Usage: "N", Kind: chat.ArgTicket}}},
		{Name: "reply", Slash: chat.SlashDesk, Args: []chat.Arg{{Name: "ticket", Usage: "N", Kind: chat.ArgTicket}, {Name: "text", Usage: "text", Optional: true}}},
		{Name: "help", Slash: chat.SlashHelpdesk}}
	f.Fuzz(func(t *testing.T, raw []byte) {
		i, err := decodeInteraction(raw)
		if i == nil {
			t.Fatal("no interaction back")
		}
		if err != nil {
			return
		}
		switch i.Type {
		case discordgo.InteractionApplicationCommand:
			commandText(commands, i.ApplicationCommandData())
		case discordgo.InteractionMessageComponent:
			parseCustomID(i.MessageComponentData().CustomID)
		case discordgo.InteractionModalSubmit:
			d := i.ModalSubmitData()
			parseModalID(d.CustomID)
			modalValues(d)
		}
		interactionPerson(i)
	})
}
