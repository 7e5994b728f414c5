package extract

import (
	"regexp"
	"strings"
)

// A service request often answers its own questions: "read-only access
// to the Finance share, approved by Ana, for the audit". RequestFields
// reads those answers by the field names of the default catalog, so the
// desk asks only for what is missing. Each reading is a pattern of the
// phrase that introduces the answer; a value is kept as the person wrote
// it.

// RequestFields returns what text says for the catalog fields it can
// read: person, start_date, role, manager, item, reason, location,
// software, device, system, level and approver. ex is Extract's reading
// of text, whose app names the software or system asked for. A field not
// said is absent.
func RequestFields(text string, ex Extraction) map[string]string {
	t, _ := MaskSecrets(cleanText(text))
	if len(t) > maxExtractBytes {
		t = t[:maxExtractBytes]
	}
	out := map[string]string{}
	for _, r := range requestFieldRules {
		if _, ok := out[r.field]; ok {
			continue
		}
		if m := r.re.FindStringSubmatch(t); m != nil {
			v := m[len(m)-1]
			for i := len(m) - 1; i > 0 && v == ""; i-- {
				v = m[i]
			}
			if v = tidyField(v); v != "" && !(r.field == "system" && IsHardware(v)) { // "rights on my laptop": no system
				out[r.field] = v
			}
		}
	}
	// The device field is the intake's device too, which names the kind
	// of hardware: "my iPad" is kept as "tablet (my iPad)".
	if v, ok := out["device"]; ok {
		if kind := hardwareKind(v); kind != "" && !strings.Contains(strings.ToLower(v), strings.ToLower(kind)) {
			out["device"] = kind + " (" + v + ")"
		}
	}
	// The app named is what a software or access request is for.
	if _, ok := out["software"]; !ok && ex.App != "" && softwareAskRe.MatchString(t) {
		out["software"] = ex.App
	}
	if _, ok := out["system"]; !ok && ex.App != "" && accessAskRe.MatchString(t) {
		out["system"] = ex.App
	}
	return out
}

type fieldRule struct {
	field string
	re    *regexp.Regexp
}

const (
	nameRx  = `([A-Z][\p{L}'’-]+(?:\s+(?:van |de |von |da )?[A-Z][\p{L}'’-]+){0,2})`
	dayRx   = `(?:on )?(?:(?:next |this )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?: (?:the )?\d{1,2}(?:st|nd|rd|th)?)?|the \d{1,2}(?:st|nd|rd|th)|\d{1,2}(?:st|nd|rd|th)? (?:of )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w* \d{1,2}(?:st|nd|rd|th)?|next week|next month|tomorrow|today|\d{4}-\d\d-\d\d|\d{1,2}/\d{1,2}(?:/\d{2,4})?)`
	roleRx  = `((?:[A-Z][\w&/-]*\s+){0,4}(?:Engineer|Manager|Executive|Analyst|Designer|Developer|Assistant|Director|Lead|Consultant|Specialist|Coordinator|Accountant|Officer|Intern|Administrator|Architect|Representative|Associate|Scientist|Technician|Advisor|Recruiter|Partner|Controller|Planner|Buyer|Agent)(?:\s*\([^)]{2,40}\))?)`
	untilRx = `(?:[.;!?\n]|\s+(?:please|pls|plz|thanks|asap)\b|$)`
)

