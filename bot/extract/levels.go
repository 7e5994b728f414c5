package extract

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/helpdesk-bot/helpdesk/tickets"
)

// Impact and urgency: the rules that read them from a report, and the
// answers to the questions that ask for them.

// levelRule maps a phrase to a level. Earlier rules hide their phrase from
// later ones: "everyone else is fine" is low, not "everyone".
type levelRule struct {
	re    *regexp.Regexp
	level tickets.Level
	quiet bool // only hides its phrase: no level, and not a span either
}

// Impact: how many people. High is the company, an office or building,
// everyone, many people; medium a team, a floor or a department, or a
// colleague who has it too; low the person alone (just me, only my laptop,
// others are fine). A bare "we" gives no level: people say "we" for
// themselves.
var impactRules = []levelRule{
	{re: cueRx(`(?:or )?is it (?:just|only) me|locked myself out|(?:nobody|no one|no-one|noone) can (?:hear|see|reach|call|understand) (?:me|my)\b|(?:everyone|everybody)'s (?:calendar|mailbox|availability|free/busy)|(?:nobody|no one|no-one|noone) can work out`), quiet: true},
	{re: cueRx(`(?:everyone|everybody|all (?:my )?(?:colleagues|coworkers|co-workers|others)|others|other people|(?:my )?colleagues|(?:my )?coworkers|co-workers|teammates|my team|the rest of (?:the|my) team) (?:else )?(?:is|are|seems?|'s|has|have) (?:fine|ok|okay|working|good|unaffected|not affected)|works (?:fine )?for (?:everyone|everybody|others|my colleagues|my coworkers|other people)(?: else)?|(?:others|other people|everyone else|everybody else|my colleagues|my coworkers|the rest of (?:the|my) team)(?: \w+){0,4} (?:fine|ok|okay|normally|without (?:any )?(?:issues?|problems?))|(?:others|everyone else|everybody else|my colleagues) can (?:print|log ?in|sign ?in|connect|access|see|open|hear|work)(?: \w+)?`), level: tickets.Low},
	{re: cueRx(`not (?:just|only) (?:me|mine|my \w+)|\+1|for me too|me too|same here|same for me|(?:colleague|coworker|co-worker|teammate|neighbou?r|person|guy|lady)s?(?: \w+){0,6} (?:has|have|is having|are having|gets?|sees?|say|says) (?:the same|it too|this too|the same (?:problem|issue|thing|error))|(?:colleagues|coworkers)(?: \w+){0,6} (?:say|report|see) the same|(?:everyone|everybody|nobody|no one|all) (?:in|on|at) (?:the |our |my )?(?:\w+ )?(?:team|department|dept|group|floor|row|unit)|(?:whole|entire|our|the) (?:\w+ )?floor|(?:nobody|no one) in (?:accounts|finance|hr|sales|marketing|legal|it|support|payroll|procurement|purchasing)`), level: tickets.Medium},
	{re: cueRx(`everyone|everybody|all of us|we all|all users|all staff|all employees|(?:the )?(?:whole|entire) (?:\w+ )?(?:company|office|building|org|organi[sz]ation|site|branch|business|firm|division)|company-?wide|org-?wide|office-?wide|across the (?:company|org|organi[sz]ation|office|board)|(?:nobody|no one|no-one|noone) (?:can|is able|in the office|here)|(?:nobody|no one) in the (?:\w+ )?(?:office|building|company|site|branch)|(?:lots of|many|loads of|a lot of) (?:people|users|staff|colleagues) (?:in|across|at) (?:our|the) (?:building|office|company|site)|all (?:of )?(?:the )?(?:office|company|departments|teams)`), level: tickets.High},
	{re: cueRx(`my team(?:[^'\w]|$)|our team|the team|(?:whole|entire) (?:\w+ )?(?:team|department|dept)|my (?:department|dept|group|squad|unit)|(?:a few|a couple(?: of)?|some|several|many|lots of|multiple|other|few) (?:of us|people|colleagues|coworkers|co-workers|users|others|teammates|folks)|(?:two|three|four|five|six|2|3|4|5|6) (?:of us|people|colleagues|coworkers|users)|(?:colleagues?|coworkers?|co-workers?|teammates?|others) (?:too|also|as well|are (?:also|seeing|having|affected))|me and (?:my|a|two|some) (?:colleagues?|coworkers?|teammates?)|` +
		// German, Spanish, French
		`alle kollegen|die kollegen|kollegen (?:haben|auch)|(?:mis|los) compañeros|todo el equipo|mes collègues|toute l'équipe|(?:de|des) collègues`), level: tickets.Medium},
	{re: cueRx(`just me|only me|me only|(?:just|only) (?:him|her|them|one (?:person|user|colleague))|(?:only|just) (?:the one|one) (?:person|user)|only (?:on|for|with) my (?:laptop|desktop|pc|computer|machine|account|phone|device|mailbox)|only affect(?:s|ing) me|only (?:happens|happening) (?:to|for) me|(?:i'?m|i am) the only one|only i|only my \w+|just my (?:laptop|desktop|pc|computer|machine|account|phone|device|mailbox)|(?:nobody|no one|no-one) else|me alone|for me only|` +
		`nur (?:ich|bei mir|mich)|solo (?:yo|a mí|a mi)|sólo yo|seulement moi|juste moi|que moi`), level: tickets.Low},
}

