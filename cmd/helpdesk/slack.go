package main

// slackConfig is the slack: section of the config file.
type slackConfig struct{}

// slackSettings is the resolved Slack configuration.
type slackSettings struct{}

func (c slackConfig) resolve() (slackSettings, error) { return slackSettings{}, nil }

// startSlack builds the Slack adapter when Slack tokens are set in the
// environment, and returns nil when Slack is not configured.
func startSlack(cfg Config, e env, d deps) (*platform, error) { return nil, nil }
