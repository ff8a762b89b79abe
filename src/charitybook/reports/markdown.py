"""Markdown through Jinja. Every interpolated value is escaped for Markdown by default (a `|` or
a newline in a donor's name must not break a table); only chart code is passed through raw."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from pathlib import Path

from charitybook.reports.labels import LABELS

_SPECIAL = re.compile(r"([\\`*_\[\]|#$~!])")


class Raw(str):
    """Text that is already safe Markdown (chart code we generated)."""


def escape(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Raw):
        return value
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"[\r\n\t\x00-\x08\x0b\x0c\x0e-\x1f]+", " ", text)
    return _SPECIAL.sub(r"\\\1", text)


def yuan(value) -> str:
    return f"{Decimal(value or 0):,.2f}"


def wan(value) -> str:
    return f"{(Decimal(value or 0) / 10000).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"


def chart_label(value) -> Raw:
    """A label inside a Mermaid chart: no quotes, brackets, newlines or semicolons."""
    return Raw(re.sub(r"[\"'\[\]{}();:#\r\n|<>\\`]", " ", str(value or "-")).strip() or "-")


def chart_number(value) -> Raw:
    return Raw(str(Decimal(value or 0).quantize(Decimal("0.01"))))


def shipped_templates() -> Path:
    packaged = resources.files("charitybook") / "templates"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "templates"  # running from a source checkout


def environment(template_dirs: list[Path]):
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

    loaders = [FileSystemLoader(str(path)) for path in template_dirs if path and Path(path).is_dir()]
    loaders.append(FileSystemLoader(str(shipped_templates())))
    env = Environment(loader=ChoiceLoader(loaders), finalize=escape, autoescape=False, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(yuan=yuan, wan=wan, chart_label=chart_label, chart_number=chart_number)
    return env


def render(context: dict, lang: str, template_dirs: list[Path]) -> str:
    env = environment(template_dirs)
    template = env.get_template(f"{context['report']}.md.j2")
    return template.render(**context, t=LABELS[lang], lang=lang)
