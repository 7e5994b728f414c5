// Package extract turns chat text into the fields a technician needs —
// device or app, symptom, error text, when it started, steps already
// tried, category, impact, urgency — and reads short answers (yes or no,
// skip, a level, a time). It masks passwords, tokens and keys before
// anything else sees the text, and spots the cues of requests made for
// someone else. It is pure: no store, no clock of its own, no state; every
// function is safe for concurrent use.
package extract

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Extraction holds what could be pulled from one chat message. Empty fields
// mean "not said", so the intake asks for them; nothing is guessed. Its
// JSON names are stored (a problem kept aside for later, in a
// conversation's state): keep them when renaming a field.
type Extraction struct {
	Device      string           `json:"device,omitempty"`       // normalized hardware the problem is about ("laptop", "printer"); "" if none
	App         string           `json:"app,omitempty"`          // normalized application or service ("VPN", "Outlook", "Wi-Fi"); "" if none
	Symptom     string           `json:"symptom,omitempty"`      // the problem sentence, cleaned of greetings, times and steps; "" if the message states no problem
	ErrorText   string           `json:"error,omitempty"`        // the error message verbatim: quoted text, text after "error:" or "it says", or an error code
	StartedAt   time.Time        `json:"started_at,omitzero"`    // when it first appeared, resolved against now; zero if unknown
	StartedText string           `json:"started_text,omitempty"` // the phrase that says when, e.g. "since this morning", "after the update"; set without StartedAt for an event
	Steps       []string         `json:"steps,omitempty"`        // steps already tried, as short normalized phrases ("rebooted", "cleared the cache")
	Category    tickets.Category `json:"category,omitempty"`     // "" if unclear
	Impact      tickets.Level    `json:"impact,omitempty"`       // who is affected; see impactRules; "" if no hint
	Urgency     tickets.Level    `json:"urgency,omitempty"`      // how much it stops work; see urgencyRules; "" if no hint
	Correction  bool             `json:"correction,omitempty"`   // the message corrects something said before ("actually ...", "sorry, I meant ...")
}

// maxExtractBytes bounds the analysis (and so its time, about 70 ms at the
// bound): a longer message is a pasted log, and the person's own words come
// first. Secrets are masked in the whole text all the same.
const maxExtractBytes = 8 << 10

// maxSymptomRunes keeps the symptom a one-line summary.
const maxSymptomRunes = 200

