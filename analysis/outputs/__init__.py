"""What a reader sees: the figure registry and plot functions, the report, findings, citation."""
