"""Small helpers shared by the loaders of user JSON files (sessions, scenarios): data only."""
from __future__ import annotations


def json_type_name(value) -> str:
    """How a JSON value's type reads in an error message ("text", "a list", ...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
