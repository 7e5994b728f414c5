package config

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/helpdesk-bot/helpdesk/bot"
)

// The secrets are read from the environment only, never from the file; the
// chats run by whether their token is set.
const (
	EnvSlackBotToken      = "SLACK_BOT_TOKEN"      // xoxb-…: Slack runs when it is set
	EnvSlackAppToken      = "SLACK_APP_TOKEN"      // xapp-…: Socket Mode
	EnvSlackSigningSecret = "SLACK_SIGNING_SECRET" // the HTTP Events API
	EnvDiscordBotToken    = "DISCORD_BOT_TOKEN"    // Discord runs when it is set
	EnvLLMAPIKey          = "HELPDESK_LLM_API_KEY" // the model server's key, if it needs one
	// EnvDashboardToken is what a browser must give to see the web
	// dashboard on http.addr; without it the dashboard is off.
	EnvDashboardToken = "HELPDESK_DASHBOARD_TOKEN"
	// EnvDatabaseURL is the older name of HELPDESK_DATABASE, kept so
	// existing deployments go on working.
	EnvDatabaseURL = "HELPDESK_DATABASE_URL"
)

// docLine is where decode's errors name a line of the document.
var docLine = regexp.MustCompile(`line \d+: `)

// envPrefix starts the name of every variable that sets a setting.
const envPrefix = "HELPDESK_"

// EnvVar is an environment variable that sets one setting of the config
// file. Its name is HELPDESK_ and the setting's key in capitals, dots as
// underscores: http.addr is HELPDESK_HTTP_ADDR.
type EnvVar struct {
	Name string // HELPDESK_HTTP_ADDR
	Key  string // http.addr
	// Form says how the value is written: text, a number, true or false,
	// a comma-separated list, or YAML for a structured setting.
	Form string
	kind envKind
}

type envKind int

const (
	envText   envKind = iota // a string, taken as it is
	envScalar                // a number or boolean, read as YAML
	envList                  // a list of strings: a,b,c or YAML [a, b]
	envYAML                  // a structured setting: its YAML
)

// EnvVars lists every variable that sets a setting, in the order of the
// config file. It is generated from the schema (the yaml tags of the file
// type), so a setting added there can come from the environment at once;
// the jobs under schedule: come from bot.Jobs.
func EnvVars() []EnvVar {
	var jobs []string
	for _, j := range bot.Jobs() {
		jobs = append(jobs, j.Name)
	}
	return envVarsOf(reflect.TypeFor[file](), "", map[string][]string{"schedule": jobs})
}

// envVarsOf walks a section of the schema. inline names the keys of an
// inline map (schedule's jobs), by the section's key.
func envVarsOf(t reflect.Type, prefix string, inline map[string][]string) []EnvVar {
	var out []EnvVar
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if opts == "inline" {
			for _, k := range inline[strings.TrimSuffix(prefix, ".")] {
				out = append(out, newEnvVar(prefix+k, f.Type.Elem()))
			}
			continue
		}
		key := prefix + name
		if ft := f.Type; ft.Kind() == reflect.Struct {
			out = append(out, envVarsOf(ft, key+".", inline)...)
			continue
		}
		out = append(out, newEnvVar(key, f.Type))
	}
	return out
}

func newEnvVar(key string, t reflect.Type) EnvVar {
	v := EnvVar{Name: envPrefix + strings.ToUpper(strings.ReplaceAll(key, ".", "_")), Key: key}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		v.kind, v.Form = envText, "text"
	case reflect.Bool:
		v.kind, v.Form = envScalar, "true or false"
	case reflect.Int, reflect.Float64:
		v.kind, v.Form = envScalar, "number"
	case reflect.Slice:
		v.kind, v.Form = envYAML, "YAML"
		if t.Elem().Kind() == reflect.String {
			v.kind, v.Form = envList, "list: a,b,c"
		}
	default:
		v.kind, v.Form = envYAML, "YAML"
	}
	return v
}

// applyEnv sets what the environment gives over what the file said, and
// returns the names of the variables used. Each variable is decoded on
// its own, strictly, so an error names it.
func applyEnv(f *file, getenv func(string) string) ([]string, error) {
	if getenv == nil {
		return nil, nil
	}
	var used []string
	for _, v := range EnvVars() {
		value := getenv(v.Name)
		if v.Key == "database" {
			old := getenv(EnvDatabaseURL)
			if value != "" && old != "" && old != value {
				return nil, fmt.Errorf("%s and %s are both set, to different databases; keep one (%s is the older name)", v.Name, EnvDatabaseURL, EnvDatabaseURL)
			}
			if value == "" && old != "" {
				value, v.Name = old, EnvDatabaseURL
			}
		}
		if value == "" {
			continue
		}
		leaf, err := v.node(value)
		if err != nil {
			return nil, err
		}
		doc := leaf
		parts := strings.Split(v.Key, ".")
		for i := len(parts) - 1; i >= 0; i-- {
			doc = &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: parts[i]}, doc}}
		}
		data, err := yaml.Marshal(doc)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", v.Name, err)
		}
		if err := decode(data, f); err != nil {
			// The document is the variable's alone: its lines are the
			// variable.
			return nil, errors.New(docLine.ReplaceAllString(err.Error(), v.Name+": "))
		}
		delete(f.lines, v.Key) // the file's line no longer says it
		used = append(used, v.Name)
	}
	return used, nil
}

// node is the YAML a variable's value stands for.
func (v EnvVar) node(value string) (*yaml.Node, error) {
	switch v.kind {
	case envText:
		// Tagged as a string, so a cron spec's * or a value like "off" or
		// "0755" stays what was written.
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value}, nil
	case envScalar:
		return &yaml.Node{Kind: yaml.ScalarNode, Value: strings.TrimSpace(value)}, nil
	case envList:
		if !strings.HasPrefix(strings.TrimSpace(value), "[") {
			n := &yaml.Node{Kind: yaml.SequenceNode}
			for item := range strings.SplitSeq(value, ",") {
				if item = strings.TrimSpace(item); item != "" {
					n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: item})
				}
			}
			return n, nil
		}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(value), &doc); err != nil || len(doc.Content) == 0 {
		return nil, fmt.Errorf("%s: not valid YAML; write the %s setting as in config.example.yaml, on one line, for example [{name: Dana, ids: [\"slack:U0123ABC\"]}] or {P1: 1h}", v.Name, v.Key)
	}
	return doc.Content[0], nil
}

// UnknownEnv lists the HELPDESK_ variables in environ (os.Environ's form)
// that set nothing, so a misspelt one is reported rather than silently
// ignored.
func UnknownEnv(environ []string) []string {
	known := []string{EnvLLMAPIKey, EnvDatabaseURL, EnvDashboardToken}
	for _, v := range EnvVars() {
		known = append(known, v.Name)
	}
	var out []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, envPrefix) && !slices.Contains(known, name) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// fromEnv says which variable set key when one did, for an error about
// the setting's value.
func fromEnv(err error, used []string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	for _, name := range used {
		key := envKey(name)
		if strings.HasPrefix(msg, key+":") || strings.HasPrefix(msg, key+".") || strings.HasPrefix(msg, key+"[") {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return err
}

// envKey is the setting a variable of EnvVars sets.
func envKey(name string) string {
	if name == EnvDatabaseURL {
		return "database"
	}
	for _, v := range EnvVars() {
		if v.Name == name {
			return v.Key
		}
	}
	return ""
}
