"""The triage terminal app and its command line."""