// Urgency: how much it stops the work. High: cannot work, blocked, urgent,
// ASAP, a meeting within two hours, a deadline today. Medium: slowed down,
// a workaround, "can still work", "kind of urgent". Low: no rush, not
// urgent, whenever.
var urgencyRules = []levelRule{
	{re: cueRx(`not (?:very |that |super |really )?urgent|isn'?t (?:very |that |super |really )?urgent|non-?urgent|no rush|no hurry|not in a (?:rush|hurry)|not a priority|low priority|not critical|no urgency|whenever (?:is fine|you can|works|possible|convenient)|^\W*whenever\W*$|when(?:ever)? (?:you|someone|somebody) (?:get|gets|has|have) (?:a )?(?:chance|time|moment|minute|sec)|at your (?:convenience|leisure)|(?:it )?can wait|not time[- ]?sensitive|not a (?:big|huge) deal|no big deal|not pressing|no stress|` +
		`(?:super |really |very |a bit |just |slightly |bit )?(?:annoying|inconvenient)|` +
		`nicht dringend|keine eile|no es urgente|sin prisa|no corre prisa|pas urgent|pas pressé|rien d'urgent`), level: tickets.Low},
	{re: cueRx(`not (?:blocking|blocked)|isn'?t blocking|(?:i|we) can (?:still )?work|can still work|still able to work|(?:kind|sort) of urgent|kinda urgent|somewhat urgent|fairly urgent|semi[- ]?urgent|moderately urgent|slow(?:s|ing|ed)? (?:me|us) down|work ?around|working around|a (?:bit of a )?pain|would be nice|by (?:end of (?:the )?day|eod|tomorrow)|today if possible|` +
		`(?:i'?m |we'?re )?using (?:that|this|it|the web(?: version| app)?|\w+) (?:for now|in the meantime|instead|meanwhile)|so (?:i'?m|we'?re) using|in the meantime|for now,? it'?s (?:ok|okay|fine)|fine-?ish|(?:still|manually) works|works (?:fine )?(?:with|on|from|via) (?:an? |the |my )|i'?m managing|(?:i'?m |we'?re )?managing for now|web (?:version )?works|working on (?:just )?(?:the|my) \w+ (?:\w+ )?for now`), level: tickets.Medium},
	{re: cueRx(`(?:can'?t|cannot|can not|unable to) work (?:on|with|in|properly|correctly|right)|(?:can'?t|cannot|can not|nobody can|no one can|could not|couldn'?t) work out`), quiet: true},
	{re: cueRx(`(?:meeting|call|demo|presentation|interview|webinar|session|class|exam|pitch|training|reunión|réunion|besprechung|termin) (?:starts |starting |is |con un cliente |avec un client |mit einem kunden )?(?:in|en|dans) (?:\d+|a few|a couple(?: of)?|ten|five|fifteen|twenty|thirty|forty|an?|une?)\s*(?:min(?:ute)?s?|minutos|minuten|hours?|hrs?|hr|heures?|stunden?)`), level: tickets.High},
	{re: cueRx(`(?:can'?t|cannot|can not|unable to|couldn'?t|not able to) (?:do (?:any|my|our) )?work|(?:nobody|no one|no-one|noone|none of us) (?:can|could|is able to|are able to) (?:do (?:any|their) )?work|(?:can'?t|cannot) do (?:my|our) jobs?|(?:can'?t|cannot) get any(?:thing)? (?:work )?done|(?:can'?t|cannot) do anything|(?:can'?t|cannot|unable to) (?:log ?in|sign ?in|get|reach|access|open|connect) (?:in ?to |to )?anything|(?:i'?m|i am|we'?re|we are|completely|totally|fully|now) blocked|blocking (?:me|us|my|our|all)|blocker|urgent(?:ly)?|asap|a\.s\.a\.p|emergency|critical|immediately|right now|dead in the water|stopped (?:all )?work|prod(?:uction)? (?:is )?down|losing (?:money|sales|customers)|customers? (?:are )?waiting|(?:can'?t|cannot|unable to|not able to) (?:take|make|answer|handle|receive) (?:any )?(?:customer|client|patient|support|sales) (?:calls|orders|bookings|payments|tickets)|(?:can'?t|cannot|unable to|not able to) (?:serve|help|see|check in) (?:any |our )?(?:customers|clients|patients|guests)|(?:can'?t|cannot|unable to|not able to) (?:take|process|ship) (?:any )?(?:orders|payments|bookings)|just sitting there|deadline|(?:is |are )?due (?:today|tonight|this (?:morning|afternoon)|in (?:an?|one|\d+|half an) (?:hours?|hr|min\w*))|(?:needed|need (?:it|this|them)|due|(?:need(?:ed)?|have|has|got) to \w+(?: \w+){0,3}|need(?:ed)? (?:the |my |our |these |those )?\w+(?: \w+){0,2} (?:printed|signed|sent|done|ready|fixed|finished|approved|submitted|uploaded)|submit \w+(?: \w+)?) by (?:noon|midday|lunch(?:time)?|\d{1,2}(?::\d\d)?\s*(?:am|pm)?|today|tonight|this (?:morning|afternoon))|(?:client|customer) (?:call|meeting|demo|presentation) (?:at|in) \d|(?:can'?t|cannot|unable to|won'?t be able to) (?:present|demo|pitch|host|give)\b[^.!?\n]{0,40}?\bat \d{1,2}(?::\d\d)?\s*(?:am|pm)|(?:can'?t|cannot|unable to|won'?t be able to) (?:present|demo|pitch|join|host|run|give|start|dial in)\b[^.!?\n]{0,40}?\bin \d+ ?min\w*|(?:close|closing|payroll|release|launch|go-?live|cut-?off|audit|filing|submission|presentation|demo|board meeting|month-?end|quarter-?end|year-?end)(?: \w+)? (?:is|runs|run|are|happens) (?:today|tonight|this (?:morning|afternoon|evening))|` +
		`no puedo trabajar|urgente|kann nicht arbeiten|können nicht arbeiten|(?:wir|ich) (?:können|kann) (?:keine|nicht)|dringend|je ne peux (?:pas|plus) travailler|bloqué|bloquée|urgence`), level: tickets.High},
}

