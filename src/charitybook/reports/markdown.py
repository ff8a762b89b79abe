"""Markdown through Jinja. Every interpolated value is escaped for Markdown by default (a `|` or
a newline in a donor's name must not break a table); only chart code is passed through raw."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from pathlib import Path

from charitybook import money
from charitybook.errors import CharitybookError
from charitybook.i18n import _, language
from charitybook.reports.labels import labels, term

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
    """A context's amount ("826400.00" 元) as the report shows it: ``826,400.00``."""
    return money.yuan(money.to_fen(Decimal(value or 0)))


def wan(value) -> str:
    """The same in 万元, as the published figures are: ``82.64``."""
    return money.wan(money.to_fen(Decimal(value or 0)))


def share(part, whole) -> str:
    """``part`` as a percentage of ``whole``, two decimals: ``40.61``; ``—`` when the whole is nothing."""
    whole = Decimal(whole or 0)
    if not whole:
        return "—"
    return str((Decimal(part or 0) * 100 / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def bar(part, whole, width: int = 20) -> Raw:
    """A bar of ``█`` as long as ``part`` is of the largest ``whole``: a chart that needs no Mermaid."""
    whole = Decimal(whole or 0)
    if whole <= 0 or Decimal(part or 0) <= 0:
        return Raw("")
    return Raw("█" * max(1, int((Decimal(part) * width / whole).to_integral_value(rounding=ROUND_HALF_UP))))


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
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    loaders = [FileSystemLoader(str(path)) for path in template_dirs if path and Path(path).is_dir()]
    loaders.append(FileSystemLoader(str(shipped_templates())))
    # sandboxed: a template the secretary edits (or is sent) reaches the context it is given, not Python
    env = SandboxedEnvironment(loader=ChoiceLoader(loaders), finalize=escape, autoescape=False, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(yuan=yuan, wan=wan, share=share, bar=bar, chart_label=chart_label, chart_number=chart_number)
    env.tests["positive"] = lambda value: Decimal(value or 0) > 0  # a pie's slices: Mermaid refuses zero
    return env


def render(context: dict, lang: str | None, template_dirs: list[Path]) -> str:
    """The report in ``lang`` (default: the run's language). Templates get the report words as
    ``t`` and the filter ``term``, which names a channel, donor type, holiday … in that language."""
    lang = lang or language()
    env = environment(template_dirs)
    env.filters["term"] = lambda value, field: term(value, field, lang)
    from jinja2 import TemplateError

    try:
        template = env.get_template(f"{context['report']}.md.j2")
        return template.render(**context, t=labels(lang), lang=lang)
    except TemplateError as error:
        raise CharitybookError(_("the template {name} cannot be rendered: {error}").format(
            name=f"{context['report']}.md.j2", error=error),
            hint=_("compare it with the shipped template, or leave out --template-dir")) from None
