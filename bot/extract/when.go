package extract

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Time phrases are resolved against an injected clock, never time.Now, so
// that a conversation replayed from the store resolves the same way and tests
// are exact. Conventions, chosen because they match an office day:
//
//   - a day without a time of day ("yesterday", "on Monday", "Nov 20") means
//     09:00 that day, the start of the working day, when people notice;
//   - morning 09:00, afternoon 13:00, evening 18:00, night 21:00;
//   - a resolved time is never after now: "this morning" said at 08:00 is now,
//     "since 9am" said at 08:00 is yesterday, "Nov 20" said on Nov 18 is last
//     year, and a weekday is the most recent one before today (a week ago
//     when it is today's name);
//   - a bare hour from 1 to 6 ("since 2") is afternoon, as offices run;
//   - "a few" is 3 ("a few days ago"), except "a few minutes ago", which is
//     like "just now": 5 minutes;
//   - "N hours/days ago", "for N days", "last week" (7 days) and "last month"
//     are now minus that, keeping the time of day; "since March" is 1 March;
//   - a date with an explicit year in the future is rejected, not moved;
//   - a bare clock time ("around 3pm"), duration ("2 weeks") or "11/20" is a
//     start time only as the whole answer to "when did it start?"; inside a
//     message it is more often a meeting or a fraction, so it needs "since";
//   - deadlines and habits ("by Friday", "next Monday", "every Monday",
//     "fixed today") are not start times;
//   - vague phrases ("a while ago", "recently", "since the update") are not
//     times: the bot asks instead of guessing.

const (
	whenNum     = `(?:\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|a few|a couple(?: of)?|couple(?: of)?|several|few)`
	whenUnit    = `(?:min(?:ute)?s?|m|hours?|hrs?|hr|h|days?|d|weeks?|wks?|wk|w|months?|mos?)`
	whenUnitL   = `(?:min(?:ute)?s?|hours?|hrs?|hr|days?|weeks?|wks?|months?)`
	whenAgo     = `ag[o0]`
	whenClock   = `(?:\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.?|p\.m\.?)|\d{1,2}:\d{2}|noon|midday|midnight|lunch(?:time)?)`
	whenAtClock = `(?:,?\s*(?:at|around|about|~|@|from)\s*(?:` + whenClock + `|\d{1,2}\b)|\s+` + whenClock + `)`
	whenPart    = `(?:morning|mornig|morining|mornin|morng|moring|mornign|mroning|afternoon|afternon|aftrnoon|afternnon|evening|evenig|night)`
	whenYday    = `(?:yesterday|yesterdy|yesteday|yesturday|yestarday|yesterady|ysterday|yestreday|yesteray|yday|y'day)`
	whenWeekday = `(?:monday|mondy|monady|tuesday|tuseday|teusday|tues|wednesday|wensday|wednsday|wendsday|wedensday|thursday|thurday|thrusday|thurs|friday|firday|saturday|saturady|sunday)`
	whenAbbr    = `(?:mon|tue|wed|thu|thur|fri|sat|sun)`
	whenMonth   = `(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`
	whenPrep    = `(?:(?:since|from|after|starting(?: from)?|as of|on|over|during|around|about|beginning|sometime|late|early)\s+)?`
	whenDay     = `(?:\d{1,2})(?:st|nd|rd|th)?`
)

type whenKind int

const (
	wJustNow whenKind = iota
	wAgo
	wPartOfDay
	wToday
	wYesterday
	wDayBeforeYesterday
	wLastNight
	wWeekday
	wWeekend
	wThisWeek
	wLastWeek
	wLastMonth
	wSinceClock
	wMonthDay
	wDayMonth
	wISO
	wUS
	wMonth
)

type whenRule struct {
	re   *regexp.Regexp
	kind whenKind
}