// Extract pulls every field it can from text; now resolves relative times.
// Secrets are masked first, so no field can carry one. It never panics and
// is safe for concurrent use: all package state is read-only.
func Extract(text string, now time.Time) Extraction {
	t, _ := MaskSecrets(cleanText(text))
	t = capBytes(t, maxExtractBytes)
	plain := blankOut(t, noiseRe) // greetings, thanks and @mentions say nothing about the problem
	cues := blankOut(plain, maskMarkerRe)

	var ex Extraction
	var impactSpans, urgencySpans [][]int
	ex.Impact, impactSpans = levelOf(impactRules, cues)
	ex.Urgency, urgencySpans = levelOf(urgencyRules, cues)
	ex.Correction = correctionStartRe.MatchString(cues) || correctionRe.MatchString(cues)
	quotes := quoteSpans(t)
	ex.ErrorText = errorTextOf(t, quotes)
	whens := findWhen(cues, now)
	if len(whens) > 0 {
		ex.StartedAt = whens[0].t
		ex.StartedText = strings.TrimSpace(t[whens[0].start:whens[0].end])
	}
	// An event ("since the last update") says when as well; with a time
	// phrase inside or beside it, the two are one answer.
	evStart, evEnd, event := startedEvent(cues)
	if event {
		switch {
		case len(whens) == 0:
			ex.StartedText = strings.TrimSpace(t[evStart:evEnd])
		case whens[0].start <= evEnd+1 && whens[0].end >= evStart-1:
			ex.StartedText = strings.TrimSpace(t[min(evStart, whens[0].start):max(evEnd, whens[0].end)])
		}
	}
	ex.StartedText = startedLabel(ex.StartedText)
	sents := segment(cues, quotes)
	steps := stepsOf(cues, sents)
	stepSpans := make([][]int, 0, len(steps))
	for _, s := range steps {
		if !slices.Contains(ex.Steps, s.name) {
			ex.Steps = append(ex.Steps, s.name)
		}
		stepSpans = append(stepSpans, []int{s.start, s.end})
	}
	meta := make([][]int, 0, len(whens)+len(urgencySpans))
	cut := make([][]int, 0, len(whens)+len(urgencySpans))
	for _, w := range whens {
		meta = append(meta, []int{w.start, w.end})
		cut = append(cut, []int{w.start, w.end})
	}
	if event {
		meta = append(meta, []int{evStart, evEnd})
		cut = append(cut, []int{evStart, evEnd})
	}
	meta = append(meta, urgencySpans...)
	cut = append(cut, urgencySpans...)
	meta = append(meta, outcomeRe.FindAllStringIndex(cues, -1)...)
	ex.Symptom = symptomOf(plain, cues, sents, steps, meta, impactSpans, cut)

	// The words of a step ("cleared the cache", "tried another network") are
	// not the problem, and a weak hint ("my laptop") only counts next to a
	// problem statement: "sorry, I meant my desktop" must not recategorize.
	problem := appsKept(blankSpans(cues, stepSpans, 0), cues, stepSpans)
	strong, weak := categoryOf(problem)
	ex.Category = strong
	if ex.Category == "" && ex.Symptom != "" {
		ex.Category = weak
	}
	// What follows a step is the step's outcome ("tried another network and
	// it works from my phone hotspot"), which names no broken hardware. For
	// apps and systems only the step's own clause is dropped: "tried
	// rebooting, didn't help, VPN still down" is about the VPN.
	// The outcome ends where a new problem starts: "changed my password
	// and now my phone's mail keeps asking for it" is about the phone.
	var toOutcomeEnd, toClauseEnd [][]int
	for _, sp := range stepSpans {
		for _, se := range sents {
			if sp[0] < se.start || sp[0] >= se.end {
				continue
			}
			end, inStep := se.end, false
			for _, cl := range se.clauses {
				if sp[0] >= cl.start && sp[0] < cl.end {
					toClauseEnd = append(toClauseEnd, []int{sp[0], cl.end})
					inStep = true
					continue
				}
				if inStep && cl.start >= sp[1] && isProblem(cues[cl.start:cl.end]) && !afterStepRe.MatchString(cues[cl.start:cl.end]) {
					end = cl.sep
					break
				}
			}
			toOutcomeEnd = append(toOutcomeEnd, []int{sp[0], end})
		}
	}
	// A clause that says something works names a workaround, not the
	// broken thing: "my phone works fine on the same network".
	var fine [][]int
	for _, se := range sents {
		for _, cl := range se.clauses {
			if fineRe.MatchString(cues[cl.start:cl.end]) {
				fine = append(fine, []int{cl.start, cl.end})
			}
		}
	}
	hardwareText := blankSpans(ownHardwareKept(blankSpans(cues, toOutcomeEnd, 0), cues, stepSpans), fine, 0)
	systemText := blankSpans(appsKept(blankSpans(cues, toClauseEnd, 0), cues, toClauseEnd), fine, 0)
	var suite bool
	ex.Device, ex.App, suite = devicesOf(hardwareText, systemText, ex.Category)
	if ex.Category == "" && ex.Symptom != "" {
		// No cue word, but a problem with a named app or device: the
		// app's category ("SolidWorks shows a blank model": software).
		ex.Category = cmp.Or(categoryOfName(ex.App), categoryOfName(ex.Device))
	}
	if ex.Category == "" && programFaultRe.MatchString(text) {
		// A stack trace or an exception names a program's fault, whatever
		// the program: software.
		ex.Category = tickets.CategorySoftware
	}
	ex.Category = appCategory(ex.Category, ex.App, cues)
	if suite && ex.Category != "" {
		ex.Category = tickets.CategorySoftware // the Office apps' common ground
	}
	return ex
}

