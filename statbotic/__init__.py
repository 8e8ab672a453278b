"""Statbotic: a customer-support team's daily statistics, recorded and turned into answers."""

__version__ = "1.0.0"