// whenRules are tried together; the leftmost, then longest, match wins, and
// on a tie the earlier rule (so "a few minutes ago" is "just now", not 3 min).
var whenRules = []whenRule{
	{regexp.MustCompile(`(?i)\b(?:just now|a (?:few|couple(?: of)?) min(?:ute)?s? ` + whenAgo + `|(?:a )?moments? ` + whenAgo + `)\b`), wJustNow},
	{regexp.MustCompile(`(?i)\b(?:since |from |about |around |roughly |like |maybe |approx\.? |approximately |over |almost |nearly )*(?:` + whenNum + `\s*` + whenUnit + `|half an hour)\s+` + whenAgo + `\b(?:\s+now)?`), wAgo},
	{regexp.MustCompile(`(?i)\b(?:for|since|(?:in|over|during) the (?:past|last)|the (?:past|last))\s+(?:the (?:past|last)\s+)?(?:about |around |almost |nearly |over |like |roughly )?(?:` + whenNum + `\s*)?` + whenUnitL + `\b(?:\s+now)?`), wAgo},
	{regexp.MustCompile(`(?i)\b` + whenPrep + `(?:earlier |early |late |first thing )?(?:this|today'?s?|this past)\s+` + whenPart + `\b(?:` + whenAtClock + `)?`), wPartOfDay},
	{regexp.MustCompile(`(?i)\b(?:since|from|as of|starting|earlier|early|all|started|began|happened)\s+(?:today|day|morning)\b(?:` + whenAtClock + `)?`), wToday},
	{regexp.MustCompile(`(?i)\btoday\b(?:` + whenAtClock + `)?`), wToday},
	{regexp.MustCompile(`(?i)\b` + whenPrep + `(?:the )?day before ` + whenYday + `\b(?:\s+` + whenPart + `)?(?:` + whenAtClock + `)?`), wDayBeforeYesterday},
	{regexp.MustCompile(`(?i)\b` + whenPrep + `(?:(?:at|around|about)\s+)?` + whenClock + `\s+` + whenYday + `\b`), wYesterday},
	{regexp.MustCompile(`(?i)\b` + whenPrep + whenYday + `\b(?:\s+` + whenPart + `)?(?:` + whenAtClock + `)?`), wYesterday},
	{regexp.MustCompile(`(?i)\b` + whenPrep + `last night\b(?:` + whenAtClock + `)?`), wLastNight},
	{regexp.MustCompile(`(?i)\b` + whenPrep + `(?:(?:last|this past|this|past)\s+)?` + whenWeekday + `\b(?:(?:'s|’s)(?:\s+[a-z]+)?|\s+` + whenPart + `\b)?(?:` + whenAtClock + `)?`), wWeekday},
	{regexp.MustCompile(`(?i)\b(?:since|on|from|after|last)\s+` + whenAbbr + `\b\.?(?:` + whenAtClock + `)?`), wWeekday},
	{regexp.MustCompile(`(?i)\b` + whenPrep + `(?:(?:over|during|on|at)\s+)?(?:the|this|last|this past|the past)\s+weekend\b`), wWeekend},
	{regexp.MustCompile(`(?i)\b(?:earlier this week|(?:since|from) (?:the )?(?:start|beginning) of (?:the|this) week|this week)\b`), wThisWeek},
	{regexp.MustCompile(`(?i)\b` + whenPrep + `(?:the )?(?:last|past|previous) week\b`), wLastWeek},
	{regexp.MustCompile(`(?i)\b` + whenPrep + `(?:the )?(?:last|past|previous) month\b`), wLastMonth},
	{regexp.MustCompile(`(?i)\b(?:since|from|starting(?: at| from)?|as of|started (?:at|around|about)|began (?:at|around)|beginning at)\s+(?:about |around |approx\.? |approximately |roughly |~)?(?:` + whenClock + `|\d{1,2}\b|(?:the )?morning)`), wSinceClock},
	{regexp.MustCompile(`(?i)\b` + whenPrep + `(?:the )?` + whenMonth + `\.?\s+` + whenDay + `\b(?:,?\s+\d{4}\b)?(?:` + whenAtClock + `)?`), wMonthDay},
	{regexp.MustCompile(`(?i)\b` + whenPrep + `(?:the )?` + whenDay + `(?:\s+of)?\s+` + whenMonth + `\b\.?(?:,?\s+\d{4}\b)?(?:` + whenAtClock + `)?`), wDayMonth},
	{regexp.MustCompile(`(?i)\b` + whenPrep + `\d{4}-\d{1,2}-\d{1,2}\b(?:` + whenAtClock + `)?`), wISO},
	{regexp.MustCompile(`(?i)\b(?:since|from|on|after|as of|started|starting)\s+\d{1,2}/\d{1,2}(?:/(?:\d{4}|\d{2}))?\b(?:` + whenAtClock + `)?`), wUS},
	{regexp.MustCompile(`^\s*\d{1,2}/\d{1,2}\s*[.!]?\s*$`), wUS},                                                                   // a whole answer: "11/20"
	{regexp.MustCompile(`(?i)^\s*(?:about |around |roughly |maybe |like )?` + whenNum + `\s*` + whenUnitL + `\s*[.!]?\s*$`), wAgo}, // a whole answer: "2 weeks"
	{regexp.MustCompile(`(?i)\b(?:since|from|starting|as of|beginning of|start of|early|earlier in)\s+` + whenMonth + `\b(?:\s+\d{4}\b)?`), wMonth},
	{regexp.MustCompile(`(?i)\b\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})\b`), wUS},
}

