// Package console is the local terminal chat: the embedded default when no
// Slack or Discord token is set, and the driver of end-to-end tests. One
// person types; they can switch identity to try the agent side.
package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/helpdesk-bot/helpdesk/bot/chat"
	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Platform is the platform name of console messages and outbox entries.
const Platform = "console"

// Channel is the console's one chat place; the triage channel is separate so
// its announcements are labelled.
const Channel = "console"

// maxLine bounds how much of one typed line is read; the rest is dropped and
// the bot is told the line was too long.
const maxLine = 1 << 20

// core is what the console needs from the bot.
type core interface {
	Handle(ctx context.Context, m chat.Message) []chat.Reply
}

// pool runs a message's work on the bot's bounded workers, under the
// per-message timeout, and waits for it.
type pool interface {
	Do(ctx context.Context, fn func(ctx context.Context)) error
}

// Console reads lines from In and writes the bot's answers to Out.
type Console struct {
	in   *bufio.Reader
	out  io.Writer
	core core
	pool pool

	mu   sync.Mutex // serialises writes: replies and outbox deliveries interleave
	user tickets.Person
	self tickets.Person // the identity the console started with
}

// New builds a console chat for the given first identity; messages are
// handled on p.
func New(in io.Reader, out io.Writer, c core, p pool, user tickets.Person) *Console {
	user.Platform = Platform
	return &Console{in: bufio.NewReaderSize(in, 64<<10), out: out, core: c, pool: p, user: user, self: user}
}

// Run reads and answers lines until the input ends, "/quit" or ctx is done.
func (c *Console) Run(ctx context.Context) error {
	lines := make(chan string)
	errc := make(chan error, 1)
	go func() {
		// Reading blocks in the OS; this goroutine ends with the input.
		defer close(lines)
		for {
			line, err := readLine(c.in)
			if line != "" || err == nil {
				select {
				case lines <- line:
				case <-ctx.Done():
					return
				}
			}
			if err != nil {
				if !errors.Is(err, io.EOF) {
					errc <- err
				}
				return
			}
		}
	}()
	c.prompt()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-errc:
			return fmt.Errorf("console: read: %w", err)
		case line, ok := <-lines:
			if !ok {
				c.printf("\n(end of input — bye)\n")
				return nil
			}
			if quit := c.line(ctx, line); quit {
				return nil
			}
			c.prompt()
		}
	}
}

// line handles one typed line and reports whether the person asked to quit.
func (c *Console) line(ctx context.Context, line string) bool {
	text := strings.TrimRight(line, "\r\n")
	if fields := strings.Fields(text); len(fields) > 0 {
		switch strings.ToLower(fields[0]) {
		case "/quit", "/exit":
			c.printf("bye\n")
			return true
		case "/as":
			if len(fields) != 2 {
				c.printf("Usage: /as NAME — continue as another person, e.g. /as dana to act as the demo agent, /as %s to go back.\n", c.user.UserID)
				return false
			}
			p := tickets.Person{Platform: Platform, UserID: strings.ToLower(fields[1]), Name: fields[1]}
			if p.UserID == c.self.UserID {
				p = c.self // back to yourself, with your profile
			}
			c.mu.Lock()
			c.user = p
			c.mu.Unlock()
			c.printf("You are now %s.\n", p.Display())
			return false
		case "/whoami":
			c.printf("You are %s.\n", c.who().Display())
			return false
		}
	}
	m := chat.Message{Platform: Platform, ChannelID: Channel, User: c.who(), Text: text, DM: true}
	var replies []chat.Reply
	if err := c.pool.Do(ctx, func(ctx context.Context) { replies = c.core.Handle(ctx, m) }); err != nil {
		return true // shutting down
	}
	for _, r := range replies {
		c.printReply(r)
	}
	return false
}

func (c *Console) who() tickets.Person {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.user
}

func (c *Console) prompt() { c.printf("%s> ", c.who().UserID) }

func (c *Console) printReply(r chat.Reply) {
	var b strings.Builder
	b.WriteString("bot: ")
	b.WriteString(strings.ReplaceAll(r.Text, "\n", "\n     "))
	if len(r.Buttons) > 0 {
		b.WriteString("\n     ")
		for i, btn := range r.Buttons {
			if i > 0 {
				b.WriteString("  ")
			}
			b.WriteString("[" + btn.Label + "]")
		}
	}
	b.WriteString("\n")
	c.printf("%s", b.String())
}

// Send prints an outbox message, saying who it is for: on a real platform it
// would reach them in their DM, thread or channel.
func (c *Console) Send(ctx context.Context, d chat.Delivery) (string, error) {
	m := d.Msg
	to := "#" + m.To.ChannelID
	if m.UserID != "" {
		to = m.UserID
	}
	text := strings.ReplaceAll(m.Text, "\n", "\n     ")
	// The message arrives while the person may be at the prompt: show it on
	// its own lines and give the prompt back.
	label := "message for " + to
	switch {
	case d.EditRef != "":
		// The console cannot edit what it printed; it shows the new
		// headline, as the full card was printed when it was posted.
		label = to + " card updated"
		text, _, _ = strings.Cut(text, "\n")
	case d.ThreadRef != "":
		label = "message for " + to + ", in the ticket's thread"
	}
	c.printf("\n[%s] %s\n%s> ", label, text, c.who().UserID)
	return m.Key, nil
}

func (c *Console) printf(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintf(c.out, format, args...)
}

// readLine reads one line of any length, keeping at most maxLine bytes so a
// pasted log cannot exhaust memory; the bot then explains the limit.
func readLine(r *bufio.Reader) (string, error) {
	var b []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(b) < maxLine {
			b = append(b, chunk[:min(len(chunk), maxLine-len(b))]...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return string(b), err
	}
}
