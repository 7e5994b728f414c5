package bot

import (
	"fmt"
	"strings"
)

// unknownCommand is the answer to "/name" when the desk has no such
// command: with a suggestion when name is a prefix of, or a typo or two
// away from, exactly one command a may run ("/pend" for /pending). A
// command a may not run is never suggested, so the answer tells a
// requester nothing about agents' commands.
func (b *Bot) unknownCommand(a actor, name string) string {
	msg := fmt.Sprintf("I don't know the command /%s.", name)
	if c := b.suggest(a, name); c != nil {
		return fmt.Sprintf("%s Did you mean /%s? Usage: %s", msg, c.Name, c.Usage())
	}
	return msg + " Type /help to see the commands."
}

// suggest is the one command a may run that name was probably meant to
// be, nil when there is none or more than one. Typed commands ("start")
// are words of a report more than commands and are left out.
func (b *Bot) suggest(a actor, name string) *command {
	// A short name is a few letters from everything: "/x" is no typo
	// of /kb.
	maxDist := min(2, len([]rune(name))/2)
	var found *command
	for i := range b.cmds {
		c := &b.cmds[i]
		if c.Typed || !a.allowed(c) {
			continue
		}
		for _, n := range append([]string{c.Name}, c.Aliases...) {
			if strings.HasPrefix(n, name) || editDistance(name, n) <= maxDist {
				if found != nil && found != c {
					return nil
				}
				found = c
			}
		}
	}
	return found
}

// editDistance is the number of letters inserted, deleted, changed or
// swapped with their neighbour that turn s into t (optimal string
// alignment).
func editDistance(s, t string) int {
	a, b := []rune(s), []rune(t)
	// d[i][j] is the distance between a[:i] and b[:j].
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
