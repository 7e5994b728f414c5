package extract

import (
	"fmt"
	"math/rand/v2"
	"os"
	"regexp/syntax"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode"
)

// The credential families: for every rule of the rule set (one family per
// credential format, secrets_gitleaks.go), samplesPerFamily secrets are
// drawn at random from the rule's own description of the secret, and each
// is pasted three ways, as the issue measured: after a keyword, bare in a
// sentence, and as a line of configuration or code. A sample counts as
// masked when no eight characters of the secret in a row survive.
//
//	go test ./bot/extract -run TestSecretFamilies -v
//
// prints the table (docs/security.md and the README quote it);
// SECRET_FAMILY_SEEDS=8 also draws the samples with seeds 1 to 8 and
// prints each seed's figures, to see how much they vary.

const (
	samplesPerFamily = 3
	familySeed       = 14
)

// codeLines are the ways a secret is pasted as configuration or code; {i}
// is the family's name ("huggingface"), {I} the same in capitals, {s} the
// secret. They follow gitleaks' own sample formats and the lines people
// paste from .env files, YAML, JSON, scripts and command lines.
var codeLines = []string{
	"{I}_TOKEN={s}",
	"{I}_API_KEY={s}",
	"export {I}_SECRET=\"{s}\"",
	"{i}Token=\"{s}\"",
	"{i}Token = {s}",
	"{i}Token = '{s}'",
	"{i}Token := \"{s}\"",
	"{i}Token := `{s}`",
	"var {i}Token string = \"{s}\"",
	"String {i}Token = \"{s}\";",
	"string {i}Token = \"{s}\";",
	"var {i}Token = \"{s}\"",
	"${i}Token .= \"{s}\"",
	"{\n    \"{i}_token\": \"{s}\"\n}",
	"{\"config.ini\": \"{I}_TOKEN={s}\\nBACKUP_ENABLED=true\"}",
	"<{i}Token>\n    {s}\n</{i}Token>",
	"{i}_token: {s}",
	"{i}_token: '{s}'",
	"{i}_token: \"{s}\"",
	"System.setProperty(\"{I}_TOKEN\", \"{s}\")",
	"  \"{i}Token\" => \"{s}\"",
	"{I}_TOKEN ::= \"{s}\"",
	"{I}_TOKEN ?= \"{s}\"",
	"{i}.api.key={s}",
	"mytool --{i}-token {s}",
	"headers = {\"X-{I}-Key\": \"{s}\"}",
}

// family is one credential format and the samples drawn from it.
type family struct {
	id, name string
	samples  []sample
}

// sample is what is pasted and the secret in it: the same string, except
// for formats whose secret is part of a larger match (the credentials in
// a URL).
type sample struct{ paste, secret string }

// families draws the samples, reproducibly, once for all tests.
func families(t testing.TB) []family {
	t.Helper()
	fams, err := familiesOnce()
	if err != nil {
		t.Fatal(err)
	}
	return fams
}

var familiesOnce = sync.OnceValues(func() ([]family, error) { return drawFamilies(familySeed) })

// drawFamilies draws samplesPerFamily secrets of every family with seed.
func drawFamilies(seed uint64) ([]family, error) {
	rng := rand.New(rand.NewPCG(seed, 2026))
	var out []family
	for _, r := range leaks().rules {
		if wholeForms[r.id] {
			continue
		}
		parsed, err := syntax.Parse(r.re.String(), syntax.Perl)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.id, err)
		}
		group := max(r.group, 0)
		if r.group == 0 && r.re.NumSubexp() > 0 {
			group = 1
		}
		sub := capture(parsed, group)
		f := family{id: r.id}
		g := regexSample{rng: rng}
		whole := false
		for tries := 0; len(f.samples) < samplesPerFamily && tries < 400; tries++ {
			if tries == 200 && len(f.samples) == 0 {
				sub, whole = parsed, true // the group needs its context (a URL): draw whole matches
			}
			var b strings.Builder
			g.write(&b, sub)
			s := b.String()
			for _, name := range familyNames(r) {
				if f.name != "" && f.name != name {
					continue
				}
				if secret, ok := validSample(r, name, s, whole); ok {
					f.name = name
					f.samples = append(f.samples, sample{paste: s, secret: secret})
					break
				}
			}
		}
		if len(f.samples) == 0 {
			return nil, fmt.Errorf("%s: no sample drawn from %s fits the rule", r.id, r.re)
		}
		out = append(out, f)
	}
	return out, nil
}

// validSample reports whether the rule itself finds s as a secret in the
// line gitleaks checks its rules with, so a sample is a real member of
// its format (entropy, allowlists and all). It returns the secret the
// rule finds: s, or the part of it the rule reports when whole.
func validSample(r leakRule, name, s string, whole bool) (string, bool) {
	if strings.ContainsAny(s, " \t\n\"'`") {
		return "", false
	}
	line := fmt.Sprintf("%s_api_token = \"%s\"", name, s)
	at := strings.LastIndex(line, s)
	secret := ""
	findLeaksIn(leaks(), []leakRule{r}, line, asciiLower(line), func(start, end int, _ string) {
		if start >= at && end <= at+len(s) && (whole || start == at && end == at+len(s)) {
			secret = line[start:end]
		}
	})
	return secret, secret != ""
}

// wholeForms are formats that are a whole block or command line (a PEM
// key, a curl command): TestMaskSecrets has them.
var wholeForms = map[string]bool{"private-key": true, "curl-auth-header": true, "curl-auth-user": true}

