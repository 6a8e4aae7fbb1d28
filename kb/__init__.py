"""kb: a claim-tracking knowledge base for AI-infrastructure news."""

__version__ = "0.1.0"