// programFaultRe finds what only a failing program prints: an exception's
// class name (NullPointerException, System.IO.IOException, KeyError), a
// Python traceback, a segfault or a stack trace.
var programFaultRe = regexp.MustCompile(`\b[A-Z][A-Za-z0-9]*(?:Exception|Error)\b|\b[a-z][\w.]*\.[A-Z]\w*(?:Exception|Error)\b|Traceback \(most recent call last\)|(?i:\bsegmentation fault\b|\bcore dumped\b|\bstack ?trace\b)`)

// capBytes cuts s to at most n bytes, on a character boundary.
func capBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// cleanText makes text safe to slice and match: valid UTF-8, and control
// characters (other than newlines) turned into spaces.
func cleanText(text string) string {
	text = strings.ToValidUTF8(text, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r == '\n' {
			return r
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		if r == '’' {
			return '\'' // phones type "can’t"; one apostrophe keeps the patterns simple
		}
		return r
	}, text)
}

// blankOut replaces every match of re with spaces, or only its submatch groups
// when it has some, keeping byte offsets, so every view of the message
// lines up with the others.
func blankOut(s string, re *regexp.Regexp) string {
	ms := re.FindAllStringSubmatchIndex(s, -1)
	if len(ms) == 0 {
		return s
	}
	b := []byte(s)
	for _, m := range ms {
		for g := min(1, len(m)/2-1); g < len(m)/2; g++ {
			for i := m[2*g]; i >= 0 && i < m[2*g+1]; i++ {
				b[i] = ' '
			}
		}
	}
	return string(b)
}

// noiseRe finds greetings at the start of a sentence, @mentions and thanks;
// each submatch group is one of them (the punctuation before a greeting is
// outside the groups, as it ends the sentence before).
var noiseRe = regexp.MustCompile(`(?i)(?:^|[.!?\n]\s*)((?:hi+|hello+|helo|hey+|heya|hiya|yo|howdy|greetings|good (?:morning|afternoon|evening|day)|morning|gm|dear (?:it|helpdesk|help desk|support|team|all|sir|madam)|hallo|hola|bonjour|ciao|salut|namaste|hej|moin)(?:\s+(?:there|team|all|everyone|everybody|folks|guys|y'all|it|helpdesk|help desk|support|it team|it support|bot|friends|people|again))*\b[\s,!.:;-]*)` +
	`|((?:^|\s)@[\w.-]+|<@[A-Z0-9]+>)` +
	`|\b((?:thanks|thank (?:you|u)|thx|thnx|tia|cheers)(?:\s+(?:so much|a lot|in advance|again|all|everyone|everybody|team|guys|folks))*)\b` +
	`|\b(lol|lmao|rofl|haha+|hehe+|ugh+|argh+|sigh|omg|smh|fml)\b`)

// Corrections: a message that starts by taking something back, or says so
// anywhere in unambiguous words. "actually" mid-sentence is emphasis
// ("it actually crashes"), not a correction.
var (
	correctionStartRe = regexp.MustCompile(`(?i)^\W*(?:(?:oh|oops|ah|um+|uh+|hmm+|sorry|sry|ok|okay|no|nope)[\s,.!-]+)*(?:actually|correction|i meant|i mean|no wait|wait|scratch that|my bad|my mistake|let me correct|to clarify|typo)\b`)
	correctionRe      = regexp.MustCompile(`(?i)\b(?:correction\s*:|sorry,?\s+i meant|i meant|what i meant|scratch that|i misspoke|no wait|wait,? no\b|my mistake|i got (?:that|it) wrong|i was wrong)`)
)

// fineRe finds a clause saying something works, or is used while the
// broken thing is out ("using wifi in the meantime").
var fineRe = regexp.MustCompile(`(?i)\b(?:using \S+(?: \S+)? (?:in the meantime|meanwhile|instead|for now)|(?:in the meantime|meanwhile|for now),? (?:i'?m |i am |we'?re )?using|(?:works?|working|is|are|prints?|seems?|looks?)\s+(?:just\s+|perfectly\s+|completely\s+)?(?:fine|ok|okay|normally|great)|still works?|works? (?:with|on|from|via|over)|(?:is|are) (?:not affected|unaffected))\b`)

