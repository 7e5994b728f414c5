package extract

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Short answers to the desk's questions: "skip", "yes 2", "network".

// skipWords are answers that mean "I don't know" or "not applicable".
var skipWords = map[string]bool{
	"skip": true, "dont know": true, "don't know": true, "do not know": true, "idk": true,
	"no idea": true, "not sure": true, "n/a": true, "na": true, "none": true, "unknown": true,
	"pass": true, "dunno": true, "no error": true, "no message": true, "nope": true, "no": true,
	"no errors": true, "no error message": true, "nothing": true, "nothing yet": true, "nothing shown": true, "none shown": true,
	"didn't see one": true, "did not see one": true, "i didn't see one": true, "there is no error": true,
	"there's no error": true, "no error shown": true,
	// German, Spanish, French
	"nein": true, "nichts": true, "keine": true, "kein": true, "weiß nicht": true, "keine ahnung": true,
	"nada": true, "ninguno": true, "ninguna": true, "no sé": true, "ni idea": true,
	"non": true, "rien": true, "aucun": true, "aucune": true, "je ne sais pas": true, "aucune idée": true,
}

// IsSkip reports whether an answer means "I don't know" or "not
// applicable", which skips an optional question.
func IsSkip(answer string) bool { return skipWords[NormalizeAnswer(answer)] }

// NormalizeAnswer lower-cases a short answer and strips punctuation around it.
func NormalizeAnswer(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, "’", "'")
	return strings.Trim(s, " .!?,;:\"'")
}

// greetings say hello but nothing about a problem.
var greetings = map[string]bool{
	"hi": true, "hello": true, "hey": true, "hiya": true, "good morning": true, "good afternoon": true,
	"morning": true, "yo": true, "help": true, "hi there": true, "hello there": true, "hey there": true,
	"i need help": true, "can you help": true, "can you help me": true,
}

// IsGreeting reports a message that says hello but nothing else.
func IsGreeting(text string) bool { return greetings[NormalizeAnswer(text)] }

// thanksWords say thank you; IsThanks wants one of them (or "works now",
// "all good": thanksDone) in a message of nothing but them and
// thanksFiller.
var thanksWords = wordSet(`thanks thank thx thnx ty tysm cheers danke dank gracias merci grazie obrigado`)

// thanksDone are words that, with a filler, say it is sorted: "works now",
// "all good", "sorted".
var thanksDone = wordSet(`works worked working sorted fixed solved resolved good fine trick
	funciona funcionó geht klappt marche fonctionne funziona`)

// thanksFiller may stand beside thanks without saying anything new.
var thanksFiller = wordSet(`ok okay k great perfect cool awesome nice brilliant excellent super amazing lovely
	wonderful it that this now all again so much a lot very you u for your the help everything is
	everything's it's thats that's yes yep yeah did many vielen schön muchas beaucoup mille
	de nada appreciated really ya wieder jetzt alles es todo ahora ça ca maintenant tout bien gut bon again`)

// questionLead are words a question starts with.
var questionLead = wordSet(`is are does do can could will would has have should was were`)

// IsThanks reports a message that only thanks the desk or says the
// problem is sorted ("thanks!", "ok thanks, works now", "all good now,
// cheers"): it starts no report. One that says more ("thanks, but it still
// crashes") is not.
func IsThanks(text string) bool {
	if strings.Contains(text, "?") {
		return false // "is it fixed?" asks
	}
	said := false
	words := strings.FieldsFunc(NormalizeAnswer(text), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\''
	})
	for i, w := range words {
		// "is it working", "ok, is it fixed": a question without the mark.
		if questionLead[w] && (i == 0 || thanksFiller[words[i-1]] || thanksWords[words[i-1]]) && i+1 < len(words) &&
			(words[i+1] == "it" || words[i+1] == "this" || words[i+1] == "that" || words[i+1] == "everything") {
			return false
		}
	}
	for _, w := range words {
		switch {
		case thanksWords[w], thanksDone[w]:
			said = true
		case !thanksFiller[w]:
			return false
		}
	}
	return said
}

