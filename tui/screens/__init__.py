"""Screens: the main triage screen, help, and the modal forms."""