// whenBareClockRe reads a whole answer that is only a clock time ("around
// 3pm", "at 10").
var whenBareClockRe = regexp.MustCompile(`(?i)^\s*((?:it\s+)?(?:started|began|happened)?\s*(?:(?:at|around|about|~)\s*(?:` + whenClock + `|\d{1,2})|` + whenClock + `))\s*[.!]?\s*$`)

// Rejected context: "by Friday", "next Monday", "every Monday", "fixed today"
// are deadlines or habits, not the start of a problem.
var whenFutureRe = regexp.MustCompile(`(?i)(?:\bnext|\bby|\buntil|\btill|\btil|\bbefore|\bcoming|\bevery|\beach|\bfor|\bdue|\bneed(?:s|ed)?(?: it| this)?|\bfixed|\bdone|\bready|\bresolved|\bin|\beod|\bthan|\btimes?|\bjoined|\b(?:he|she|they|who)(?: (?:started|starts|joined|joins))?|\badded (?:me|him|her|them)|\bhad access(?: to [\w ]{1,30})?)\s+(?:this\s+)?$`)

var (
	whenNumRe     = regexp.MustCompile(`(?i)\b(\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|few|couple|several|half an)(?:\s+of)?\s*(` + whenUnit + `)\b`)
	whenClockRe   = regexp.MustCompile(`(?i)(?:\b(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.?|p\.m\.?)|\b(\d{1,2}):(\d{2})|\b(noon|midday|lunch(?:time)?)\b|\b(midnight)\b)`)
	whenBareHrRe  = regexp.MustCompile(`(?i)(?:at|around|about|~|@|from|since|starting|of|as)\s*(\d{1,2})\s*$`)
	whenPartRe    = regexp.MustCompile(`(?i)` + whenPart)
	whenWeekdayRe = regexp.MustCompile(`(?i)\b(?:` + whenWeekday + `|` + whenAbbr + `)\b`)
	whenMonthRe   = regexp.MustCompile(`(?i)\b` + whenMonth + `\b`)
	whenUnitRe    = regexp.MustCompile(`(?i)\b` + whenUnitL + `\b`)
	whenDigitsRe  = regexp.MustCompile(`\d+`)
)

var whenWords = map[string]int{"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
	"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
	"thirty": 30, "forty": 40, "few": 3, "couple": 2, "several": 3}

// whenSpan is one resolved time phrase at text[start:end].
type whenSpan struct {
	start, end int
	t          time.Time
}

// ParseWhen finds the first time phrase in text that says when something
// started and resolves it against now, in now's location. phrase is the text
// matched, e.g. "since this morning". ok is false when text holds no such
// phrase or only a vague one ("a while ago", "since the update").
func ParseWhen(text string, now time.Time) (t time.Time, phrase string, ok bool) {
	text = strings.ToValidUTF8(text, "\uFFFD")
	spans := findWhen(text, now)
	if len(spans) == 0 {
		if m := whenBareClockRe.FindStringSubmatchIndex(text); m != nil {
			if t, ok := resolveClock(text[m[2]:m[3]], now); ok {
				return t, strings.TrimSpace(text[m[2]:m[3]]), true
			}
		}
		return time.Time{}, "", false
	}
	s := spans[0]
	return s.t, startedLabel(strings.TrimSpace(text[s.start:s.end])), true
}

// findWhen returns every resolvable time phrase in text, leftmost-longest and
// not overlapping, in order.
func findWhen(text string, now time.Time) []whenSpan {
	type cand struct {
		start, end, rule int
	}
	var cands []cand
	low := lowerText(text)
	for i, r := range whenRules {
		if !low.mayMatch(r.re) {
			continue
		}
		for _, m := range r.re.FindAllStringIndex(text, -1) {
			cands = append(cands, cand{m[0], m[1], i})
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.start != b.start {
			return a.start < b.start
		}
		if a.end != b.end {
			return a.end > b.end
		}
		return a.rule < b.rule
	})
	var out []whenSpan
	pos := 0
	for _, c := range cands {
		if c.start < pos || whenFutureRe.MatchString(text[max(0, c.start-24):c.start]) {
			continue
		}
		if t, ok := resolveWhen(whenRules[c.rule].kind, text[c.start:c.end], now); ok {
			out = append(out, whenSpan{c.start, c.end, t})
			pos = c.end
		}
	}
	return out
}