var requestFieldRules = []fieldRule{
	// new_account
	{"person", regexp.MustCompile(`(?:new (?:hire|starter|joiner|employee|team member|colleague)|account|setup|login)\s*(?:needed\s+)?(?:for\s+|[(:–—-]\s*)` + nameRx)},
	{"person", regexp.MustCompile(`(?:^|[.!?]\s+|👋\s*|,\s*|:\s*)` + nameRx + `\s+(?:starts|is starting|will start|joins|is joining|will join|begins)\b`)},
	{"person", regexp.MustCompile(`(?i:new (?:hire|starter|joiner|employee))[^.\n]{0,20}?[–—:-]\s*` + nameRx)},
	// "new starter on Monday, Jane Doe, needs a laptop": the name set off
	// by commas, then what they need or when they start.
	{"person", regexp.MustCompile(`(?i:new (?:hire|starter|joiner|employee))[^.\n,]{0,25},\s*` + nameRx + `\s*(?:,|\b(?i:needs|will need|starts|joins|is starting)\b)`)},
	{"start_date", regexp.MustCompile(`(?i)\b(?:starts?|starting|joins?|joining|begins?|first day(?: is)?)\s+(?:with us\s+|work\s+)?` + `(` + dayRx + `)`)},
	{"start_date", regexp.MustCompile(`(?i)\bnew (?:starter|hire|joiner)\s+(next week|next month|tomorrow|on \w+day)`)},
	{"role", regexp.MustCompile(`\bas (?:an? |our |the )?` + roleRx)},
	{"role", regexp.MustCompile(`[A-Z][\p{L}'-]+ [A-Z][\p{L}'-]+,\s+` + roleRx)},
	{"manager", regexp.MustCompile(`(?i:reporting to|reports to|(?:line )?manager (?:is|will be)|manager:)\s+` + nameRx)},
	// hardware and software
	{"location", regexp.MustCompile(`(?i)\b((?:at |to )?desk\s+[\w.-]*\d[\w.-]*(?:\s+in\s+(?:building\s+)?[A-Z]?\w+)?|(?:in|on|at) the [\w-]+(?: [\w-]+)? (?:area|room) on the \w+ floor|on the \d+(?:st|nd|rd|th) floor|(?:to|at) the [A-Z]\w+ office)`)},
	{"device", regexp.MustCompile(`\b((?:(?i:laptop|notebook|macbook|desktop|computer|workstation|pc|tablet|phone)\s+)?(?:LT|PC|NB|WS|DT|MAC|LAP|DESK)-[A-Z0-9-]*\d[A-Z0-9-]*)\b`)},
	{"device", regexp.MustCompile(`(?i)\bon (my (?:new |work |old )?(?:laptop|macbook(?: pro| air)?|pc|desktop|computer|workstation|ipad|iphone|phone|tablet))\b`)},
	// access
	{"level", regexp.MustCompile(`(?i)\b(read[- ]only|read(?:[- ]and[- ]write)? access|view[- ]only|viewer|editor|edit (?:rights|access|permissions?)|write access|contributor|publisher|owner|full access(?: \+ send as)?|full control|send as|local admin(?: rights)?|admin(?:istrator)?(?: rights| access)?|member)\b(?:\s+(?:access|rights|permissions?))?`)},
	{"level", regexp.MustCompile(`(?i)\b(same (?:permissions|access|rights) as \w+)`)},
	{"level", regexp.MustCompile(`(?i)\b(?:need|want|have) to (edit|view|read|write|publish|approve)\b`)},
	{"level", regexp.MustCompile(`(?i)\b(?:en |accès en )(lecture(?: seule)?|écriture)|\b(solo lectura|lectura|escritura)\b|\b(Lesezugriff|Schreibzugriff|nur lesen)\b`)},
	{"approver", regexp.MustCompile(`(?i:approved by|approver(?: is|:)?|ok'?d by|okayed by|signed off by|authori[sz]ed by|sign-?off from)\s+` + nameRx)},
	{"approver", regexp.MustCompile(`(?i:my (?:line )?(?:manager|boss|lead|supervisor))\s*(?:[(,]\s*)?` + nameRx + `\s*[),]?\s*(?i:approved|ok'?d|okayed|signed off|agreed|has approved|is ok with|is fine with|said (?:ok|yes))`)},
	{"approver", regexp.MustCompile(`(?i)\b(my (?:line )?(?:manager|boss|lead|supervisor))\s+(?:already\s+|has\s+)?(?:approved|ok'?d|okayed|signed off|agreed|is ok with it|said (?:ok|yes))`)},
	{"approver", regexp.MustCompile(`(?i:mon responsable|ma responsable|mi (?:jefe|jefa|responsable)|mein(?:e)? (?:chef|chefin|vorgesetzter?))[, ]+(?:M\.\s*|Mme\s*)?` + nameRx + `[, ]+(?i:est d'accord|a approuvé|lo aprobó|ha aprobado|hat zugestimmt)`)},
	{"approver", regexp.MustCompile(`\b` + nameRx + `\s+(?:approved|ok'?d|okayed|signed off on) (?:it|this|the request)`)},
	{"approver", regexp.MustCompile(`(?i:i'?m|i am) (?i:his|her|their|the) (?i:line )?(?i:manager|boss|lead)\s*[(,]\s*` + nameRx)},
	{"approver", regexp.MustCompile(`(?i)\b((?:i'?m|i am) (?:his|her|their|the) (?:line )?(?:manager|boss|lead))\b`)},
	// why, for any request
	{"reason", regexp.MustCompile(`(?i)\b(?:i need (?:it|this|them|access|the access) (?:for|to)|(?:it'?s|it is|this is) (?:for|needed for)|need(?:ed)? it for|so (?:that )?(?:i|we|he|she|they) can|in order to|because|j'en ai besoin pour|lo necesito para|ich brauche (?:es|das) für)\s+((?:[^.;!?\n]|\.\d){3,120})`)},
	{"reason", regexp.MustCompile(`(?i)(?:[.!?]\s+|—\s*|,\s*)(?:i'?m|i am|we'?re|we are) ((?:building|working on|preparing|doing|taking over|covering|running|planning|moving|joining|starting)\b(?:[^.;!?\n]|\.\d){3,120})`)},
	{"reason", regexp.MustCompile(`(?i)(?:[.!?]\s+|,\s*)((?:he|she|they)(?:'s| is|'re| are) (?:taking over|covering|working on|joining|starting|moving)\b(?:[^.;!?\n]|\.\d){3,120})`)},
	{"reason", regexp.MustCompile(`(?i)\b(?:for|to) ((?:the |our |a )?(?:new |upcoming |monthly |quarterly |weekly |annual )?[\w-]+ (?:project|audit|report(?:ing)?|presentation|migration|launch|onboarding|review|workshop|training|campaign|analysis|planning|contracts?|workbooks?|dashboards?|work|tasks|meetings|calls))\b`)},
	{"reason", regexp.MustCompile(`(?i)\bneed(?:ed)? (?:it |this )?(?:for|to) ((?:edit|sign|view|build|prepare|review|join|plan|run|manage|approve|process|handle|create|update|work on|design|draw|record|present)\b(?:[^.;!?\n]|\.\d){3,120})`)},
	{"reason", regexp.MustCompile(`(?i)\bi (?:want|need) to ((?:edit|sign|view|build|prepare|review|join|plan|run|manage|approve|process|handle|create|update|work on|design|draw|record|present)\b(?:[^.;!?\n]|\.\d){3,120})`)},
	{"reason", regexp.MustCompile(`(?i)(?:[.!?]\s+|,\s*)((?:some of )?(?:our|my|the) [\w -]{2,30} (?:only use|use|moved to|switched to|asked|need|requires?)\b(?:[^.;!?\n]|\.\d){2,120})`)},
	{"reason", regexp.MustCompile(`(?i)(?:[.!?]\s+|,\s*)(\w+(?: \w+)? (?:asked|told|requires?|wants?) (?:me|us|all|everyone|every)\b(?:[^.;!?\n]|\.\d){2,120})`)},
	{"reason", regexp.MustCompile(`(?i)\b(?:rights|access|permissions?)(?: on [^.,;!?\n]{1,30})? to ((?:install|run|use|edit|view|manage|update|configure|test|debug|deploy)\b(?:[^.;!?\n]|\.\d){3,120})`)},
	{"reason", regexp.MustCompile(`(?i)^\W*((?:my|our|the) [\w -]{2,30} (?:died|broke|is broken|stopped working|is dead|is too old|is \d+ years old|is frayed|cracked)(?:[^.,;!?(\n]|\.\d){0,80})`)},
	{"reason", regexp.MustCompile(`(?i)(?:[.!?]\s+|,\s*)((?:i|we) (?:moved|switched|changed|joined) (?:to|desks?|teams?|roles?|offices?|\w+)\b(?:[^.;!?\n]|\.\d){2,120})`)},
	{"reason", regexp.MustCompile(`(?i)(?:,\s*)((?:mine|my old one|the old one|it) (?:is|was|has|keeps|broke|died)\b(?:[^.;!?\n]|\.\d){2,120})`)},
	// what and where to, for access requests
	{"system", regexp.MustCompile(`(?i)\b(?:access|permissions?|rights) (?:to|on|for) (?:the )?([^.,;!?\n]{2,60}?)` + `(?:\s+(?:for|so|because|as|to|please|pls|—|-)\b|[.,;!?\n]|$)`)},
	{"system", regexp.MustCompile(`(?i)\badd (?:me|[A-Z]\w+(?: [A-Z]\w+)?) to (?:the )?([^.,;!?\n]{2,60}?)(?:\s+(?:as|for|so|please|pls|with)\b|[.,;!?\n]|$)`)},
	{"system", regexp.MustCompile(`(?i)\baccès (?:en \w+ )?(?:au|à la|aux|à l') ([^.,;!?\n]{2,60}?)(?:\s*\?|[.,;!?\n]|$)`)},
}

