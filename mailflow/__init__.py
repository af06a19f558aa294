"""Mailflow: turns a shared order inbox into confirmed orders."""

__version__ = "0.1.0"
