"""Translations: language codes, translation units and their hashes, merging, status, init and update."""
