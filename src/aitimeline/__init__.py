"""aitimeline: a validated knowledge base of AI, 2021–2024, rendered as a MkDocs site."""

__version__ = "0.1.0"
