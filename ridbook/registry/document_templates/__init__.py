"""Packaged .docx templates of the registry's documents (built by ``build_templates.py``)."""
