package main

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/helpdesk-bot/helpdesk/adapters/discord"
	"github.com/helpdesk-bot/helpdesk/bot/bottest"
	"github.com/helpdesk-bot/helpdesk/bot/chat"
)

// Every command named in any message the bot sends is one a person can
// run, on every platform: typed in the console, as /helpdesk or /desk on
// Slack (declared in the app manifest), and as a registered subcommand on
// Discord. The messages are the desk's templates and the string literals
// of the desk's and the adapters' code, so a new message that names a
// command the platforms cannot route fails here.
func TestMentionedCommandsAreRoutable(t *testing.T) {
	core := bottest.New(t, bottest.Options{}).Bot
	cmds := core.Commands()
	slack := slackSlashes(t)
	registered := map[string]bool{} // "desk claim"
	for _, ac := range discord.Commands(cmds) {
		for _, sub := range ac.Options {
			registered[ac.Name+" "+sub.Name] = true
		}
	}

	// Console form, in the desk's own messages: "/status 12".
	mention := regexp.MustCompile(`(?:^|[\s("'“‘` + "`" + `])/([a-z]+)\b`)
	// Platform form, in the adapters' messages: "/helpdesk help".
	platformMention := regexp.MustCompile(`/(` + chat.SlashHelpdesk + `|` + chat.SlashDesk + `) ([a-z]+)\b`)
	var texts []string
	for _, dir := range []string{"../../bot", "../../prompts/messages"} {
		texts = append(texts, messageTexts(t, dir)...)
	}
	named := map[string]bool{}
	for _, text := range texts {
		for _, m := range mention.FindAllStringSubmatch(text, -1) {
			if m[1] == chat.SlashHelpdesk || m[1] == chat.SlashDesk {
				continue // the platform form, checked below
			}
			named[m[1]] = true
		}
	}
	var adapterTexts []string
	for _, dir := range []string{"../../adapters/slack", "../../adapters/discord"} {
		adapterTexts = append(adapterTexts, messageTexts(t, dir)...)
	}
	for _, text := range append(texts, adapterTexts...) {
		for _, m := range platformMention.FindAllStringSubmatch(text, -1) {
			c, ok := chat.Named(cmds, m[2])
			if !ok || c.Slash != m[1] {
				t.Errorf("a message says /%s %s, but %s is not a command under /%s: %q", m[1], m[2], m[2], m[1], text)
			}
			named[m[2]] = true
		}
	}
	t.Logf("commands named in messages: %v", slices.Sorted(maps.Keys(named)))
	if len(named) < 15 {
		t.Fatalf("found only %d commands named in messages (%v); the scan is broken", len(named), slices.Sorted(maps.Keys(named)))
	}
	for name := range named {
		c, ok := chat.Named(cmds, name)
		if !ok {
			t.Errorf("/%s is named in a message but is not a command", name)
			continue
		}
		// Console: the desk routes the typed command.
		// Ada is an admin: every command is routed rather than refused.
		replies := core.Handle(context.Background(), chat.Message{Platform: bottest.Platform, ChannelID: "dm", User: bottest.Person("ada"), Text: "/" + name})
		for _, r := range replies {
			if strings.Contains(r.Text, "I don't know the command") {
				t.Errorf("/%s: the desk does not route it: %s", name, r.Text)
			}
		}
		// Slack: the slash command is declared; its text goes to the desk.
		if !slack["/"+c.Slash] {
			t.Errorf("/%s is typed /%s %s on Slack, but the manifest declares no /%s", name, c.Slash, name, c.Slash)
		}
		// Discord: a registered subcommand of the same name.
		if !registered[c.Slash+" "+name] {
			t.Errorf("/%s is typed /%s %s on Discord, which has no such subcommand registered", name, c.Slash, name)
		}
	}
}

// messageTexts returns the string literals of the non-test Go files in
// dir, and the text of its templates.
func messageTexts(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		switch {
		case strings.HasSuffix(e.Name(), ".tmpl"):
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(data))
		case strings.HasSuffix(e.Name(), ".go") && !strings.HasSuffix(e.Name(), "_test.go"):
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil {
						out = append(out, s)
					}
				}
				return true
			})
		}
	}
	return out
}

// slackSlashes are the slash commands the Slack app manifest declares.
func slackSlashes(t *testing.T) map[string]bool {
	t.Helper()
	data, err := os.ReadFile("../../adapters/slack/manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Features struct {
			SlashCommands []struct{ Command string } `yaml:"slash_commands"`
		}
	}
	if err := yaml.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, sc := range m.Features.SlashCommands {
		out[sc.Command] = true
	}
	return out
}
