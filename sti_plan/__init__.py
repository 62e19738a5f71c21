"""sti-plan: track a government S&T plan's targets against reported actuals."""

__version__ = "0.1.0"
