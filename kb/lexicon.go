package kb

import (
	"strings"
)

// This file holds the read-only word tables used by the analyzer: stop words,
// chat noise and the IT synonym and abbreviation table.

// stopWords are dropped from both articles and queries: English function
// words, plus chat noise that says nothing about the problem ("hi", "please
// help", "since this morning", "thanks in advance").
var stopWords = wordSet(`
a about above after again against all already also am an and any are aren arent as at
be because been before being below between both but by
can cannot cant could couldn couldnt
did didn didnt do does doesn doesnt doing don dont down during
each either etc even ever every few for from further
get gets getting got had hadn hadnt has hasn hasnt have haven havent having
he her here hers herself him himself his how however
i ie if im in into is isn isnt it its itself ive
just let lets like may me might more most much must my myself
no nor not now of off often on once one only or other others our ours ourselves out over own
per quite rather s same shall she should shouldn shouldnt so some such
t than that thats the their theirs them themselves then there theres these they this those
through thus to too under until up upon us use used uses using
very via was wasn wasnt way we were weren what whats when whenever where whether which while who whom whose why will
with within without won wont would wouldn wouldnt yet you youre your yours yourself yourselves

hi hello hey dear guys folks team everyone anyone someone somebody
please pls plz kindly thanks thank thx ty cheers regards advance appreciate appreciated
help helps urgent urgently asap hope hoping wondering wonder know
morning afternoon evening tonight today yesterday ago since lately recently suddenly
still anymore really actually basically literally again keeps keep kept
`)

// wordSynonyms maps the analyzer key of a word to the key of its canonical
// word, built from wordSynonymList.
var wordSynonyms = buildWordSynonyms(wordSynonymList)

// wordSynonymList maps single words (abbreviations, spellings) to one
// canonical word. Both articles and queries go through it, so "2FA" in a
// query finds "multi-factor authentication" in an article.
var wordSynonymList = map[string]string{
	"2fa":           "mfa",
	"2sv":           "mfa",
	"multifactor":   "mfa",
	"authenticator": "mfa",
	"otp":           "mfa",
	"totp":          "mfa",
	"pw":            "password",
	"pwd":           "password",
	"passwd":        "password",
	"passcode":      "password",
	"passphrase":    "password",
	"wlan":          "wifi",
	"wireless":      "wifi",
	"ssid":          "wifi",
	"emails":        "email",
	"mail":          "email",
	"mails":         "email",
	"login":         "signin",
	"logon":         "signin",
	"autoreply":     "ooo",
	"globalprotect": "vpn",
	"anyconnect":    "vpn",
	"reboot":        "restart",
	"rebooted":      "restart",
	"rebooting":     "restart",
	"smartphone":    "phone",
	"cellphone":     "phone",
	"laptop":        "computer",
	"pc":            "computer",
	"workstation":   "computer",
	"macbook":       "computer",
	"aad":           "entra",
	"msteams":       "teams",
}

// phrase is a multi-word synonym: a sequence of analyzer keys.
type phrase struct {
	words []string
	canon string
}

// phraseSynonyms is phraseSynonymList indexed by the key of each phrase's
// first word.
var phraseSynonyms = buildPhrases(phraseSynonymList)

// phraseSynonymList maps multi-word expressions to one canonical word.
// Matching runs before stop-word removal, so phrases may contain stop words
// ("out of office").
var phraseSynonymList = map[string]string{
	"two factor":                  "mfa",
	"2 factor":                    "mfa",
	"two step":                    "mfa",
	"2 step":                      "mfa",
	"multi factor":                "mfa",
	"multi factor authentication": "mfa",
	"two factor authentication":   "mfa",
	"mfa authentication":          "mfa",
	"one time password":           "mfa",
	"one time code":               "mfa",
	"verification code":           "mfa",
	"single sign on":              "sso",
	"out of office":               "ooo",
	"out of the office":           "ooo",
	"automatic replies":           "ooo",
	"automatic reply":             "ooo",
	"auto reply":                  "ooo",
	"auto replies":                "ooo",
	"wi fi":                       "wifi",
	"e mail":                      "email",
	"log in":                      "signin",
	"log on":                      "signin",
	"logged in":                   "signin",
	"logging in":                  "signin",
	"sign in":                     "signin",
	"signed in":                   "signin",
	"signing in":                  "signin",
	"sign on":                     "signin",
	"locked out":                  "lockout",
	"lock out":                    "lockout",
	"global protect":              "vpn",
	"any connect":                 "vpn",
	"active directory":            "ad",
	"azure ad":                    "entra",
	"azure active directory":      "entra",
	"entra id":                    "entra",
	"one drive":                   "onedrive",
	"microsoft teams":             "teams",
	"blue screen":                 "bsod",
	"blue screen of death":        "bsod",
}

// wordSet splits s on white space into a set.
func wordSet(s string) map[string]bool {
	set := make(map[string]bool)
	for _, w := range strings.Fields(s) {
		set[w] = true
	}
	return set
}

// tableKey is analyzer.key for a word of a synonym table.
func tableKey(w string) string {
	a := analyzer{}
	r := splitWords(w)
	if len(r) != 1 {
		return w
	}
	return a.key(r[0])
}

// buildWordSynonyms keys a raw word → word table by analyzer keys.
func buildWordSynonyms(raw map[string]string) map[string]string {
	m := make(map[string]string, len(raw))
	for from, to := range raw {
		m[tableKey(from)] = tableKey(to)
	}
	return m
}

// buildPhrases indexes a raw phrase → word table by the key of each phrase's
// first word.
func buildPhrases(raw map[string]string) map[string][]phrase {
	m := make(map[string][]phrase)
	for from, to := range raw {
		fields := strings.Fields(from)
		words := make([]string, len(fields))
		for i, f := range fields {
			words[i] = tableKey(f)
		}
		m[words[0]] = append(m[words[0]], phrase{words: words, canon: tableKey(to)})
	}
	return m
}
