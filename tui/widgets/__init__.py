"""Widgets of the main screen: connections sidebar, ticket list, detail pane, status bar."""
