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

ich mein meine meinen mir mich ist sind nicht kein keine nichts das der dem und oder bitte seit
heute wieder immer noch mehr sich bei mit auf von wenn aber kann habe wird ein eine einen es
mi mis el los las una que por favor está esta desde hoy pero con para puedo tengo ya más
je mon ma mes les une est pas ne ça depuis avec pour sur mais peux
kaputt funktioniert funktionieren geht gehen klappt hilfe defekt
funciona funcionar ayuda roto rota falla fallo
fonctionne marche cassé aide panne
`)

// vagueWordList are the words that say something is wrong but not what:
// a report made of these and stop words only ("it's broken", "help, it
// doesn't work", "es geht nicht", "no funciona", "ça marche pas") names
// nothing to search for, so the desk asks what is broken instead of
// offering articles. English, and the common words of German, Spanish and
// French.
const vagueWordList = `
broken break breaks broke work works working worked problem problems issue issues error errors
wrong fix fixed fail fails failing failed failure crash crashes crashing crashed stop stops stopped
something anything nothing thing things stuff weird strange happen happens happening happened
go goes going gone need needs want wants right properly correctly bad system
kaputt funktioniert funktionieren geht gehen klappt fehler problem hilfe defekt
roto rota funciona funcionar problema ayuda falla fallo
cassé casse marche fonctionne problème aide panne bug erreur
`

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
	"reach":         "connect",
	"reachable":     "connect",
	"unreachable":   "connect",
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
	// Common IT words of German, Spanish and French reports.
	"passwort":   "password",
	"kennwort":   "password",
	"contraseña": "password",
	"drucker":    "printer",
	"impresora":  "printer",
	"imprimante": "printer",
	"verbindung": "connect",
	"verbinden":  "connect",
	"verbindet":  "connect",
	"conectar":   "connect",
	"conecta":    "connect",
	"conexión":   "connect",
	"connexion":  "connect",
	"connecter":  "connect",
	"konto":      "account",
	"cuenta":     "account",
	"compte":     "account",
	"gesperrt":   "lockout",
	"bloqueado":  "lockout",
	"bloquée":    "lockout",
	"bloqué":     "lockout",
	"bildschirm": "screen",
	"pantalla":   "screen",
	"écran":      "screen",
	"anmelden":   "signin",
	"anmeldung":  "signin",
	"langsam":    "slow",
	"lento":      "slow",
	"lent":       "slow",
	"correo":     "email",
	"courriel":   "email",
	"absturz":    "crash",
	"abstürzt":   "crash",
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
	"sign out":                    "signout",
	"signs out":                   "signout",
	"signed out":                  "signout",
	"signing out":                 "signout",
	"sign me out":                 "signout",
	"signs me out":                "signout",
	"signed me out":               "signout",
	"signing me out":              "signout",
	"log out":                     "signout",
	"logs out":                    "signout",
	"logged out":                  "signout",
	"logging out":                 "signout",
	"logs me out":                 "signout",
	"logged me out":               "signout",
	"logging me out":              "signout",
	"kicks me out":                "signout",
	"kicked me out":               "signout",
	"kicked out":                  "signout",
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
