package main

import (
	"flag"

	"github.com/helpdesk-bot/helpdesk/cmd/helpdesk/config"
)

// configFlags are the -config and -data flags of the subcommands that read
// the bot's config as a start does (doctor, backup).
type configFlags struct{ path, dataDir *string }

func addConfigFlags(fs *flag.FlagSet) configFlags {
	return configFlags{
		path:    fs.String("config", "", "YAML config file (default: built-in defaults)"),
		dataDir: fs.String("data", "", "data directory (overrides data_dir), as when running the bot"),
	}
}

// load reads the config file and the environment as a start does, with
// -data applied.
func (c configFlags) load(e env) (config.Config, error) {
	cfg, err := config.LoadEnv(*c.path, e.getenv)
	if err != nil {
		return cfg, err
	}
	if *c.dataDir != "" {
		cfg = cfg.WithDataDir(*c.dataDir)
	}
	return cfg, nil
}
