package extract

import (
	"regexp"
	"strings"
)

// Steps said in words no stepRule knows: "re-enrolled twice", "tried a
// different dock", "checked the toner, it's full", "ya reinicié el
// ordenador". A clause whose verb is a troubleshooting action in the past
// (or "tried …"), done by the person ("I", "we", nobody named, "already"),
// is a step; the step is the clause from its verb, as the person put it.

// stepVerbRe is a troubleshooting action in the past tense or "tried":
// English, then Spanish (first person preterite), French (passé composé)
// and German (participle).
var stepVerbRe = regexp.MustCompile(`(?i)^(?:` +
	`tried|attempted|re-?[a-z]+(?:ed|t)|restarted|rebooted|checked|cleared|swapped|replaced|updated|reset|rebuilt|opened|closed|` +
	`unplugged|plugged|logged|signed|turned|switched|changed|deleted|removed|disabled|enabled|ran|followed|looked|searched|` +
	`tested|selected|created|renamed|moved|installed|uninstalled|called|repaired|charged|connected|disconnected|cleaned|` +
	`wiped|toggled|power-?cycled|killed|quit|force-?quit|downgraded|upgraded|synced|refreshed|reloaded|rolled|applied|verified|` +
	`confirmed|emptied|flushed|paired|unpaired|tightened|reseated|googled|contacted` +
	`)\b|^(?:` + foreignStepVerbs + `)(?:\s|$|[,.;:!?])`)

// foreignStepVerbs are the same actions in Spanish (first person
// preterite), French (participle) and German (participle).
const foreignStepVerbs = `reinici[eé]|cerr[eé]|prob[eé]|intent[eé]|borr[eé]|reinstal[eé]|actualic[eé]|desinstal[eé]|comprob[eé]|revis[eé]|cambi[eé]|apagu[eé]|limpi[eé]|` +
	`redémarré|réinstallé|essayé|vérifié|supprimé|effacé|relancé|testé|vidé|désinstallé|` +
	`neu gestartet|neugestartet|neu installiert|ausprobiert|versucht|geprüft|gelöscht|aktualisiert|getestet`

// foreignStepRe finds such a step anywhere in a clause after "already" or
// "I have": German puts the object first ("Laptop schon neu gestartet").
var foreignStepRe = regexp.MustCompile(`(?i)(?:^|\s)(?:ya|déjà|schon|bereits|j'ai|habe|hab)\s(?:[^.,;!?]{0,40}?\s)?(?:` + foreignStepVerbs + `)(?:\s|$|[,.;:!?])`)

// gerundStepRe is a step told as the subject of its outcome: "logging out
// and back in didn't help", "restarting it works".
var gerundStepRe = regexp.MustCompile(`(?i)^(?:[a-z]+ing)\b[^.;!?]{0,60}?\s(?:didn'?t|did not|doesn'?t|does not|won'?t) (?:help|fix|work|change)|^(?:re-?[a-z]+ing|restarting|rebooting|clearing|closing|logging|signing|turning|switching|clicking)\b[^.;!?]{0,60}?\s(?:works|helps|fixes it)\b`)

// stepOutcomeRe is where a step phrase ends: its outcome or a coda.
var stepOutcomeRe = regexp.MustCompile(`(?i)\s+(?:which|that|but|and it|and that|it)\s+(?:works|worked|helps|helped|fixed|didn'?t|did not|doesn'?t|does not|still|is|was)\b.*$|\s+(?:didn'?t|did not|doesn'?t|does not|won'?t) (?:help|fix|work|change)\b.*$|\s+(?:works|helps|fixes it)\b.*$|\s+(?:already|too|again|as well|once|,\s*same)\s*$`)

// stepLead are the words that may stand before the verb of a step: its
// subject and time, in the languages above.
var stepLead = wordSet(`i we i've ive we've weve i'd have has had already also even just then and so both first
	yes yeah ok okay obviously again ya yo también je j'ai j'ai déjà déjà aussi on a nous avons ich habe hab wir haben schon bereits auch
	mal einmal twice once`)

// stepNotAfter are clause separators that make the clause an event, not
// a step: "started after I updated", "since I changed my password".
var stepNotAfterRe = regexp.MustCompile(`(?i)\b(?:after|since|because|cause|cuz|when|before|until|till|if)\s*$`)

// maxStepRunes keeps a step phrase short.
const maxStepRunes = 80