// familyNames are the names a family may be pasted under, best first: its
// keywords that are names, then its ID's first words ("new-relic").
func familyNames(r leakRule) []string {
	var names []string
	for _, k := range r.keywords {
		k = strings.Trim(k, "_-")
		if len(k) >= 4 && strings.IndexFunc(k, func(c rune) bool { return !unicode.IsLetter(c) && c != '_' }) < 0 {
			names = append(names, k, k+"_token")
		}
	}
	words := strings.Split(r.id, "-")
	names = append(names, words[0])
	if len(words) > 1 {
		names = append(names, words[0]+"-"+words[1], words[0]+"_"+words[1], words[0]+words[1])
	}
	return names
}

// leaked reports whether eight characters of secret in a row (all of it,
// when shorter) survive from in to out; characters the rest of in has too
// (the name "rubygems_token" for a "rubygems_…" key) do not count.
func leaked(secret, in, out string) bool {
	rest := strings.ReplaceAll(in, secret, "\x00")
	w := min(8, len(secret))
	for i := 0; i+w <= len(secret); i++ {
		if win := secret[i : i+w]; strings.Count(out, win) > strings.Count(rest, win) {
			return true
		}
	}
	return false
}

// familyRow is one row of the table: how many pastes were masked.
type familyRow struct {
	name          string
	masked, total int
	missed        map[string]int // family → pastes missed
	example       string
}

// measureFamilies pastes every sample the three ways and counts.
func measureFamilies(fams []family, mask func(string) string) []*familyRow {
	rows := []*familyRow{
		{name: `after a keyword: "here is my token: X, it stopped working"`, missed: map[string]int{}},
		{name: `bare: "I pasted X into the config"`, missed: map[string]int{}},
		{name: "as a config or code line (" + fmt.Sprint(len(codeLines)) + " forms)", missed: map[string]int{}},
	}
	seen := map[string]bool{}
	for _, f := range fams {
		for _, smp := range f.samples {
			p, s := smp.paste, smp.secret
			if seen[p] {
				continue // a secret two rules share counts once
			}
			seen[p] = true
			check := func(row *familyRow, in string) {
				row.total++
				if out := mask(in); leaked(s, in, out) {
					row.missed[f.id]++
					if row.example == "" {
						row.example = fmt.Sprintf("%q -> %q", in, out)
					}
					return
				}
				row.masked++
			}
			check(rows[0], "here is my token: "+p+", it stopped working")
			check(rows[1], "I pasted "+p+" into the config")
			r := strings.NewReplacer("{i}", f.name, "{I}", strings.ToUpper(f.name), "{s}", p)
			for _, form := range codeLines {
				check(rows[2], r.Replace(form))
			}
		}
	}
	return rows
}

// TestSecretFamilies is the table: every row must mask at least
// 97 % of what is pasted.
func TestSecretFamilies(t *testing.T) {
	mask := func(s string) string { out, _ := MaskSecrets(s); return out }
	rows := measureFamilies(families(t), mask)
	t.Logf("gitleaks %s: %d rules, %d distinct secrets", gitleaksVersion, len(leaks().rules), rows[1].total)
	for _, r := range rows {
		pct := 100 * float64(r.masked) / float64(r.total)
		t.Logf("%-70s %5d / %5d (%.1f %%)", r.name, r.masked, r.total, pct)
		if pct < 97 {
			t.Errorf("%s: %.1f %% masked, want at least 97 %%; first miss %s", r.name, pct, r.example)
		}
		if len(r.missed) > 0 {
			var ids []string
			for id, n := range r.missed {
				ids = append(ids, fmt.Sprintf("%s (%d)", id, n))
			}
			sort.Strings(ids)
			t.Logf("    missed: %s", strings.Join(ids, ", "))
		}
	}
}

// TestSecretFamilySeeds prints the rows for other draws of the samples.
func TestSecretFamilySeeds(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("SECRET_FAMILY_SEEDS"))
	if n <= 0 {
		t.Skip("set SECRET_FAMILY_SEEDS=N to draw the samples with seeds 1 to N")
	}
	mask := func(s string) string { out, _ := MaskSecrets(s); return out }
	for seed := range uint64(n) {
		fams, err := drawFamilies(seed + 1)
		if err != nil {
			t.Fatal(err)
		}
		rows := measureFamilies(fams, mask)
		line := fmt.Sprintf("seed %d:", seed+1)
		for _, r := range rows {
			line += fmt.Sprintf(" %d/%d (%.1f %%)", r.masked, r.total, 100*float64(r.masked)/float64(r.total))
		}
		t.Log(line)
	}
}

// TestFamilySamplesValid: the sample generator draws members of each
// format, not strings that merely look alike: every sample is found by its
// own rule, and the rule set has the families the issue names.
func TestFamilySamplesValid(t *testing.T) {
	fams := families(t)
	if len(fams) < 200 {
		t.Fatalf("%d families, want the rule set's 200 and more", len(fams))
	}
	ids := map[string]bool{}
	for _, f := range fams {
		ids[f.id] = true
	}
	for _, want := range []string{"huggingface-access-token", "azure-ad-client-secret", "sentry-access-token", "cloudflare-api-key",
		"digitalocean-access-token", "sendgrid-api-token", "twilio-api-key", "pypi-upload-token", "grafana-api-key", "vault-service-token",
		"slack-webhook-url", "aws-access-token", "gitlab-pat", "jwt"} {
		if !ids[want] {
			t.Errorf("no family %s", want)
		}
	}
}
