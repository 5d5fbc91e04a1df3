"""Typed models of lab files, topologies, facts and results. No I/O here."""
