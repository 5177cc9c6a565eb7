"""Enrichment stages: plain functions over article records (no network, no database)."""