// outcomeRe finds the result of a step ("didn't help"): not a new symptom.
var outcomeRe = regexp.MustCompile(`(?i)\b(?:(?:didn'?t|did not|doesn'?t|does not|hasn'?t|has not|won'?t) (?:help|fix|change|solve|resolve|make (?:a|any) difference)(?: (?:it|anything|the (?:issue|problem)))?|no (?:luck|joy|dice|change|difference|improvement)|nothing (?:changed|helped|worked)|still nothing|to no avail|(?:same|identical) (?:thing|issue|problem|result|error|behaviou?r)(?: again)?|still the same)\b`)

// afterStepRe is an outcome only right after a step: "rebooted, it didn't
// work"; on its own, "it doesn't work" is the problem.
var afterStepRe = regexp.MustCompile(`(?i)^\W*(?:but |and |which |that |yet )?(?:it |that |this |still )*(?:didn'?t|did not|doesn'?t|does not|isn'?t|is not|not|still)\s*(?:work|working|broken|happening|failing|the same|good)?\b\W*$`)

// problemRe finds words that state a problem or a request.
var problemRe = regexp.MustCompile(`(?i)\b(?:can'?t|cant|cannot|can not|couldn'?t|could not|won'?t|wont|will not|doesn'?t|doesnt|does not|don'?t (?:work|load|open|connect|print|sync|show|appear|arrive|get|receive|see|have)|isn'?t|isnt|is not|aren'?t|arent|are not|wasn'?t|weren'?t|hasn'?t|haven'?t|didn'?t (?:arrive|come|work|load|install|print|sync|get|receive|show|open|connect|save|send)|not (?:working|loading|opening|connecting|syncing|printing|responding|turning|charging|showing|receiving|getting|accepted|accepting|recogni[sz]ed|detected|found|sending|updating|starting|booting|arriving|coming|able|allowed|available|connected|displaying|possible|picking|detecting|letting|going through)|unable|fail(?:s|ed|ing|ures?)?|errors?|broke|broken|crash\w*|freez\w*|froze|frozen|stuck|hang(?:s|ing)?|slow\w*|sluggish|drain(?:s|ing|ed)?|lag(?:s|gy|ging)?|keeps?|kept|dead|dies|died|crack\w*|flicker\w*|lock(?:ed)? out|locked|expired?|disconnect\w*|drops?|dropp(?:ing|ed)|denied|missing|lost|forgot\w*|trouble|issues?|access|junk|problems?|down|jam(?:s|med)?|out of (?:toner|paper|ink)|blue ?screen|bsod|overheat\w*|noisy|loud|no (?:sound|audio|signal|internet|display|power|connection|network|wi-?fi|access|video|picture|e-?mails?|response|image)|glitch\w*|buggy|bugs?|weird|wrong|blank|stopped|asking for|asks for|prompt(?:s|ing)? (?:me )?for|bounc\w*|spam|phishing|says|said|saying|shows|showing|displays|displaying|pops? up|popping up|disabled|suspended|invalid|incorrect|unreachable|offline|time[sd]? ?out|timeout|rejected|corrupt\w*|spill\w*|stolen|beep\w*|help with|need help|how (?:do|can|to) i|how to|where (?:do|can) i|install(?:ed|ing)?|set ?up|setup|reset|request(?:ing)?|add me|add us|access to|permissions?|would like|'d like|looking for|needs? (?:a|an|new|another|access|permission|to|my|the|some|more|admin|software)|can i (?:get|have)|upgrade|replace(?:ment)?|unlock|restore|recover|by itself|on its own|randomly|shut(?:s|ting)? (?:down|off)|(?:re-?start|re-?boot)(?:s|ing)|(?:nobody|no one|no-one|noone|none of us)(?: \w+){0,4} (?:can|could|is able))\b`)