// softwareAskRe and accessAskRe tell that the app Extract found is what
// the request is for.
var (
	softwareAskRe = regexp.MustCompile(`(?i)\b(?:install\w*|licen[cs]e|put|get|have|need|add|request\w*|upgrade)\b`)
	accessAskRe   = regexp.MustCompile(`(?i)\b(?:access|permissions?|rights|add (?:me|\w+) to|role|group|space|site|workspace|folder|share|drive)\b`)
)

// AsksAccess reports whether a request is for access to something rather
// than for the thing itself.
func AsksAccess(text string) bool { return accessAskRe.MatchString(text) }

// hardwareKind is the kind of hardware v names, as Extraction.Device
// names it ("my new MacBook": "laptop"); "" for none.
func hardwareKind(v string) string {
	device, _ := deviceOf(v, "", "")
	return device
}

var leadPrepRe = regexp.MustCompile(`(?i)^(?:on|to|at)\s+`)

// tidyField trims a field value of surrounding punctuation and courtesy.
func tidyField(v string) string {
	v = politeTail.ReplaceAllString(strings.TrimSpace(v), "")
	v = strings.Trim(v, " ,.;:!?-–—\"'“”‘’()")
	v = leadPrepRe.ReplaceAllString(v, "")
	if r := []rune(v); len(r) > 120 {
		v = string(r[:120])
	}
	return strings.TrimSpace(v)
}
