"""The modules of scripts/generate_schemas.py (see its docstring)."""
