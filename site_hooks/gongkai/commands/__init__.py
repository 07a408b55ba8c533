"""One module per `gongkai` subcommand (listed in gongkai.cli.COMMANDS)."""
