package extract

import (
	"regexp"
	"strings"
)

// Answers to a KB offer ("did one of these articles fix it?"), as people
// write them: "yes", "2", "still locked", "didn't help", "that worked",
// "the second one did it", "hat nicht geholfen", "ya funciona", "ça
// marche". English and the common words of German, Spanish and French.

// OfferAnswer is what a reply to a KB offer says.
type OfferAnswer struct {
	Fixed    bool // an article fixed it
	NotFixed bool // none did: the problem is still there
	// Article is the number of the article the reply names (1 for "the
	// first one", "2", "#3"), 0 when it names none.
	Article int
}

// Understood reports whether the reply answers the offer at all; one that
// does not is more detail about the problem.
func (a OfferAnswer) Understood() bool { return a.Fixed || a.NotFixed }

// offerNo are clauses saying the problem is still there. They are looked
// for before offerYes, so "didn't work" is not read as "work".
var offerNo = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(?:` + strings.Join([]string{
	// English
	`no|nope|nah|none|neither|not really|not yet|no luck|no change|no difference|negative`,
	`still\b.*|same (?:problem|issue|error|thing)|nothing (?:changed|worked|helped)`,
	`(?:did ?n.?t|does ?n.?t|has ?n.?t|have ?n.?t|did not|does not|has not|have not|wo ?n.?t|will not|ca ?n.?t|cannot|is ?n.?t|not) ?(?:help|helped|work|working|worked|fix|fixed|solve|solved|change|do it|do anything)\b.*`,
	`not (?:fixed|solved|resolved|working|helpful)|neither (?:one|of them)|none of (?:them|these|those|it)`,
	// German
	`nein|leider nicht|(?:hat |hats |)nicht (?:geholfen|funktioniert|geklappt)|immer noch\b.*|noch immer\b.*|geht (?:immer noch |noch |)nicht|funktioniert (?:immer noch |noch |)nicht|klappt (?:immer noch |noch |)nicht|keins?e?r?`,
	// Spanish
	`no (?:funciona|funcionó|funciono|sirvió|sirvio|ayudó|ayudo|se arregló|se arreglo)|sigue\b.*|todavía no|todavia no|aún no|aun no|ninguno|ninguna`,
	// French
	`non|ça ne marche (?:toujours )?pas|ca ne marche (?:toujours )?pas|ne (?:marche|fonctionne) (?:toujours )?pas|(?:ça |ca )?n.a pas (?:aidé|marché|fonctionné|résolu)|toujours\b.*|aucun(?:e)?|pas (?:résolu|réglé)`,
}, "|") + `)(?:$|[^\p{L}])`)

// offerGone are clauses saying the problem is gone, though they hold a
// "no": "no more lockouts", "keine Fehler mehr", "ya no falla".
var offerGone = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(?:no (?:more|longer)|not any ?more|keine? .*mehr|nicht mehr|ya no|plus de|ne .* plus)(?:$|[^\p{L}])`)

// offerNumber is a reply that names an article by number only: "2",
// "yes 2", "#3", "number 1".
var offerNumber = regexp.MustCompile(`(?i)^(?:yes |yep |ja |sí |si |oui )?(?:#|no\. ?|nr\. ?|number |article |artikel |artículo )?([1-9])$`)

// offerWords are whole replies too short for the patterns: "y", "n", "si".
var offerWords = map[string]OfferAnswer{"y": {Fixed: true}, "si": {Fixed: true}, "n": {NotFixed: true}}

// offerYes are clauses saying an article fixed it.
var offerYes = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(?:` + strings.Join([]string{
	// English
	`yes|yep|yeah|yup|sure|correct|fixed|solved|resolved|sorted|worked|works|working now|all good|perfect|great|awesome`,
	`(?:that|this|it|which|one) (?:did it|did the trick|helped|fixed it|sorted it|solved it|worked)`,
	`did (?:it|the trick)|(?:one|first|second|third|\d) did`,
	// German
	`ja|hat geholfen|geholfen|funktioniert (?:wieder|jetzt)|geht (?:wieder|jetzt)|klappt (?:wieder|jetzt)|gelöst|erledigt`,
	// Spanish
	`sí|funcionó|funciono|ya funciona|funciona ya|resuelto|solucionado|arreglado|me sirvió|me sirvio`,
	// French
	`oui|ça marche|ca marche|ça a marché|ça fonctionne|résolu|réglé|c.est bon`,
}, "|") + `)(?:$|[^\p{L}])`)

// offerOrdinals name the articles of an offer, by number.
var offerOrdinals = []struct {
	re *regexp.Regexp
	n  int
}{
	{regexp.MustCompile(`(?i)(?:^|[^\p{L}\d])(?:#|no\.? ?|nr\.? ?|number |article |artikel |artículo |)1(?:st)?(?:$|[^\p{L}\d])|\b(?:first|number one|erste[nmrs]?|primer[oa]?|premi[eè]re?)\b`), 1},
	{regexp.MustCompile(`(?i)(?:^|[^\p{L}\d])(?:#|no\.? ?|nr\.? ?|number |article |artikel |artículo |)2(?:nd)?(?:$|[^\p{L}\d])|\b(?:second|two|zweite[nmrs]?|segund[oa]|deuxième|seconde?)\b`), 2},
	{regexp.MustCompile(`(?i)(?:^|[^\p{L}\d])(?:#|no\.? ?|nr\.? ?|number |article |artikel |artículo |)3(?:rd)?(?:$|[^\p{L}\d])|\b(?:third|three|dritte[nmrs]?|tercer[oa]?|troisième)\b`), 3},
}

// clauseBreak splits a reply into clauses: "the first didn't help, but the
// second did" is two answers, and the last one counts.
var clauseBreak = regexp.MustCompile(`(?i)[.;,!?\n]+|\s(?:but|though|although|however|aber|doch|pero|mais)\s`)

// ParseOfferAnswer reads a reply to a KB offer. The reply is read clause by
// clause and the last clause that answers counts, so "it worked for a
// minute but it's still locked" did not fix it, and "the first didn't
// help, the second one did" was fixed by article 2. A bare number names
// the article that fixed it.
func ParseOfferAnswer(text string) OfferAnswer {
	a := NormalizeAnswer(text)
	if m := offerNumber.FindStringSubmatch(a); m != nil {
		return OfferAnswer{Fixed: true, Article: int(m[1][0] - '0')}
	}
	if w, ok := offerWords[a]; ok {
		return w
	}
	var out OfferAnswer
	for _, c := range clauseBreak.Split(a, -1) {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		switch {
		case offerGone.MatchString(c) && !strings.Contains(c, "still"):
			out = OfferAnswer{Fixed: true, Article: ordinal(c)}
		case offerNo.MatchString(c):
			out = OfferAnswer{NotFixed: true}
		case offerYes.MatchString(c):
			out = OfferAnswer{Fixed: true, Article: ordinal(c)}
		}
	}
	return out
}

// ordinal is the article number clause c names, 0 for none.
func ordinal(c string) int {
	for _, o := range offerOrdinals {
		if o.re.MatchString(c) {
			return o.n
		}
	}
	return 0
}
