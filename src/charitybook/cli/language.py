"""The run's language, chosen before anything is said; help and click's own messages in it.

Chinese is the default. ``--lang en`` (anywhere on the line), ``CHARITYBOOK_LANG=en`` or an English
locale (``LC_ALL`` / ``LC_MESSAGES`` / ``LANG`` = ``en_…``, or Windows' own) select English;
``--lang zh`` or ``CHARITYBOOK_LANG=zh`` select Chinese whatever the locale.
"""

from __future__ import annotations

import locale
import re

from charitybook import i18n
from charitybook.errors import UsageError
from charitybook.i18n import N_, _

# the options of the whole program, which a clerk may type after the command as well
GLOBAL_VALUED = ("--db", "--lang")
GLOBAL_FLAGS = ("--debug",)

_NAMES = {"zh": "zh", "zh_cn": "zh", "zh-cn": "zh", "zh_hans": "zh", "chinese": "zh", "中文": "zh", "cn": "zh",
          "en": "en", "en_us": "en", "en-us": "en", "en_gb": "en", "english": "en", "英文": "en"}


def hoist_global_options(args: list[str]) -> list[str]:
    """``list donations --db x.db`` means ``--db x.db list donations``: the global options move to the
    front, wherever they were typed (up to a ``--``)."""
    front: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest += args[index:]
            break
        if arg in GLOBAL_VALUED and index + 1 < len(args):
            front += args[index:index + 2]
            index += 2
            continue
        if arg in GLOBAL_FLAGS or arg.startswith(tuple(f"{name}=" for name in GLOBAL_VALUED)):
            front.append(arg)
        else:
            rest.append(arg)
        index += 1
    return front + rest


def _given(args: list[str]) -> str | None:
    for index, arg in enumerate(args):
        if arg == "--":
            return None
        if arg == "--lang" and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def _from_locale(environ) -> str:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "en" if value.lower().startswith("en") else "zh"
    try:
        found = locale.getlocale()[0] or ""     # Windows: 'English_United States', 'Chinese (Simplified)_China'
    except ValueError:
        found = ""
    return "en" if found.lower().startswith("en") else "zh"


def choose(args: list[str], environ) -> str:
    """Set the run's language from ``--lang``, else ``CHARITYBOOK_LANG``, else the locale."""
    given, source = _given(args), "--lang"
    if given is None and environ.get("CHARITYBOOK_LANG"):
        given, source = environ["CHARITYBOOK_LANG"], "CHARITYBOOK_LANG"
    if given is None:
        lang = _from_locale(environ)
    else:
        lang = _NAMES.get(given.strip().lower())
        if lang is None:
            i18n.set_language(_from_locale(environ))
            raise UsageError(_("{source} {value!r}: the languages are zh (中文) and en (English)").format(
                source=source, value=given))
    i18n.set_language(lang)
    return lang


# --- help --------------------------------------------------------------------------------------

def translate_help(group) -> None:
    """Translate every command's and option's help in the click tree typer built for this run."""
    from typer._click.core import Context

    from charitybook.cli.options import help_text

    Context.formatter_class = _formatter()
    for command in _walk(group):
        if command.help:
            command.help = _(command.help)
        if command.short_help:
            command.short_help = _(command.short_help)
        for param in command.params:
            if getattr(param, "help", None):
                param.help = help_text(param.help)


def _walk(command):
    yield command
    for child in getattr(command, "commands", {}).values():
        yield from _walk(child)


def help_texts(group) -> list[str]:
    """Every help text in the tree, for the catalogue (see tests/test_catalogue.py)."""
    texts = []
    for command in _walk(group):
        texts += [text for text in (command.help, command.short_help) if text]
        texts += [param.help for param in command.params if getattr(param, "help", None)]
    return texts


# click's words in help pages, and the extras typer adds in brackets after an option's help
_HELP_WORDS = (N_("Usage: "), N_("Options"), N_("Arguments"), N_("Commands"), N_("Show this message and exit."),
               N_("required"), N_("default: {default}"), N_("env var: {var}"))
_EXTRA = re.compile(r"^(?P<help>.*?)\s*\[(?P<extra>[^\[\]]*)\]$", re.S)
_EXTRA_PART = re.compile(r"^(default|env var): (.*)$", re.S)


def _translate_extra(part: str) -> str:
    if part == "required":
        return _("required")
    found = _EXTRA_PART.match(part)
    if not found:
        return part
    if found[1] == "default":
        return _("default: {default}").format(default=found[2])
    return _("env var: {var}").format(var=found[2])