// textSentence and textClause are byte ranges of the message. A clause's
// separator (", ", " and ") lies between sep and start.
type textClause struct{ sep, start, end int }
type textSentence struct {
	start, end int
	clauses    []textClause
}

var (
	sentenceEndRe = regexp.MustCompile(`[.!?]+["'”’»)]*(?:\s+|$)|\n+|[;]\s*|\s*[\p{So}\x{1F3FB}-\x{1F3FF}\x{FE0F}\x{200D}]+\s*`)
	clauseSepRe   = regexp.MustCompile(`(?i),\s*|\s+[-–—+&]+\s+|\s+(?:and|but|so|then|though|tho|although|however|plus|because|cause|cuz|yet|or|(?:even )?after|despite)\s+`)
)

// segment splits text into sentences and clauses, never inside a quote.
func segment(text string, quotes []quotedSpan) []textSentence {
	inQuote := func(i int) bool {
		for _, q := range quotes {
			if i > q.start && i < q.end {
				return true
			}
		}
		return false
	}
	var out []textSentence
	start := 0
	cut := func(end int) {
		if strings.TrimSpace(text[start:end]) != "" {
			out = append(out, textSentence{start: start, end: end})
		}
	}
	for _, m := range sentenceEndRe.FindAllStringIndex(text, -1) {
		if inQuote(m[0]) && !quoteEndsSentence(text, m[1]) {
			continue
		}
		cut(m[0])
		start = m[1]
	}
	cut(len(text))
	for i := range out {
		s := &out[i]
		cs := textClause{sep: s.start, start: s.start}
		for _, m := range clauseSepRe.FindAllStringIndex(text[s.start:s.end], -1) {
			a, b := s.start+m[0], s.start+m[1]
			if inQuote(a) || (text[a] == ',' && a > 0 && b < len(text) && isASCIIDigit(text[a-1]) && isASCIIDigit(text[b])) ||
				keyChord(text, a, b) {
				continue
			}
			cs.end = a
			s.clauses = append(s.clauses, cs)
			cs = textClause{sep: a, start: b}
		}
		cs.end = s.end
		s.clauses = append(s.clauses, cs)
	}
	return out
}

// keyNames are keys pressed together with "+": "Ctrl + F5", "Windows + P".
var keyNames = wordSet(`ctrl control alt shift fn win windows cmd command option opt super meta tab esc escape del
	delete enter return space home end ins insert pgup pgdn backspace`)

// keyChord reports whether the separator at text[a:b] is the "+" of keys
// pressed together, which separates no clauses: a key name on one side and
// a key name, an F-key or a single character on the other.
func keyChord(text string, a, b int) bool {
	sep := strings.TrimSpace(text[a:b])
	if sep != "+" {
		return false
	}
	before := strings.Fields(text[max(0, a-12):a])
	after := strings.Fields(text[b:min(len(text), b+12)])
	if len(before) == 0 || len(after) == 0 {
		return false
	}
	l := strings.ToLower(strings.Trim(before[len(before)-1], ".,;:!?()"))
	r := strings.ToLower(strings.Trim(after[0], ".,;:!?()"))
	isKey := func(w string) bool {
		return keyNames[w] || len([]rune(w)) == 1 || len(w) <= 3 && w[0] == 'f' && w[1:] != "" && strings.Trim(w[1:], "0123456789") == ""
	}
	return isKey(l) && isKey(r) && (keyNames[l] || keyNames[r])
}

// quoteEndsSentence reports whether a quote that closes with a full stop
// before i ends its sentence: a new sentence starts at i ('… failed." I've
// restarted'), not the same one going on ('… disabled." when I sign in').
func quoteEndsSentence(text string, i int) bool {
	before := strings.TrimRight(text[:i], " \t")
	last, _ := utf8.DecodeLastRuneInString(before)
	if i >= len(text) || !strings.ContainsRune(`"'”’»`, last) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return unicode.IsUpper(r)
}

