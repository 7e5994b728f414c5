package config

import (
	"fmt"
	"time"

	"github.com/helpdesk-bot/helpdesk/bot"
)

// kbSection is the kb: section: which articles intake offers, how many and
// how sure it must be.
type kbSection struct {
	Dir         string   `yaml:"dir"`
	Suggestions int      `yaml:"suggestions"`
	MinScore    *float64 `yaml:"min_score"` // nil: defaultKBMinScore
}

// intakeSection is the intake: section.
type intakeSection struct {
	MaxMessageBytes int    `yaml:"max_message_bytes"`
	DuplicateWindow string `yaml:"duplicate_window"`
	UpdateWindow    string `yaml:"update_window"`
}

// defaultKBMinScore is the offer threshold used when kb.min_score is not
// set; see bot.DefaultKBMinScore.
const defaultKBMinScore = bot.DefaultKBMinScore

// resolve checks the kb: section's knobs of the desk core: how many
// articles to offer, and the kb.Offer Confidence (0 to 1) below which none
// is offered and intake goes straight to its questions; 0 offers whatever
// matches.
func (c kbSection) resolve() (suggestions int, minScore float64, err error) {
	minScore = defaultKBMinScore
	if c.MinScore != nil {
		if *c.MinScore < 0 || *c.MinScore > 1 {
			return 0, 0, fmt.Errorf("kb.min_score: %g is out of range; use 0 (always offer) to 1 (see helpdesk kb eval for the effect of each value)", *c.MinScore)
		}
		minScore = *c.MinScore
	}
	suggestions = c.Suggestions
	if suggestions == 0 {
		suggestions = bot.DefaultKBSuggestions
	}
	if suggestions < 0 || suggestions > 10 {
		return 0, 0, fmt.Errorf("kb.suggestions: %d is out of range; use 1 to 10", suggestions)
	}
	return suggestions, minScore, nil
}

// resolve checks the intake: section: the longest message taken, how far
// back a report is matched against the same person's open tickets, and
// how long after a ticket opens a message there is an update to it.
func (c intakeSection) resolve() (maxBytes int, window, update time.Duration, err error) {
	maxBytes = c.MaxMessageBytes
	if maxBytes == 0 {
		maxBytes = bot.DefaultMaxMessageBytes
	} else if maxBytes < 0 {
		return 0, 0, 0, fmt.Errorf("intake.max_message_bytes: %d is negative; use a size in bytes such as %d", maxBytes, bot.DefaultMaxMessageBytes)
	}
	if window, err = duration("intake.duplicate_window", c.DuplicateWindow, bot.DefaultDuplicateWindow); err != nil {
		return 0, 0, 0, err
	}
	if update, err = duration("intake.update_window", c.UpdateWindow, bot.DefaultUpdateWindow); err != nil {
		return 0, 0, 0, err
	}
	return maxBytes, window, update, nil
}