// urgencyMeetingHoursRe finds how far away the meeting is: more than two
// hours is medium, there is time to work around it.
var urgencyMeetingHoursRe = regexp.MustCompile(`(?i)\bin (\d+|a few|a couple(?: of)?|three|four|five|six)\s*(?:hours?|hrs?|hr)\b`)

// levelOf applies rules to text: the highest level found wins, so "not just
// me, everyone has it" is high. spans are every phrase any rule matched,
// which the symptom leaves out as talk about impact or urgency.
func levelOf(rules []levelRule, text string) (best tickets.Level, spans [][]int) {
	c := newClaimer(text)
	for _, r := range rules {
		for _, m := range c.claim(r.re, text) {
			if r.quiet {
				continue
			}
			spans = append(spans, m)
			l := r.level
			if sm := urgencyMeetingHoursRe.FindStringSubmatch(text[m[0]:m[1]]); sm != nil && l == tickets.High {
				if n, err := strconv.Atoi(sm[1]); err != nil || n > 2 {
					l = tickets.Medium
				}
			}
			if levelRank(l) > levelRank(best) {
				best = l
			}
		}
	}
	return best, spans
}

func levelRank(l tickets.Level) int {
	switch l {
	case tickets.Low:
		return 1
	case tickets.Medium:
		return 2
	case tickets.High:
		return 3
	}
	return 0
}

// answerLevelRe reads a direct answer: a level name, or the number of the
// option in the bot's question, which lists the levels from least to most
// (1 just me / not urgent, 2 my team / slows me down, 3 everyone / can't
// work).
var answerLevelRe = regexp.MustCompile(`(?i)^\W*(?:(1|low|l|lo|minor)|(2|medium|med|m|moderate|mid)|(3|high|h|hi|major|severe))\W*$`)

// answerImpactRe reads the shortest answers: "me", "team", "all".
// The question's own words echoed back ("just you", "your team") count too.
var answerImpactRe = regexp.MustCompile(`(?i)^\W*(?:(me|i|mine|i am|i'm|just myself|(?:just |only )?you)|(team|(?:your|my|our) team|my group|a few|some|several|others)|(all|all of us|whole team|the whole team|company|the company|whole company|office|the office|whole office))\W*$`)

