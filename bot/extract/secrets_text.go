package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Text is read for secrets in a normalised copy, so that look-alike and
// invisible characters cannot hide one: "pass\u00adword" (soft hyphen),
// "to\u2060ken" (word joiner), "ｐａｓｓｗｏｒｄ" (full width) and "𝐩𝐚𝐬𝐬𝐰𝐨𝐫𝐝"
// all read "password". What is stored is the person's text as written,
// less the invisible format characters (which also carry right-to-left
// overrides that make a card read backwards), with the secrets masked.

// detectionText returns text as the detectors read it: each character in
// its compatibility form (NFKC) and default-ignorable characters
// (format characters, variation selectors, joiners) left out. at[i] is
// the byte of text that byte i of the copy came from; at is nil when the
// copy is text itself.
func detectionText(text string) (string, []int) {
	plain := true
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			plain = false
			break
		}
	}
	if plain {
		return text, nil
	}
	var b strings.Builder
	b.Grow(len(text))
	at := make([]int, 0, len(text)+1)
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		s := text[i : i+size]
		start := i
		i += size
		switch {
		case r < utf8.RuneSelf:
			b.WriteByte(byte(r))
			at = append(at, start)
			continue
		case ignorable(r):
			continue
		case r == utf8.RuneError && size == 1:
			b.WriteByte(s[0]) // an invalid byte stays as it is
			at = append(at, start)
			continue
		}
		if !norm.NFKC.IsNormalString(s) {
			s = norm.NFKC.String(s)
		}
		for _, c := range s {
			if ignorable(c) {
				continue
			}
			b.WriteRune(c)
			for range utf8.RuneLen(c) {
				at = append(at, start)
			}
		}
	}
	at = append(at, len(text))
	return b.String(), at
}

// origSpan maps [s, e) of a detection copy back to text.
func origSpan(text string, at []int, s, e int) (int, int) {
	if at == nil {
		return s, e
	}
	os := at[s]
	last := at[e-1]
	_, n := utf8.DecodeRuneInString(text[last:])
	return os, last + n
}

// ignorable reports characters that change nothing a reader sees: format
// characters (zero-width spaces and joiners, soft hyphens, word joiners,
// direction marks and overrides, tag characters), variation selectors and
// the other default-ignorable code points.
func ignorable(r rune) bool {
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r) ||
		unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r)
}

// dropped reports whether the stored text leaves out text[i]'s character
// r: every format character, except a zero-width joiner inside an emoji
// sequence ("👩‍💻"), where it is how the emoji is spelled.
func dropped(text string, i int, r rune) bool {
	if !unicode.Is(unicode.Cf, r) {
		return false
	}
	if r != '\u200d' {
		return true
	}
	prev, _ := utf8.DecodeLastRuneInString(text[:i])
	_, size := utf8.DecodeRuneInString(text[i:])
	next, _ := utf8.DecodeRuneInString(text[i+size:])
	return !emojiPart(prev) || !emojiPart(next)
}

// emojiPart reports characters that join into emoji sequences.
func emojiPart(r rune) bool {
	return r >= 0x1F000 || unicode.Is(unicode.So, r) || unicode.Is(unicode.Sk, r) || unicode.Is(unicode.Variation_Selector, r)
}

// StripInvisible returns text without the format characters the desk
// never stores (see dropped), and with invalid bytes as U+FFFD (two of
// them around a dropped character could otherwise join into a new one);
// MaskSecrets does this to all it returns.
func StripInvisible(text string) string {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	if !hasFormat(text) {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !dropped(text, i, r) {
			b.WriteString(text[i : i+size])
		}
		i += size
	}
	return b.String()
}

// hasFormat reports whether text holds a format character (all of which
// are outside ASCII).
func hasFormat(text string) bool {
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			return strings.IndexFunc(text[i:], func(r rune) bool { return unicode.Is(unicode.Cf, r) }) >= 0
		}
	}
	return false
}
