package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// yaml.v3 reports type errors as text; these pick out the line and the
// names so the message can say which setting is wrong in the admin's terms.
var (
	unknownField = regexp.MustCompile(`line (\d+): field (.+) not found in type \S+$`)
	// syntaxError is yaml.v3's report of a document it cannot parse.
	syntaxError = regexp.MustCompile(`^yaml: line (\d+): (.+)$`)
	wrongType   = regexp.MustCompile("line (\\d+): cannot unmarshal !!\\w+ `(.*)` into (\\S+)")
	// wrongShape is a list or a section where a value of another kind
	// belongs: yaml.v3 quotes no value then.
	wrongShape = regexp.MustCompile(`line (\d+): cannot unmarshal !!(seq|map) into (\S+)`)
)

// decode parses YAML strictly: an unknown key is an error naming it,
// because a misspelt setting silently ignored is worse than a refusal.
func decode(data []byte, f *file) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(f)
	if errors.Is(err, io.EOF) {
		return nil // an empty file means all defaults
	}
	if err == nil {
		return nil
	}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		keys := keysByLine(data)
		named := map[string]bool{} // the lists and sections already named
		msgs := make([]string, len(te.Errors))
		for i, e := range te.Errors {
			if m := unknownField.FindStringSubmatch(e); m != nil {
				msgs[i] = fmt.Sprintf("line %s: unknown setting %q; check its spelling and place against config.example.yaml", m[1], m[2])
			} else if m := wrongShape.FindStringSubmatch(e); m != nil {
				// The list or section starts on the line: its key is the
				// deepest there whose value has that shape.
				line, _ := strconv.Atoi(m[1])
				key := shapeKeyOn(data, line, m[2], named)
				given := map[string]string{"seq": "a list", "map": "a section"}[m[2]]
				msgs[i] = fmt.Sprintf("line %s: %s: %s is the wrong kind of value here: it takes %s; see config.example.yaml for the expected form", m[1], key, given, kindOf(m[3], key))
			} else if m := wrongType.FindStringSubmatch(e); m != nil {
				line, _ := strconv.Atoi(m[1])
				msgs[i] = fmt.Sprintf("line %s: %s: %s is the wrong kind of value here: it takes %s; see config.example.yaml for the expected form", m[1], keys[line], m[2], kindOf(m[3], keys[line]))
			} else {
				msgs[i] = e + "; see config.example.yaml for the expected form"
			}
		}
		return errors.New(strings.Join(msgs, "; "))
	}
	if m := syntaxError.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		if hint := syntaxHint(data, line, m[2]); hint != "" {
			return fmt.Errorf("line %d: not valid YAML (%s): %s; compare with config.example.yaml", line, m[2], hint)
		}
	}
	return fmt.Errorf("not valid YAML: %w", err)
}

// syntaxHint says what usually causes yaml.v3's syntax error msg near line
// of data, in an admin's words; "" when there is nothing useful to add.
func syntaxHint(data []byte, line int, msg string) string {
	lines := strings.Split(string(data), "\n")
	for _, n := range []int{line, line + 1} { // yaml.v3 may name the line before
		if n >= 1 && n <= len(lines) && strings.HasPrefix(strings.TrimLeft(lines[n-1], " "), "\t") {
			return fmt.Sprintf("line %d is indented with a tab; YAML indents with spaces only", n)
		}
	}
	switch {
	case strings.Contains(msg, "mapping values are not allowed"):
		return "a colon where none can be: check that this line is indented like the other keys of its section, and put a value that holds \": \" in quotes"
	case strings.Contains(msg, "did not find expected key"), strings.Contains(msg, "did not find expected '-' indicator"):
		return "a line near here is indented differently from the others of its section; line up the keys of one section with the same number of spaces"
	case strings.Contains(msg, "did not find expected ',' or"), strings.Contains(msg, "did not find expected node content"):
		return "a [ or { opened here is not closed, or a value inside it needs quotes"
	case strings.Contains(msg, "found unexpected end of stream"):
		return "a quote opened near here is never closed"
	}
	return ""
}