// answerBlockedRe reads one-word answers that mean the work has stopped.
var answerBlockedRe = regexp.MustCompile(`(?i)^\W*(?:(?:totally |completely |fully )?(?:blocked|stuck|stopped)|can'?t do anything|nothing works|dead)\W*$`)

// answerSlowRe reads "a bit slow": degraded, not stopped.
var answerSlowRe = regexp.MustCompile(`(?i)\b(?:slow(?:s|ing|ed)?(?: (?:me|us))? down|a bit slow|slower|slow)\b`)

// peopleCountRe reads "5 people": one person is low, up to 19 a team
// (medium), 20 or more high.
var peopleCountRe = regexp.MustCompile(`(?i)\b(\d+)\s*(?:\+\s*)?(?:people|persons|users|of us|colleagues|coworkers|employees|staff|person|user)\b`)

// ParseImpact reads an answer to "who is affected?": "just me" is low, "my
// team" or "a few people" medium, "everyone" or "the whole office" high; "1",
// "2", "3" pick the question's options in that order, and "low", "medium",
// "high" are taken as they are. ok is false when nothing fits.
func ParseImpact(answer string) (tickets.Level, bool) {
	a := strings.ToValidUTF8(answer, " ")
	if sm := answerLevelRe.FindStringSubmatch(a); sm != nil {
		return answerLevel(sm), true
	}
	if sm := peopleCountRe.FindStringSubmatch(a); sm != nil {
		switch n, _ := strconv.Atoi(sm[1]); {
		case n <= 1:
			return tickets.Low, true
		case n < 20:
			return tickets.Medium, true
		default:
			return tickets.High, true
		}
	}
	if l, _ := levelOf(impactRules, a); l != "" {
		return l, true
	}
	if sm := answerImpactRe.FindStringSubmatch(a); sm != nil {
		return answerLevel(sm), true
	}
	return "", false
}

// ParseUrgency reads an answer to "how much is this stopping you?": "I can't
// work at all" is high, "it's slowing me down" or "I have a workaround"
// medium, "not urgent" low; "1", "2", "3" pick the question's options from
// least to most urgent, and "low", "medium", "high" are taken as they are.
// ok is false when nothing fits.
func ParseUrgency(answer string) (tickets.Level, bool) {
	a := strings.ToValidUTF8(answer, " ")
	if sm := answerLevelRe.FindStringSubmatch(a); sm != nil {
		return answerLevel(sm), true
	}
	if answerBlockedRe.MatchString(a) {
		return tickets.High, true
	}
	if l, _ := levelOf(urgencyRules, a); l != "" {
		return l, true
	}
	if answerSlowRe.MatchString(a) {
		return tickets.Medium, true
	}
	return "", false
}

// clauseImpactRe and clauseUrgencyRe read a clause of an answer that is
// nothing but who is affected or how much it stops the person ("just me",
// "slowed down"), the way a grouped answer gives them.
var (
	clauseImpactRe  = regexp.MustCompile(`(?i)^\W*(?:(just me|only me|me only|just myself|only myself|only mine)|((?:my|our|the whole|the) team|a few of us|some of us)|(everyone|everybody|all of us|the whole (?:office|company)))\W*$`)
	clauseUrgencyRe = regexp.MustCompile(`(?i)^\W*(?:(not urgent|no rush|whenever)|((?:it )?slow(?:s|ed|ing)? (?:me |us )?down|(?:i )?have a workaround)|((?:totally |completely )?blocked|(?:i )?can'?t work(?: at all)?|urgent))\W*$`)
	clauseBreakRe   = regexp.MustCompile(`[,;.!?\n]+|\s+and\s+|\s+[-–—+&]\s+`)
)

// LevelsInClauses reads who is affected and how much it stops the person
// from the clauses of an answer that say only that: "restarted outlook,
// just me, slowed down" gives low and medium. Clauses that say more
// ("Outlook is slow", "Office") give nothing: in an answer to another
// question they are about the problem, not its reach.
func LevelsInClauses(text string) (impact, urgency tickets.Level) {
	for _, c := range clauseBreakRe.Split(strings.ToValidUTF8(text, " "), -1) {
		if sm := clauseImpactRe.FindStringSubmatch(c); sm != nil && impact == "" {
			impact = answerLevel(sm)
		}
		if sm := clauseUrgencyRe.FindStringSubmatch(c); sm != nil && urgency == "" {
			urgency = answerLevel(sm)
		}
	}
	return impact, urgency
}

// answerLevel reads the level of a match whose first group is low, second
// medium, and otherwise high.
func answerLevel(sm []string) tickets.Level {
	switch {
	case sm[1] != "":
		return tickets.Low
	case sm[2] != "":
		return tickets.Medium
	}
	return tickets.High
}
