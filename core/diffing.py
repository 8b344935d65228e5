"""Readable word-level differences between two texts, rendered with <del> and <ins>."""

from __future__ import annotations

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TOKENS = re.compile(r"\s+|[^\s]+")


def tokens(text: str) -> list[str]:
    """Words and the whitespace between them, so that joining the tokens gives the text back."""
    return _TOKENS.findall(text or "")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) pairs with op in "equal", "delete", "insert"; replacements become a delete
    followed by an insert. Whitespace-only differences inside equal runs are kept as equal."""
    a, b = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("equal", "".join(a[i1:i2])))
            continue
        if op in {"delete", "replace"}:
            out.append(("delete", "".join(a[i1:i2])))
        if op in {"insert", "replace"}:
            out.append(("insert", "".join(b[j1:j2])))
    return out


def diff_html(old: str, new: str) -> SafeString:
    """The word diff as HTML: deleted words in <del>, inserted words in <ins>, all escaped."""
    parts = []
    for op, text in word_diff(old, new):
        if op == "equal":
            parts.append(escape(text))
        elif op == "delete":
            parts.append(f"<del>{escape(text)}</del>")
        else:
            parts.append(f"<ins>{escape(text)}</ins>")
    return mark_safe("".join(parts).replace("\n", "<br>"))  # noqa: S308 - every part escaped
