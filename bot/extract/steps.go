package extract

import (
	"regexp"
	"sort"
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
	if anaphoricStepRe.MatchString(s) {
		return "" // "tried that yesterday": what "that" was is said elsewhere
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

// anaphoricStepRe is a step that only points at something said before:
// "that", "it again", "that yesterday", "everything".
var anaphoricStepRe = regexp.MustCompile(`(?i)^(?:that|this|it|those|these|everything|all of (?:that|them|those)|all that|the same)(?:\s+(?:again|already|too|also|yesterday|today|before|earlier|twice|(?:a )?(?:few|couple of|\d+) times))*$`)

// stepRule normalizes one kind of step already tried. Specific rules come
// first ("restarted Outlook" before "restarted").
type stepRule struct {
	re   *regexp.Regexp
	name string
}

const stepApps = `app|application|program|client|browser|outlook|teams|excel|word|powerpoint|zoom|chrome|edge|firefox|slack|acrobat|vpn client|globalprotect|anyconnect`

var stepRules = []stepRule{
	{cueRx(`(?:re-?start(?:ed|ing)?|relaunch(?:ed|ing)?|re-?open(?:ed|ing)?) (?:the |my )?(?:` + stepApps + `)|(?:force[- ]?)?(?:quit|closed?|closing|quitting|killed) (?:it |the app |` + stepApps + ` )?and re-?(?:open|launch|start)(?:ed|ing)?(?: it)?`), "restarted the app"},
	{cueRx(`(?:re-?install(?:ed|ing)?|updat(?:ed|ing)|roll(?:ed|ing) back) (?:the |my |all )?(?:\w+ )?drivers?|rolled back (?:the )?driver`), "updated the drivers"},
	{cueRx(`(?:uninstall(?:ed|ing)? and )?re-?install(?:ed|ing)?(?: (?:it|the \w+|my \w+|` + stepApps + `))?|removed and re-?installed`), "reinstalled the app"},
	{cueRx(`(?:ran|run|running|did|tried) (?:an? )?(?:office |online |quick )?repair|repair(?:ed|ing) (?:the )?(?:office|app|application|outlook|install(?:ation)?)`), "repaired the app"},
	{cueRx(`(?:re-?boot(?:ed|ing)?|re-?start(?:ed|ing)?|power[- ]?cycl(?:ed|ing)|hard reset|(?:turn|switch)(?:ed|ing) (?:it |the \w+ )?off and (?:on )?(?:again|back on)|shut (?:it )?down and (?:turned it |started it )?(?:back )?on|held the power button|(?:reboot|restart)s?)(?: (?:it|the \w+|my \w+))?`), "rebooted"},
	{cueRx(`(?:clear(?:ed|ing)?|delet(?:ed|ing)|empt(?:ied|ying)|wip(?:ed|ing)) (?:out )?(?:the |my |all )?(?:browser |teams |outlook |chrome |edge )?(?:cache|cookies|cache and cookies|browsing data|history)`), "cleared the cache"},
	{cueRx(`(?:reset|re-set|resetting|changed|changing) (?:my |the |our )?(?:\w+ )?password`), "reset the password"},
	{cueRx(`(?:check(?:ed|ing)?|re-?seat(?:ed|ing)?|re-?plug(?:ged|ging)?|swapp?(?:ed|ing)|replac(?:ed|ing)|tried (?:a|another|a different|different|new|other)) (?:all )?(?:the |my |a |all )?(?:\w+ )?(?:cables?|connections?|cords?|plugs?)|unplug(?:ged|ging)? (?:it |everything |the \w+ )?and (?:re-?)?plug(?:ged|ging)?(?: (?:it|everything|them))?(?: back)?(?: in)?|plugged (?:it|everything|them) back in|re-?plugged|re-?seated`), "checked the cables"},
	{cueRx(`(?:tried|trying|switched to|switching to|used|using|connected to|connecting to|tested on) (?:another|a different|different|other|my|a|the guest|my phone'?s?|a mobile|my mobile|my home) (?:network|wi-?fi|wifi|hotspot|connection)|(?:switched|changed) networks|tether(?:ed|ing)`), "tried another network"},
	{cueRx(`forg(?:ot|et|etting) (?:the )?(?:wi-?fi |wifi |wireless )?network`), "forgot the network"},
	{cueRx(`(?:tried|trying|used|using|switched to) (?:another|a different|different|other) browser|(?:tried|trying|used|using|in) (?:an )?(?:incognito|private (?:window|mode|browsing))(?: mode| window)?`), "tried another browser"},
	{cueRx(`(?:tried|trying|used|using|tested|testing)(?: it)? (?:on |with |from )?(?:another|a different|different|other|a colleague'?s?|my colleague'?s?|a coworker'?s?) (?:laptop|computer|pc|machine|device|phone|desk|workstation)`), "tried another device"},
	{cueRx(`(?:tried|trying|used|switched to|plugged (?:it )?into|moved (?:it )?to) (?:another|a different|different|other) (?:usb |usb-c |hdmi )?(?:port|socket|outlet)`), "tried another port"},
	{cueRx(`(?:replac|chang|swapp?)(?:ed|ing) (?:the )?(?:toner|cartridge|ink)`), "replaced the toner"},
	{cueRx(`(?:tried|put in|replac(?:ed|ing)|chang(?:ed|ing)|swapp?(?:ed|ing)) (?:the )?(?:new |fresh )?batter(?:y|ies)`), "replaced the batteries"},
	{cueRx(`(?:clear|remov)(?:ed|ing) (?:the )?(?:paper )?jam`), "cleared the paper jam"},
	{cueRx(`(?:clear|cancel|delet)(?:ed|ing) (?:the |all )?(?:print )?(?:queue|jobs|print jobs)`), "cleared the print queue"},
	{cueRx(`(?:ran|run|running|tried) (?:the )?(?:\w+ )?troubleshooter|(?:ran|run) (?:the )?diagnostics?`), "ran the troubleshooter"},
	{cueRx(`(?:ran|run|running|installed|installing|applied|did) (?:the |all )?(?:windows |latest |pending |available |all )?updates?|updated (?:windows|the os|macos|everything|it|the app|the software|teams|outlook|zoom|chrome)|checked for updates`), "installed updates"},
	{cueRx(`(?:sign(?:ed|ing)?|log(?:ged|ging)?) (?:out|off) and (?:back )?(?:in|on)(?: again)?|re-?logged|re-?login|logged back in|signed back in|(?:signed|logged) out`), "signed out and back in"},
	{cueRx(`re-?connect(?:ed|ing)|disconnect(?:ed|ing)? and re-?connect(?:ed|ing)?|connected again`), "reconnected"},
	{cueRx(`charg(?:ed|ing) (?:it|the laptop|the battery|overnight)|left it (?:charging|on (?:the )?charge|plugged in)|plugged (?:it )?in(?:to)? (?:the )?(?:charger|power)`), "charged it"},
	{cueRx(`re-?pair(?:ed|ing)|un-?pair(?:ed|ing)? and (?:re-?)?pair(?:ed|ing)?`), "re-paired the device"},
	{cueRx(`flush(?:ed|ing)? (?:the )?dns|ipconfig\s*/(?:flushdns|release|renew)`), "flushed DNS"},
	{cueRx(`re-?(?:register|enrol|enroll|add)(?:ed|ing|led)? (?:my |the )?(?:mfa|2fa|authenticator|okta verify)`), "re-registered MFA"},
	{cueRx(`(?:delet|remov)(?:ed|ing) (?:the |my )?(?:\w+ )?account and re-?add(?:ed|ing)?(?: it)?|re-?added (?:the |my )?(?:\w+ )?account`), "re-added the account"},
	{cueRx(`(?:followed|read|tried|checked|went through) (?:the |your )?(?:kb|knowledge ?base|wiki|guide|article|instructions|docs?|documentation|faq)(?: article| page)?`), "followed the KB article"},
}

// stepFiller are the words allowed between a clause start and a step: who
// did it and when ("I already", "we've also tried", "even after a"). Any
// other word means someone or something else did it: "my laptop restarted
// by itself", "it keeps rebooting", "should I reboot?".
var stepFiller = wordSet(`i we i've ive we've weve i'd have has had already also even just tried try
		trying attempted after then and but so both a an to again yes yeah yep ok okay first did done obviously
		of course definitely despite plus as well the my our i've i also multiple several couple times`)

// stepHit is a step found at text[start:end]; from extends it back over the
// filler before it, which goes with it when the symptom drops the step.
type stepHit struct {
	start, end, from int
	name             string
}

var stepWordRe = regexp.MustCompile(`[\p{L}\p{N}']+`)

// stepsOf finds the steps in text, in order, using the clauses to decide
// who did them.
func stepsOf(text string, sents []textSentence) []stepHit {
	c := newClaimer(text)
	var hits []stepHit
	for _, r := range stepRules {
		for _, m := range c.claim(r.re, text) {
			hits = append(hits, stepHit{start: m[0], end: m[1], name: r.name})
		}
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].start < hits[j].start })
	var out []stepHit
	lastEnd := -1
	for _, h := range hits {
		cl, ok := clauseAt(sents, h.start)
		if !ok || eventClause(text, cl) {
			continue
		}
		from := cl.start
		if lastEnd > from && lastEnd <= h.start {
			from = lastEnd
		}
		filler := true
		for _, w := range stepWordRe.FindAllString(text[from:h.start], -1) {
			if !stepFiller[strings.ToLower(w)] {
				filler = false
				break
			}
		}
		if !filler {
			continue
		}
		h.from = from
		out = append(out, h)
		lastEnd = h.end
	}
	if more := moreSteps(text, sents, out); len(more) > 0 {
		out = append(out, more...)
		sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	}
	return out
}

// clauseAt finds the clause holding byte i.
func clauseAt(sents []textSentence, i int) (textClause, bool) {
	k := sort.Search(len(sents), func(k int) bool { return sents[k].end > i })
	if k == len(sents) || sents[k].start > i {
		return textClause{}, false
	}
	for _, c := range sents[k].clauses {
		if i >= c.start && i < c.end {
			return c, true
		}
	}
	return textClause{}, false
}