def _help_line(definition: str) -> str:
    if definition == "Show this message and exit.":
        return _(definition)
    found = _EXTRA.match(definition)
    if not found or not all(part.startswith(("default: ", "env var: ")) or part == "required"
                            for part in found["extra"].split("; ")):
        return definition
    extra = "; ".join(_translate_extra(part) for part in found["extra"].split("; "))
    return f"{found['help']}  [{extra}]" if found["help"] else f"[{extra}]"


_FORMATTER: list = []


def _formatter():
    """The help formatter, in the run's language; built once, when help is first set up."""
    if not _FORMATTER:
        from typer._click.formatting import HelpFormatter as Base

        class HelpFormatter(Base):
            def write_usage(self, prog, args="", prefix=None):
                return super().write_usage(prog, args, _("Usage: ") if prefix is None else prefix)

            def section(self, name):
                return super().section(_(name))

            def write_dl(self, rows, *args, **kwargs):
                return super().write_dl([(term, _help_line(definition)) for term, definition in rows], *args, **kwargs)

        _FORMATTER.append(HelpFormatter)
    return _FORMATTER[0]


# --- click's usage errors --------------------------------------------------------------------------

# What click says, as patterns, and what the clerk reads (translated). Anything else is shown as is.
_CLICK_ERRORS = (
    (re.compile(r"^No such option: (?P<option>\S+)(?: Did you mean (?P<guess>\S+)\?)?(?: \(Possible options: (?P<options>.*)\))?$"),
     N_("no such option: {option}")),
    (re.compile(r"^No such command '(?P<command>.*)'\.(?: Did you mean '(?P<guess>.*)'\?)?$"), N_("no such command: {command}")),
    (re.compile(r"^Missing command\.$"), N_("a command is missing: which one?")),
    (re.compile(r"^Missing option (?P<option>.+?)\.(?: .*)?$"), N_("option {option} is required")),
    (re.compile(r"^Missing argument (?P<argument>.+?)\.(?: .*)?$"), N_("argument {argument} is missing")),
    (re.compile(r"^Missing parameter: (?P<argument>.+?)$"), N_("argument {argument} is missing")),
    (re.compile(r"^Option '(?P<option>.+)' requires (?:an argument|\d+ arguments)\.$"), N_("option {option} needs a value")),
    (re.compile(r"^Option '(?P<option>.+)' does not take a value\.$"), N_("option {option} takes no value")),
    (re.compile(r"^Got unexpected extra arguments? \((?P<args>.*)\)$"), N_("unexpected extra argument(s): {args}")),
    (re.compile(r"^Invalid value for (?P<param>.+?): '(?P<value>.*)' is not a valid integer(?: range)?\.$"),
     N_("{param}: {value!r} is not a whole number")),
    (re.compile(r"^Invalid value for (?P<param>.+?): (?:Value )?'(?P<value>.*)' is not a valid (?P<what>\w+)\.$"),
     N_("{param}: {value!r} is not a valid value")),
    (re.compile(r"^Invalid value for (?P<param>.+?): '(?P<value>.*)' is not one of (?P<choices>.*)\.$"),
     N_("{param}: {value!r} is not one of {choices}")),
    (re.compile(r"^Invalid value for (?P<param>.+?): (?P<path>.+) '(?P<value>.*)' does not exist\.$"),
     N_("{param}: {value} does not exist")),
    (re.compile(r"^Invalid value for (?P<param>.+?): Input should be a valid integer.*$"), N_("{param}: give a whole number")),
    (re.compile(r"^Invalid value for (?P<param>.+?): Input should be a valid number.*$"), N_("{param}: give a number")),
    (re.compile(r"^Invalid value for (?P<param>.+?): (?P<message>.*)$"), N_("{param}: {message}")),
)


def click_message(message: str) -> str:
    for pattern, template in _CLICK_ERRORS:
        found = pattern.match(message)
        if found:
            fields = {key: value for key, value in found.groupdict().items() if value is not None}
            text = _(template).format(**{key: fields.get(key, "") for key in _fields(template)})
            if fields.get("guess"):
                text += _(" (did you mean {guess}?)").format(guess=fields["guess"])
            return text
    return message


def _fields(template: str) -> list[str]:
    return re.findall(r"{(\w+)", template)


def show_click_error(error) -> None:
    """A usage error from click: the usage line, then one red line in the run's language."""
    from charitybook.cli import output

    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        output.err().print(output.Text(ctx.get_usage()))
    hint = _("see `{command} --help`").format(command=ctx.command_path) if ctx is not None else None
    output.error(click_message(error.format_message()), hint)