// resolveWhen turns one matched phrase into a time.
func resolveWhen(kind whenKind, m string, now time.Time) (time.Time, bool) {
	loc := now.Location()
	y, mo, d := now.Date()
	day := func(y int, mo time.Month, d int) time.Time { return time.Date(y, mo, d, 0, 0, 0, 0, loc) }
	today := day(y, mo, d)
	// at gives the time of day the phrase names, or def hours.
	at := func(base time.Time, def int) (time.Time, bool) {
		if h, min, ok := clockIn(m); ok {
			return base.Add(time.Duration(h)*time.Hour + time.Duration(min)*time.Minute), true
		} else if h < 0 {
			return time.Time{}, false
		}
		if p := whenPartRe.FindString(m); p != "" {
			def = partHour(p)
		}
		return base.Add(time.Duration(def) * time.Hour), true
	}
	notAfterNow := func(t time.Time, ok bool) (time.Time, bool) {
		if ok && t.After(now) {
			t = now
		}
		return t, ok
	}
	switch kind {
	case wJustNow:
		return now.Add(-5 * time.Minute), true
	case wAgo:
		return agoFrom(m, now)
	case wPartOfDay, wToday:
		return notAfterNow(at(today, 9))
	case wYesterday:
		return at(today.AddDate(0, 0, -1), 9)
	case wDayBeforeYesterday:
		return at(today.AddDate(0, 0, -2), 9)
	case wLastNight:
		return at(today.AddDate(0, 0, -1), 21)
	case wWeekday:
		wd, ok := weekdayIn(m)
		if !ok {
			return time.Time{}, false
		}
		back := (int(today.Weekday()) - int(wd) + 7) % 7
		if back == 0 {
			back = 7
		}
		return at(today.AddDate(0, 0, -back), 9)
	case wWeekend:
		back := (int(today.Weekday()) - int(time.Saturday) + 7) % 7
		return notAfterNow(today.AddDate(0, 0, -back).Add(9*time.Hour), true)
	case wThisWeek:
		back := (int(today.Weekday()) - int(time.Monday) + 7) % 7
		return notAfterNow(today.AddDate(0, 0, -back).Add(9*time.Hour), true)
	case wLastWeek:
		return now.AddDate(0, 0, -7), true
	case wLastMonth:
		return now.AddDate(0, -1, 0), true
	case wSinceClock:
		if strings.Contains(strings.ToLower(m), "morning") {
			return notAfterNow(today.Add(9*time.Hour), true)
		}
		return resolveClock(m, now)
	case wMonthDay, wDayMonth, wISO, wUS, wMonth:
		return resolveDate(kind, m, now, at)
	}
	return time.Time{}, false
}

// resolveDate reads a calendar date: without a year it is the most recent
// such date not after today; with a year in the future it is rejected.
func resolveDate(kind whenKind, m string, now time.Time, at func(time.Time, int) (time.Time, bool)) (time.Time, bool) {
	nums := whenDigitsRe.FindAllString(m, -1)
	// Times of day come after the date; keep only the date's numbers.
	var y, mo, d int
	switch kind {
	case wMonthDay, wDayMonth, wMonth:
		mm := whenMonthRe.FindString(m)
		if len(mm) < 3 {
			return time.Time{}, false
		}
		mo = 1 + strings.Index("janfebmaraprmayjunjulaugsepoctnovdec", strings.ToLower(mm[:3]))/3
		if kind == wMonth { // "since March": the first of it
			nums = append([]string{"1"}, nums...)
		}
		if len(nums) == 0 {
			return time.Time{}, false
		}
		d, _ = strconv.Atoi(nums[0])
		if len(nums) > 1 && len(nums[1]) == 4 {
			y, _ = strconv.Atoi(nums[1])
		}
	case wISO:
		if len(nums) < 3 {
			return time.Time{}, false
		}
		y, _ = strconv.Atoi(nums[0])
		mo, _ = strconv.Atoi(nums[1])
		d, _ = strconv.Atoi(nums[2])
	case wUS:
		if len(nums) < 2 {
			return time.Time{}, false
		}
		mo, _ = strconv.Atoi(nums[0])
		d, _ = strconv.Atoi(nums[1])
		if len(nums) > 2 && strings.Contains(m, nums[0]+"/"+nums[1]+"/"+nums[2]) {
			y, _ = strconv.Atoi(nums[2])
			if y < 100 {
				y += 2000
			}
		}
	}
	if mo < 1 || mo > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	loc := now.Location()
	explicit := y != 0
	if !explicit {
		y = now.Year()
	}
	date := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, loc)
	if date.Day() != d { // Feb 30 and the like
		return time.Time{}, false
	}
	if date.After(now) {
		if explicit {
			return time.Time{}, false
		}
		date = time.Date(y-1, time.Month(mo), d, 0, 0, 0, 0, loc)
		if date.Day() != d {
			return time.Time{}, false
		}
	}
	t, ok := at(date, 9)
	if ok && t.After(now) {
		t = now
	}
	return t, ok
}

