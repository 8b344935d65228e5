"""Template filters for framework texts and figures."""

from __future__ import annotations

from itertools import groupby

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from agreements.drafting.states import drafting_state_label
from agreements.formatting import describe_period, describe_target, format_money, format_number

register = template.Library()

register.filter("nl_number", format_number)
register.filter("nl_money", format_money)
register.filter("target_value", describe_target)
register.filter("target_period", describe_period)


@register.filter
def agreement_text(text: str, heading_level: int = 3) -> SafeString:
    """Render the plain-text format of framework texts as safe HTML.

    Blank lines separate paragraphs; "## " starts a subheading; "- " starts a list item.
    Everything is escaped first, so the stored text can never inject markup.
    """
    level = max(2, min(int(heading_level), 6))
    parts: list[str] = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in block.strip().split("\n") if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("## "):
            parts.append(f'<h{level} class="pa-text-heading">{escape(lines[0][3:])}</h{level}>')
            lines = lines[1:]
            if not lines:
                continue
        # A block may open with a line of text and go on with a list ("Plannen:\n- a\n- b").
        for is_list, group in groupby(lines, key=lambda line: line.startswith("- ")):
            group = list(group)
            if is_list:
                items = "".join(f"<li>{escape(line[2:])}</li>" for line in group)
                parts.append(f'<ul class="utrecht-unordered-list">{items}</ul>')
            else:
                parts.append(f'<p class="utrecht-paragraph">{escape(" ".join(group))}</p>')
    return mark_safe("\n".join(parts))  # noqa: S308 - every piece above is escaped


@register.filter
def drafting_state(framework) -> str:
    """The framework's drafting state as the lists say it (agreements.drafting.states)."""
    return drafting_state_label(framework)