// moreSteps finds the steps of the clauses of sents that no stepRule
// found (have holds the spans already found), in the words of text.
func moreSteps(text string, sents []textSentence, have []stepHit) []stepHit {
	var out []stepHit
	for _, se := range sents {
		for _, cl := range se.clauses {
			if overlaps(have, cl.start, cl.end) || overlaps(out, cl.start, cl.end) {
				continue
			}
			if eventClause(text, cl) {
				continue
			}
			if m := gerundStepRe.FindStringIndex(text[cl.start:se.end]); m != nil {
				if phrase := tidyStep(text[cl.start : cl.start+m[1]]); phrase != "" {
					out = append(out, stepHit{start: cl.start, end: cl.start + m[1], from: cl.start, name: phrase})
				}
				continue
			}
			if m := foreignStepRe.FindStringIndex(text[cl.start:cl.end]); m != nil {
				if phrase := tidyStep(text[cl.start:cl.end]); phrase != "" {
					out = append(out, stepHit{start: cl.start, end: cl.end, from: cl.start, name: phrase})
				}
				continue
			}
			words := stepWordRe.FindAllStringIndex(text[cl.start:cl.end], -1)
			for i, w := range words {
				at := cl.start + w[0]
				if m := stepVerbRe.FindStringIndex(text[at:cl.end]); m != nil {
					end := stepEnd(text, se, cl)
					phrase := tidyStep(text[at:end])
					if phrase != "" && !falseStepRe.MatchString(text[at:cl.end]) {
						out = append(out, stepHit{start: at, end: end, from: cl.start, name: phrase})
					}
					break
				}
				if !stepLead[strings.ToLower(text[cl.start+w[0]:cl.start+w[1]])] || i > 4 {
					break
				}
			}
		}
	}
	return out
}

// falseStepRe are verbs of the list used for what the machine did: "reset
// itself", "changed overnight", "updated automatically".
var falseStepRe = regexp.MustCompile(`(?i)^\w+\s+(?:itself|by itself|on its own|automatically|overnight)\b`)

// eventClause reports whether clause cl tells what happened before the
// problem ("… after I updated the driver"), not what the person tried.
func eventClause(text string, cl textClause) bool {
	sep := text[cl.sep:cl.start]
	return stepNotAfterRe.MatchString(sep) && !strings.HasSuffix(strings.ToLower(strings.TrimSpace(sep)), "even after")
}

func overlaps(hits []stepHit, start, end int) bool {
	for _, h := range hits {
		if h.start < end && h.end > start {
			return true
		}
	}
	return false
}

// stepEnd is where the step of clause cl ends: at the clause's end, or
// past a short next clause joined by "and" that names no outcome ("tried
// Chrome and Edge", "turned it off and on").
func stepEnd(text string, se textSentence, cl textClause) int {
	for i, c := range se.clauses {
		if c.start != cl.start || i+1 == len(se.clauses) {
			continue
		}
		next := se.clauses[i+1]
		sep := strings.ToLower(strings.TrimSpace(text[next.sep:next.start]))
		words := strings.Fields(text[next.start:next.end])
		if sep == "and" && len(words) > 0 && len(words) <= 4 && !isProblem(text[next.start:next.end]) && !stepSubjectRe.MatchString(text[next.start:next.end]) {
			return next.end
		}
	}
	return cl.end
}

// stepSubjectRe starts a clause with its own subject or outcome: not a
// continuation of the step before.
var stepSubjectRe = regexp.MustCompile(`(?i)^(?:it|that|this|he|she|they|i|we|you|nothing|same|works?|worked|no)\b`)

// stepTriedRe is a step's own "tried (to)" in front of what was tried.
var stepTriedRe = regexp.MustCompile(`(?i)^(?:i\s+)?(?:already\s+|also\s+)?tried\s+(?:to\s+)?`)

// tidyStep trims a step phrase and keeps it short.
func tidyStep(s string) string {
	s = stepOutcomeRe.ReplaceAllString(strings.TrimSpace(s), "")
	s = strings.Trim(strings.TrimSpace(s), " ,.;:!?-–—()")
	// The field is already called "Tried": "tried starting it in safe
	// mode" reads as "Tried: tried starting…" there.
	if rest := stepTriedRe.ReplaceAllString(s, ""); rest != s && strings.TrimSpace(rest) != "" {
		s = rest
	}
	if r := []rune(s); len(r) > maxStepRunes {
		s = string(r[:maxStepRunes])
		if i := strings.LastIndexByte(s, ' '); i > maxStepRunes/2 {
			s = s[:i]
		}
		s += "…"
	}
	return s
}
