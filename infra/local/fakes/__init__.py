"""Stand-ins for the parties we cannot run here (Telegram): real HTTP servers that speak their
protocols, shared by the tests and by `make run`."""
