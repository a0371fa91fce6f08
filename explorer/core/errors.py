"""Errors that carry a translatable message.

:class:`InputError` is a :class:`ValueError` whose English message is a ``template`` with
``{placeholders}`` plus the ``fields`` that fill it.  Code that has no Qt (``explorer.core``,
``explorer.model`` state objects, the file readers) raises it; the interface shows it in the
user's language with ``tr(exc.template).format(**exc.fields)`` (see
:func:`explorer.i18n.tr_error`), and ``str(exc)`` stays the plain English sentence.
"""
from __future__ import annotations


class InputError(ValueError):
    """A refused input: ``template`` is the English message with ``{placeholders}``,
    ``fields`` their values (already formatted as text or plain numbers)."""

    def __init__(self, template: str, **fields):
        try:
            message = template.format(**fields)
        except (KeyError, IndexError, ValueError):   # a template error must not hide the refusal
            message = template
        super().__init__(message)
        self.template = template
        self.fields = fields
