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
	"strconv"
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
	HandleAction(ctx context.Context, a chat.Action) []chat.Reply
	// FormFor tells a button that opens a form, which a terminal cannot
	// show: the console says what to type instead.
	FormFor(action string) (chat.Form, bool)
	Commands() []chat.Command
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

	// Settle, when set, runs after a line's replies are printed and before
	// the next prompt: cmd/helpdesk delivers the outbox there, so that what
	// the line sent to the triage channel or to another person shows in
	// order, not after a later line (as it would when lines are pasted or
	// piped in faster than the outbox polls).
	Settle func(ctx context.Context)

	mu       sync.Mutex // serialises writes: replies and outbox deliveries interleave
	user     tickets.Person
	self     tickets.Person   // the identity the console started with
	buttons  []tickets.Button // those of the last message shown, for /press
	atPrompt bool             // the prompt is the last thing printed
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
			c.mu.Lock()
			c.atPrompt = false
			c.mu.Unlock()
			if quit := c.line(ctx, line); quit {
				return nil
			}
			if c.Settle != nil {
				c.Settle(ctx)
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
		case "/press":
			return c.press(ctx, fields[1:])
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

// press presses button N of the last message shown, as a click would on a
// platform with buttons.
func (c *Console) press(ctx context.Context, args []string) bool {
	c.mu.Lock()
	bs := c.buttons
	c.mu.Unlock()
	n := 0
	if len(args) == 1 {
		n, _ = strconv.Atoi(args[0])
	}
	if n < 1 || n > len(bs) {
		if len(bs) == 0 {
			c.printf("There is no button to press: /press N presses button N of the last message that had buttons.\n")
		} else {
			c.printf("Usage: /press N, where N is 1 to %d — the number in front of the button.\n", len(bs))
		}
		return false
	}
	btn := bs[n-1]
	if _, ok := c.core.FormFor(btn.Action); ok {
		usage := "/" + btn.Action
		if cmd, ok := chat.Named(c.core.Commands(), btn.Action); ok {
			usage = cmd.Usage()
		}
		usage = strings.Replace(usage, " N", " "+btn.Value, 1)
		c.printf("On Slack and Discord %q opens a form; here, type it as a command: %s\n", btn.Label, usage)
		return false
	}
	a := chat.Action{Platform: Platform, ChannelID: Channel, User: c.who(), Name: btn.Action, Value: btn.Value}
	var replies []chat.Reply
	if err := c.pool.Do(ctx, func(ctx context.Context) { replies = c.core.HandleAction(ctx, a) }); err != nil {
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

func (c *Console) prompt() {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintf(c.out, "%s> ", c.user.UserID)
	c.atPrompt = true
}

func (c *Console) printReply(r chat.Reply) {
	var b strings.Builder
	b.WriteString("bot: ")
	b.WriteString(strings.ReplaceAll(plain(r.Text), "\n", "\n     "))
	if len(r.Buttons) > 0 {
		b.WriteString("\n     " + buttonLine(r.Buttons))
	}
	b.WriteString("\n")
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(r.Buttons) > 0 {
		c.buttons = r.Buttons
	}
	fmt.Fprint(c.out, b.String())
}

// Send prints an outbox message, saying who it is for: on a real platform it
// would reach them in their DM, thread or channel.
func (c *Console) Send(ctx context.Context, d chat.Delivery) (string, error) {
	m := d.Msg
	to := "#" + m.To.ChannelID
	if m.UserID != "" {
		to = m.UserID
	}
	text := strings.ReplaceAll(plain(m.Text), "\n", "\n     ")
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
	if len(m.Mentions) > 0 {
		label += ", mentioning @" + strings.Join(m.Mentions, " @")
	}
	if len(m.Buttons) > 0 && d.EditRef == "" {
		text += "\n     " + buttonLine(m.Buttons)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(m.Buttons) > 0 && d.EditRef == "" {
		c.buttons = m.Buttons
	}
	if c.atPrompt {
		fmt.Fprintf(c.out, "\n[%s] %s\n%s> ", label, text, c.user.UserID)
	} else {
		fmt.Fprintf(c.out, "[%s] %s\n", label, text) // the prompt follows
	}
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
