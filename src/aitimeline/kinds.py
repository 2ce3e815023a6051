"""The kinds of record and the years the site covers: the one list every module reads.

Each kind is a folder under data/ (`events`), a schema and a template (`event`); the words for
kinds and their field values are in the message catalogues (`messages/<lang>.yaml`)."""

from __future__ import annotations

SINGULAR = {"events": "event", "models": "model", "chips": "chip", "companies": "company",
            "predictions": "prediction", "trends": "trend"}
KINDS = tuple(SINGULAR)  # in the order the site lists them
PLURAL = {singular: kind for kind, singular in SINGULAR.items()}
TABLES = ("topics", "sources")  # data/topics.yaml and data/sources.yaml: tables, not records
YEARS = (2021, 2022, 2023, 2024)  # events fall in these years; each has a page
