package main

// discordConfig is the discord: section of the config file.
type discordConfig struct{}

// discordSettings is the resolved Discord configuration.
type discordSettings struct{}

func (c discordConfig) resolve() (discordSettings, error) { return discordSettings{}, nil }

// startDiscord builds the Discord adapter when a Discord bot token is set in
// the environment, and returns nil when Discord is not configured.
func startDiscord(cfg Config, e env, d deps) (*platform, error) { return nil, nil }