// OnlyLinks reports a message that is nothing but web addresses: it names
// a page, not what is wrong with it.
func OnlyLinks(text string) bool {
	rest := strings.TrimSpace(urlRe.ReplaceAllString(text, " "))
	return rest != strings.TrimSpace(text) && !HasWords(rest)
}

// sortedWords say the problem went away; "good" and "fine" do only with
// "now" or "again" ("all good now"), as "ok fine, thanks" only
// acknowledges.
var sortedWords = wordSet(`works worked working sorted fixed solved resolved trick funciona funcionó geht klappt
	marche fonctionne funziona`)

// SaysSorted reports a thanks (IsThanks) that also says the problem is
// sorted: "ok it works now, thanks", not "thanks!" or "ok fine, thanks".
func SaysSorted(text string) bool {
	if !IsThanks(text) {
		return false
	}
	words := strings.FieldsFunc(NormalizeAnswer(text), func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' })
	now := slices.Contains(words, "now") || slices.Contains(words, "again")
	for _, w := range words {
		if sortedWords[w] || now && (w == "good" || w == "fine") {
			return true
		}
	}
	return false
}

// HasWords reports whether text holds at least one letter or digit.
func HasWords(text string) bool {
	return strings.IndexFunc(text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// Summarize makes a one-line summary of free text for a ticket title: its
// first line, cut to 100 characters at a word's end, never inside one.
func Summarize(text string) string {
	line := strings.TrimSpace(strings.SplitN(text, "\n", 2)[0])
	// "Here is the full error: X at a.b.C(C.java:42) when I …" → "X when I …".
	if short := strings.TrimSpace(symptomSpaceRe.ReplaceAllString(stackFrameRe2.ReplaceAllString(errorLeadRe.ReplaceAllString(line, ""), " "), " ")); short != "" {
		line = short
	}
	r := []rune(line)
	if len(r) > 100 {
		cut := string(r[:97])
		if i := strings.LastIndexByte(cut, ' '); i > 40 {
			cut = cut[:i]
		}
		line = strings.TrimRight(cut, " ,;:-–—") + "…"
	}
	return line
}

// ParseCategory reads the answer to "which category fits best?": a
// category's name, a description Extract can categorize, or a word of a
// category's label ("printing", "wifi"); now resolves any time in it.
func ParseCategory(answer string, now time.Time) (tickets.Category, bool) {
	if c, ok := tickets.ParseCategory(answer); ok {
		return c, true
	}
	if c := Extract(answer, now).Category; c != "" {
		return c, true
	}
	a := NormalizeAnswer(answer)
	for _, c := range tickets.Categories {
		for _, w := range strings.FieldsFunc(c.Label(), func(r rune) bool { return r == '/' || r == ' ' || r == ',' }) {
			if w != "" && strings.Contains(a, strings.ToLower(w)) {
				return c, true
			}
		}
	}
	if strings.Contains(a, "password") {
		return tickets.CategoryAccount, true
	}
	return "", false
}

// addsAnotherRe is the lead of a message that brings up something besides
// what is being talked about: "also", "oh, and", "btw", "another thing",
// "one more thing", "unrelated, but", "on top of that". Alone it says
// nothing: "also, it started yesterday" adds to the same report.
var addsAnotherRe = regexp.MustCompile(`(?i)^\W*(?:(?:oh|ah|and|ok|okay|also|btw|ps\b|p\.s\.?)\b?[\s,.:;!-]*)*(?:also|and|btw|by the way|ps\b|p\.s\.?|another (?:thing|problem|issue)|one more thing|separately|unrelated(?:ly)?|(?:on )?(?:a|an) (?:side|unrelated|different) note|on top of that|plus|(?:oh )?while i'?m at it|while (?:we'?re|you'?re) at it)\b`)

// AddsAnother reports whether text opens as an addition: "also the
// printer on floor 2 is jammed", "oh and btw outlook is slow", "another
// thing: my mouse lags". Whether it is another problem, the caller tells
// by what the rest names.
func AddsAnother(text string) bool {
	return addsAnotherRe.MatchString(text)
}
