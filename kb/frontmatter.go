package kb

import (
	"bytes"
	"unicode/utf8"
)

// simpleFrontMatter reads the front matter most article files have, a
// few "key: value" lines, without the YAML parser, which takes about
// three quarters of the time of loading a large kb.dir and most of its
// garbage. It accepts only a strict subset of YAML whose meaning is
// plain: each line is one of the known keys at the start of the line,
// ": ", and either a plain value of printable ASCII that YAML reads as a
// string (not null, not starting with an indicator, without ": ", " #"
// or a final ':'), or a double-quoted one with the escapes JSON writes
// (\" \\ \b \f \n \r \t \uXXXX), or for tags a flow list of simple
// words, [vpn, remote]. For anything else it returns false and the
// caller parses the YAML: comments, other quoting, lists on several
// lines, anchors, tabs, non-ASCII text, repeated or unknown keys, errors.
// Where it accepts, it gives what decoding the YAML gives
// (TestSimpleFrontMatterMatchesYAML, FuzzSimpleFrontMatter).
func simpleFrontMatter(head []byte) (frontMatter, bool) {
	var fm frontMatter
	var seen [len(frontMatterKeys)]bool
	if len(head) == 0 || head[len(head)-1] != '\n' {
		return fm, false
	}
	for len(head) > 0 {
		end := bytes.IndexByte(head, '\n')
		line := head[:end]
		head = head[end+1:]
		key, value, ok := bytes.Cut(line, []byte(": "))
		if !ok {
			return fm, false
		}
		k := -1
		for i, known := range frontMatterKeys {
			if string(key) == known {
				k = i
			}
		}
		if k < 0 || seen[k] {
			return fm, false
		}
		seen[k] = true
		if string(key) == "tags" {
			tags, ok := simpleFlowList(value)
			if !ok {
				return fm, false
			}
			fm.Tags = tags
			continue
		}
		s, ok := simpleScalar(value)
		if !ok {
			return fm, false
		}
		switch string(key) {
		case "id":
			fm.ID = s
		case "title":
			fm.Title = s
		case "category":
			fm.Category = s
		case "summary":
			fm.Summary = s
		}
	}
	return fm, true
}

// simpleScalar reads a value of simpleFrontMatter's subset.
func simpleScalar(v []byte) (string, bool) {
	if len(v) > 0 && v[0] == '"' {
		return simpleQuoted(v)
	}
	v = bytes.TrimRight(v, " ")
	if len(v) == 0 || isNullWord(v) || bytes.IndexByte([]byte("-?:,[]{}#&*!|>'\"%@` "), v[0]) >= 0 ||
		v[len(v)-1] == ':' || bytes.Contains(v, []byte(": ")) || bytes.Contains(v, []byte(" #")) {
		return "", false
	}
	for _, c := range v {
		if c < 0x20 || c > 0x7e {
			return "", false
		}
	}
	return string(v), true
}

// simpleQuoted reads a double-quoted value that ends the line (trailing
// spaces aside), with JSON's escapes.
func simpleQuoted(v []byte) (string, bool) {
	out := make([]byte, 0, len(v))
	for i := 1; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '"':
			if len(bytes.TrimRight(v[i+1:], " ")) > 0 {
				return "", false
			}
			return string(out), true
		case c < 0x20 || c > 0x7e:
			return "", false
		case c != '\\':
			out = append(out, c)
			continue
		}
		if i+1 >= len(v) {
			return "", false
		}
		i++
		switch v[i] {
		case '"', '\\':
			out = append(out, v[i])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			if i+4 >= len(v) {
				return "", false
			}
			r := rune(0)
			for _, h := range v[i+1 : i+5] {
				switch {
				case h >= '0' && h <= '9':
					r = r<<4 | rune(h-'0')
				case h >= 'a' && h <= 'f':
					r = r<<4 | rune(h-'a'+10)
				case h >= 'A' && h <= 'F':
					r = r<<4 | rune(h-'A'+10)
				default:
					return "", false
				}
			}
			if r >= 0xd800 && r <= 0xdfff { // YAML rejects surrogates
				return "", false
			}
			out = utf8.AppendRune(out, r)
			i += 4
		default:
			return "", false
		}
	}
	return "", false
}

// simpleFlowList reads a list of tags like [vpn, remote access, wi-fi]:
// words of ASCII letters and digits, with spaces, '-', '_' and '.'
// inside.
func simpleFlowList(v []byte) ([]string, bool) {
	v = bytes.TrimRight(v, " ")
	if len(v) < 3 || v[0] != '[' || v[len(v)-1] != ']' {
		return nil, false
	}
	var out []string
	for item := range bytes.SplitSeq(v[1:len(v)-1], []byte(",")) {
		item = bytes.Trim(item, " ")
		if len(item) == 0 || !isAlnum(item[0]) || !isAlnum(item[len(item)-1]) || isNullWord(item) {
			return nil, false
		}
		for _, c := range item {
			if !isAlnum(c) && c != ' ' && c != '-' && c != '_' && c != '.' {
				return nil, false
			}
		}
		out = append(out, string(item))
	}
	return out, true
}

// isNullWord reports whether YAML reads a plain v as null.
func isNullWord(v []byte) bool {
	switch string(v) {
	case "~", "null", "Null", "NULL":
		return true
	}
	return false
}