// keysByLine maps each line of a YAML document to the dotted path of the
// key on it, so a type error can name the setting, not just the line.
func keysByLine(data []byte) map[int]string {
	out := map[int]string{}
	walkKeys(data, func(path string, line int, item bool, _ yaml.Kind) {
		if _, ok := out[line]; !item || !ok {
			out[line] = path
		}
	})
	return out
}

// shapeKeyOn names the key on line of a YAML document whose value is a
// list (seq) or a section (map), as shape says, that yaml.v3 could not
// decode, and that used has not named yet. yaml.v3 does not look inside a
// value it could not decode, so the culprit is the shallowest such key
// below the top level, in document order, that is not inside one already
// named; a section where sections belong (an SLA target, a list item) is
// passed over ("kb: {suggestions: {a: 1}}" is kb.suggestions, "agents:
// {name: x}" is agents). "the file" for the document itself.
func shapeKeyOn(data []byte, line int, shape string, used map[string]bool) string {
	want := map[string]yaml.Kind{"seq": yaml.SequenceNode, "map": yaml.MappingNode}[shape]
	inUsed := func(path string) bool {
		for u := range used {
			if path == u || strings.HasPrefix(path, u+".") || strings.HasPrefix(path, u+"[") {
				return true
			}
		}
		return false
	}
	var top, below string
	depthBelow := -1
	walkKeys(data, func(path string, l int, item bool, kind yaml.Kind) {
		if l != line || kind != want || inUsed(path) {
			return
		}
		if want == yaml.MappingNode && (item || nestedSection.MatchString(path)) {
			return
		}
		d := strings.Count(path, ".") + strings.Count(path, "[")
		switch {
		case d == 0 && top == "":
			top = path
		case d > 0 && (depthBelow < 0 || d < depthBelow):
			below, depthBelow = path, d
		}
	})
	key := below
	if key == "" {
		key = top
	}
	if key == "" {
		return "the file"
	}
	used[key] = true
	return key
}

// keyLines maps the path of each value of a YAML document (a key's
// dotted path, or a list item's, like agents[0]) to its line, so a check
// made after decoding can name the line to change.
func keyLines(data []byte) map[string]int {
	out := map[string]int{}
	walkKeys(data, func(path string, line int, _ bool, _ yaml.Kind) {
		out[path] = line
	})
	return out
}

// walkKeys calls fn with the path and line of every value in a YAML
// document: mapping values (item false) and sequence items (item true).
func walkKeys(data []byte, fn func(path string, line int, item bool, kind yaml.Kind)) {
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil {
		return
	}
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, path)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				p := n.Content[i].Value
				if path != "" {
					p = path + "." + p
				}
				fn(p, n.Content[i+1].Line, false, n.Content[i+1].Kind)
				walk(n.Content[i+1], p)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				p := fmt.Sprintf("%s[%d]", path, i)
				fn(p, c.Line, true, c.Kind)
				walk(c, p)
			}
		}
	}
	walk(&root, "")
}

// slaKey is a priority's key under sla, whose value is a section.
var slaKey = regexp.MustCompile(`^sla\.P\d$`)

// nestedSection matches the settings below the top level that are
// sections themselves (TestNestedSectionsListed holds it to the file's
// types), so a config error does not blame one of them.
var nestedSection = regexp.MustCompile(`^(?:sla\.[^.]+|priority_matrix\.[^.]+|followups\.status_every|channels\.(?:manager|security))$`)

// kindOf says in words what a setting of Go type goType takes, for an
// admin who never sees the Go code.
func kindOf(goType, key string) string {
	t := strings.TrimPrefix(goType, "*")
	switch {
	case slaKey.MatchString(key):
		return fmt.Sprintf("its targets, like %s: {response: 15m, resolution: 4h}", strings.TrimPrefix(key, "sla."))
	case strings.HasPrefix(t, "[]"):
		return "a list, like [a, b], or one \"- item\" per line"
	case strings.HasPrefix(t, "map["):
		return "settings of its own, one \"name: value\" per line below it"
	case t == "string":
		return "a text"
	case t == "int" || t == "int64":
		return "a whole number"
	case t == "float64":
		return "a number"
	case t == "bool":
		return "true or false"
	}
	return "settings of its own on the lines below it, or {name: value, …}"
}