func isASCIIDigit(b byte) bool { return b >= '0' && b <= '9' }

// symptomOf builds the symptom from the first sentence that states a
// problem. Clauses that only talk about steps, their outcome, time, impact or
// urgency are dropped; time and step phrases inside a kept clause are cut.
func symptomOf(plain, cues string, sents []textSentence, steps []stepHit, meta, impact, cut [][]int) string {
	prevStep := false
	for _, s := range sents {
		var b strings.Builder
		for _, c := range s.clauses {
			var own [][]int
			hasStep := false
			for _, st := range steps {
				if st.from < c.end && st.end > c.start {
					own = append(own, []int{max(st.from, c.start), min(st.end, c.end)})
					hasStep = true
				}
			}
			for _, m := range meta {
				if m[0] < c.end && m[1] > c.start {
					own = append(own, []int{max(m[0], c.start), min(m[1], c.end)})
				}
			}
			rest := blankSpans(cues[c.start:c.end], own, c.start)
			// Who is affected is meta too, but stays in the text: "nobody
			// can print" is the problem, "the whole team is affected" not.
			for _, m := range impact {
				if m[0] < c.end && m[1] > c.start {
					own = append(own, m)
				}
			}
			// After a step, "it didn't work" and any clause that states no
			// problem ("it works for an hour") are its outcome.
			problem := isProblem(rest)
			outcome := prevStep && (!problem || afterStepRe.MatchString(cues[c.start:c.end]))
			if outcome || (len(own) > 0 && !problem) {
				prevStep = hasStep || outcome
				continue
			}
			prevStep = hasStep
			// Keep the clause, minus its time, urgency and step phrases.
			var cutSpans [][]int
			for _, m := range cut {
				if m[0] >= c.start && m[1] <= c.end {
					cutSpans = append(cutSpans, m)
				}
			}
			for _, st := range steps {
				if st.from < c.end && st.end > c.start {
					cutSpans = append(cutSpans, []int{st.from, st.end})
				}
			}
			if b.Len() > 0 {
				b.WriteString(plain[c.sep:c.start])
			}
			b.WriteString(blankSpans(plain[c.start:c.end], cutSpans, c.start))
		}
		if sym := tidySymptom(b.String()); sym != "" && isProblem(blankOut(sym, maskMarkerRe)) {
			return sym
		}
	}
	return ""
}

// problemIntlRe finds the common ways German, Spanish, French, Italian,
// Portuguese and Dutch state a problem, so that a report's title is the
// sentence saying what is wrong ("no puedo conectarme a la VPN"), not the
// one that merely names an error.
var problemIntlRe = regexp.MustCompile(`(?i)(?:\bno (?:puedo|podemos|funciona|carga|abre|conecta|arranca|imprime|enciende|sincroniza|me deja|nos deja|recibo|llegan?)\b|\bfunciona mal\b|\bsin (?:conexión|internet|señal|acceso|sonido)\b|\bbloquead[oa]s?\b|\bse (?:cuelga|bloquea|cierra|congela)\b|\bnicht\b|\bkeine?n?\b|\bkaputt\b|\bgesperrt\b|\babgestürzt|\bstürzt\b|\bhängt\b|\bfehler\b|\bne\b[\p{L}' ]{1,40}\b(?:pas|plus)\b|\bn'[\p{L}]+\b[\p{L}' ]{0,30}\bpas\b|\bimpossible de\b|\bbloqué|\bplant(?:e\b|é)|\ben panne\b|\bnon (?:funziona|riesco|si (?:apre|avvia|connette)|posso)\b|\bbloccat[oa]\b|\bnão (?:consigo|funciona|abre|conecta|liga)\b|\bwerkt niet\b|\bkan (?:niet|geen)\b)`)