// agoFrom subtracts "3 days" or "an hour" from now. Days and longer are
// calendar steps, so "2 days ago" keeps the time of day across a DST change.
func agoFrom(m string, now time.Time) (time.Time, bool) {
	n, unit := 1, ""
	if sm := whenNumRe.FindStringSubmatch(m); sm != nil {
		unit = strings.ToLower(sm[2])
		w := strings.ToLower(sm[1])
		if v, err := strconv.Atoi(w); err == nil {
			n = v
		} else if w == "half an" {
			return now.Add(-30 * time.Minute), true
		} else {
			n = whenWords[w]
		}
	} else if um := whenUnitRe.FindString(m); um != "" {
		unit = strings.ToLower(um) // "for the past hour": one of them
	} else if strings.Contains(strings.ToLower(m), "half an hour") {
		return now.Add(-30 * time.Minute), true
	}
	if n <= 0 || unit == "" {
		return time.Time{}, false
	}
	switch {
	case strings.HasPrefix(unit, "mo"):
		return now.AddDate(0, -n, 0), true
	case strings.HasPrefix(unit, "m"):
		return now.Add(-time.Duration(n) * time.Minute), true
	case strings.HasPrefix(unit, "h"):
		return now.Add(-time.Duration(n) * time.Hour), true
	case strings.HasPrefix(unit, "d"):
		return now.AddDate(0, 0, -n), true
	case strings.HasPrefix(unit, "w"):
		return now.AddDate(0, 0, -7*n), true
	}
	return time.Time{}, false
}

// resolveClock reads "since 9am": today at that time, or yesterday when that
// is still ahead.
func resolveClock(m string, now time.Time) (time.Time, bool) {
	h, min, ok := clockIn(m)
	if !ok {
		return time.Time{}, false
	}
	y, mo, d := now.Date()
	t := time.Date(y, mo, d, h, min, 0, 0, now.Location())
	if t.After(now) {
		t = t.AddDate(0, 0, -1)
	}
	return t, true
}

// clockIn finds a time of day in m. ok false with h == -1 means a time was
// there but impossible ("25:00"); ok false with h == 0 means none.
func clockIn(m string) (h, min int, ok bool) {
	if sm := whenClockRe.FindStringSubmatch(m); sm != nil {
		switch {
		case sm[1] != "":
			h, _ = strconv.Atoi(sm[1])
			min, _ = strconv.Atoi(sm[2])
			if h < 1 || h > 12 || min > 59 {
				return -1, 0, false
			}
			pm := strings.HasPrefix(strings.ToLower(sm[3]), "p")
			if h == 12 {
				h = 0
			}
			if pm {
				h += 12
			}
			return h, min, true
		case sm[4] != "":
			h, _ = strconv.Atoi(sm[4])
			min, _ = strconv.Atoi(sm[5])
			if h > 23 || min > 59 {
				return -1, 0, false
			}
			return h, min, true
		case sm[6] != "":
			return 12, 0, true
		case sm[7] != "":
			return 0, 0, true
		}
	}
	if sm := whenBareHrRe.FindStringSubmatch(m); sm != nil {
		h, _ = strconv.Atoi(sm[1])
		switch {
		case h < 1 || h > 23:
			return -1, 0, false
		case h <= 6:
			h += 12 // "since 2": offices work afternoons, not 2 a.m.
		}
		return h, 0, true
	}
	return 0, 0, false
}

func partHour(p string) int {
	switch strings.ToLower(p)[0] {
	case 'a':
		return 13
	case 'e':
		return 18
	case 'n':
		return 21
	}
	return 9
}

// weekdayIn reads the weekday named in m, typos included: the first two
// letters are enough, as every spelling above starts right.
func weekdayIn(m string) (time.Weekday, bool) {
	w := whenWeekdayRe.FindString(m)
	if len(w) < 2 {
		return 0, false
	}
	switch strings.ToLower(w[:2]) {
	case "su":
		return time.Sunday, true
	case "mo":
		return time.Monday, true
	case "tu", "te":
		return time.Tuesday, true
	case "we":
		return time.Wednesday, true
	case "th":
		return time.Thursday, true
	case "fr", "fi":
		return time.Friday, true
	case "sa":
		return time.Saturday, true
	}
	return 0, false
}
