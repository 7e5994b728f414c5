package extract

import (
	"regexp"
	"strings"
)

// When a problem started is often told by an event, not a time: "since
// the last update", "after lunch", "since I came back from holiday",
// "desde esta mañana". startedEventRe finds such a phrase; Extract keeps
// it as StartedText, with the time of any time phrase inside it.

// startedOpening is the event's opening ("since the", "seit gestern");
// startedEventRe adds up to 50 more characters of the clause, and
// startedCoreRe is the opening alone: where the problem told again may
// start being cut.
const startedOpening = `(?i)\b(?:(?:ever )?since (?:the|my|our|i|we|they|it|last|an?|yesterday'?s|this morning'?s|today'?s)\b|(?:started|began|starting|happening|happened|it's been like this) (?:right |just |shortly |soon )?after\b|after (?:lunch|the (?:\w+ )?(?:update|upgrade|reboot|restart|migration|move|outage|weekend|holidays?|break|meeting|power cut|patch)|i (?:updated|upgraded|installed|changed|moved|got|came back|returned|restarted|reset|switched|joined))\b|` +
	`desde (?:ayer|hoy|esta|este|el|la|que|anoche|hace)\b|después de\b|seit (?:heute|gestern|dem|der|letzte\w*|montag|dienstag|mittwoch|donnerstag|freitag|\d)|nach dem (?:update|neustart)|depuis (?:hier|ce|cette|lundi|mardi|mercredi|jeudi|vendredi|la|le|l'|ma|mon|que|\d)|après (?:la|le|l')\b)`

var (
	startedEventRe = regexp.MustCompile(startedOpening + `[^.,;!?\n]{0,50}`)
	startedCoreRe  = regexp.MustCompile(startedOpening)
)

// startedTailRe cuts an event phrase where the problem is told again
// ("since the update my laptop is slow"); startedHeadRe is the event's
// own first words, which are always kept. In German, Spanish and French
// the opening is short and the verb follows it at once ("seit gestern |
// geht mein Drucker nicht mehr"), so startedTailIntlRe cuts right after
// the opening.
var startedHeadRe = regexp.MustCompile(`^\S+\s+\S+(?:\s+\S+)?`)
var startedTailRe = regexp.MustCompile(`(?i)\s+(?:(?:and|but|so|it|everything|my|the|i|we|nothing|now|which)\b.*|(?:funktioniert|geht|nicht|nichts|mehr|se|no|ne|ich|je|il|elle)\b.*)$`)
var startedTailIntlRe = regexp.MustCompile(`(?i)\s+(?:funktioniert|geht|gehen|ist|sind|hat|habe|kann|klappt|läuft|stürzt|nicht|nichts|mehr|mein|meine|se|no|ne|n'|ich|je|il|elle|mi|mon|ma|mes|tengo)(?:\s.*)?$|\s+(?:n'|j')\S*.*$`)

// startedEvent finds the event phrase that says when the problem started,
// as [start, end) in text; ok is false without one.
func startedEvent(text string) (start, end int, ok bool) {
	m := startedEventRe.FindStringIndex(text)
	if m == nil {
		return 0, 0, false
	}
	phrase := text[m[0]:m[1]]
	if c := startedTailRe.FindStringIndex(phrase); c != nil && c[0] > 0 {
		// Keep at least the event's own words ("since the last update").
		if head := startedHeadRe.FindStringIndex(phrase); head == nil || c[0] >= head[1] {
			phrase = phrase[:c[0]]
		}
	}
	if core := len(startedCoreRe.FindString(phrase)); !isEnglishEvent(phrase) {
		if c := startedTailIntlRe.FindStringIndex(phrase[core:]); c != nil {
			phrase = phrase[:core+c[0]]
		}
	}
	return m[0], m[0] + len(phrase), true
}

// isEnglishEvent reports whether an event phrase opens in English ("since",
// "after", "started after"), whose words after the opening are kept.
func isEnglishEvent(phrase string) bool {
	return startedEnglishRe.MatchString(phrase)
}

var startedEnglishRe = regexp.MustCompile(`(?i)^(?:ever |since |started|began|starting|happening|happened|it's been|after )`)

// startedVerbRe is the verb that opens a started phrase ("started after the
// update", "it began after lunch"); shown under a "Started:" label it would
// read "Started: started after the update".
var startedVerbRe = regexp.MustCompile(`(?i)^(?:it\s+)?(?:started|began|starting|happening|happened)\s+(?:(?:right|just|shortly|soon)\s+)?(after|since|today|this|yesterday|on|at|around|about|when|last)\b`)

// startedLabel is phrase without the verb that opened it ("started right
// after lunch" is "right after lunch"): the part a "Started:" label reads.
func startedLabel(phrase string) string {
	m := startedVerbRe.FindStringSubmatchIndex(phrase)
	if m == nil {
		return phrase
	}
	rest := phrase[m[2]:]
	// Keep "right", "just" and the like: they say how soon after.
	head := strings.Fields(phrase[:m[2]])
	if n := len(head); n > 0 {
		switch strings.ToLower(head[n-1]) {
		case "right", "just", "shortly", "soon":
			rest = head[n-1] + " " + rest
		}
	}
	return rest
}