// isProblem reports whether s states a problem: problem words (English or
// the common ones of six other languages), or an error code ("Getting HTTP
// 503 on the portal").
func isProblem(s string) bool {
	if problemRe.MatchString(s) || problemIntlRe.MatchString(s) {
		return true
	}
	for _, re := range errorCodeRes {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// blankSpans returns s (which starts at offset base in the message) with the
// given message spans replaced by spaces.
func blankSpans(s string, spans [][]int, base int) string {
	if len(spans) == 0 {
		return s
	}
	b := []byte(s)
	for _, sp := range spans {
		for i := max(sp[0]-base, 0); i < min(sp[1]-base, len(b)); i++ {
			b[i] = ' '
		}
	}
	return string(b)
}

var (
	emojiCodeRe    = regexp.MustCompile(`:[a-z0-9_+-]{2,}:|(?:^|\s)[:;=8xX]-?[()DPpO/\\|3*]+(?:\s|$)`)
	symptomSpaceRe = regexp.MustCompile(`\s+`)
	spacePunctRe   = regexp.MustCompile(` ([,;:!?])`)
	leadNoiseRe    = regexp.MustCompile(`(?i)^(?:[\s,.!?:;–—-]+|olá(?:[\s,.!]|$)|(?:so|ok(?:ay)?|um+|uh+|hmm+|well|oh|also|and|but|btw|fyi|please|pls|plz|kindly|quick question|question|help|urgent|sorry(?: to bother(?: you)?)?|hope you(?:'re| are) (?:well|doing well)|actually|correction|i meant|i mean|no wait|wait|anyway|then|because|plus|or|hi|hey|hello|hola|ola|buenos días|buenas|hallo|guten (?:morgen|tag)|moin|servus|bonjour|salut|ciao|buongiorno|olá|bom dia|hoi|goedemorgen)\b|(?:issue|problem|subject|re)\s*:)+`)
	tailNoiseRe    = regexp.MustCompile(`(?i)(?:[\s,;:.!?–—-]+|\b(?:please|pls|plz|help|help me|any ideas?|and|but|so|also|too|again|then|because|or)\b)+$`)
)

// errorLeadRe is the sentence that only announces an error ("Here is the
// full error:", "I get this message:"): a title starts after it, with the
// error itself. stackFrameRe2 is a stack frame ("at com.acme.Run(Run.java:42)"),
// which no title needs.
var (
	errorLeadRe   = regexp.MustCompile(`(?i)^(?:here(?:'s| is| are)|this is|i(?:'m| am)? (?:get(?:ting)?|got|see(?:ing)?|receiv(?:e|ing))|(?:we|they)(?:'re| are)? (?:get(?:ting)?|see(?:ing)?)|getting|seeing)\s+(?:the|my|a|an|this|that|these|following)?\s*(?:full |whole |complete |exact |same |following )?(?:error|message|log|output|stack ?trace|exception|popup|pop-up)s?(?: messages?| text)?\s*(?:below|again)?\s*[:-]\s*`)
	stackFrameRe2 = regexp.MustCompile(`\s+at\s+[\w.$<>]+\([^()]*\)`)
)

// tidySymptom removes emoji, leading filler and trailing punctuation and
// keeps the result short.
func tidySymptom(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.So, r) || r == '\uFE0F' || r == '\u200D' || r == '\uFFFD' || (r >= 0x1F000 && r <= 0x1FAFF) {
			return ' '
		}
		return r
	}, s)
	s = emojiCodeRe.ReplaceAllString(s, " ")
	s = strings.TrimSpace(symptomSpaceRe.ReplaceAllString(s, " "))
	s = spacePunctRe.ReplaceAllString(s, "$1")
	s = leadNoiseRe.ReplaceAllString(s, "")
	s = errorLeadRe.ReplaceAllString(s, "")
	s = symptomSpaceRe.ReplaceAllString(stackFrameRe2.ReplaceAllString(s, " "), " ")
	s = tailNoiseRe.ReplaceAllString(s, "")
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > maxSymptomRunes {
		r := []rune(s)[:maxSymptomRunes]
		if i := strings.LastIndexByte(string(r), ' '); i > maxSymptomRunes/2 {
			return string(r)[:i] + "…"
		}
		return string(r) + "…"
	}
	return s
}
