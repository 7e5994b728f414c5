package extract

import (
	"strings"
	"unicode"
)

// Language guesses the language of a chat message from its common words:
// "de", "es", "fr", "it", "pt", "nl", or "en" when English words win or
// nothing is telling. Short answers ("nur ich", "solo yo") count too.
func Language(text string) string {
	counts := map[string]int{}
	text = urlRe.ReplaceAllString(text, " ") // "example.com" is not Portuguese "com"
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }) {
		for lang, words := range langWords {
			if words[w] {
				counts[lang]++
			}
		}
	}
	best, n := "en", counts["en"]
	for _, lang := range []string{"de", "es", "fr", "it", "pt", "nl"} {
		if counts[lang] > n {
			best, n = lang, counts[lang]
		}
	}
	return best
}

// langWords are short, frequent words that mostly belong to one language;
// words two languages share ("de", "la", "en") are left out.
var langWords = map[string]map[string]bool{
	"en": wordSet(`the and is are it my i can can't cannot not with for this that have has on to of was what doesn't don't won't isn't from since please help me just only we our you`),
	"de": wordSet(`und ist nicht ich mein meine meinen mit der die das den dem ein eine einen geht kann keine kein bitte seit auf für wir uns nur auch noch schon nichts wird werden habe hat haben funktioniert heute gestern morgen sehr mehr mir mich wieder`),
	"es": wordSet(`el los las y es está no puedo mi mis con para por una un funciona desde hoy ayer nada yo solo también ya tengo tiene que pero muy ahora equipo correo ayuda favor gracias sí`),
	"fr": wordSet(`le les et est pas je mon ma mes avec pour une un fonctionne depuis aujourd'hui hier rien moi seulement aussi déjà j'ai ai il elle ne n'arrive peux plus mais très merci oui ce cette sur dans`),
	"it": wordSet(`il gli è non io mio mia con per una funziona da oggi ieri niente solo anche già ho che molto grazie sì questo`),
	"pt": wordSet(`o os e é não eu meu minha com para uma um funciona desde hoje ontem nada só também já tenho que mas muito obrigado sim`),
	"nl": wordSet(`het en is niet ik mijn met voor een werkt sinds vandaag gisteren niets alleen ook al heb dat maar zeer bedankt ja`),
}
