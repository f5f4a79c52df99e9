"""Is every Russian string a user can meet translated into English?

Russian is the source language (the msgid); English is the translation. This module finds, without running the
pages:

* **unmarked strings**: a Russian string literal in Python that is not the argument of a gettext call, and Russian
  text in a template outside ``{% translate %}`` / ``{% blocktranslate %}``;
* **untranslated messages**: a marked message (Python or template) for which the English catalog has no
  translation (``gettext`` under ``en`` returns the Russian text unchanged, for every plural form), or whose
  translation is still Russian. The English text may keep a Russian abbreviation of the source (a word in capitals,
  «ВГТУ 6.6», «ГК РФ»; a short one with its dot, «ст. 1370»), nothing else.

Each app keeps its catalog in ``ridbook/<app>/locale/en/LC_MESSAGES/django.po`` (``make messages``). A fixed text
that is stored (a job's name in the change log, a reason in the security log) is marked with ``gettext_noop`` where
it is written, so it is stored in Russian and translated where it is shown.

What stays Russian on purpose is said where it is, with the reason:

* a line that ends with ``# i18n: ru-only (<reason>)`` — e.g. the text of a generated official document, a pattern
  matched against Russian input, a morphological word;
* a module listed in :data:`RUSSIAN_ONLY_MODULES` with its reason;
* docstrings and comments (they are for developers), tests and migrations.

``python -m ridbook.core.i18n_check`` prints every finding; the test ``core/tests/test_translations.py`` fails on
any.
"""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the ``ridbook`` package
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
MARKER = "# i18n: ru-only"

GETTEXT_CALLS = {
    "_": (0, None, None),
    "gettext": (0, None, None),
    "gettext_lazy": (0, None, None),
    "gettext_noop": (0, None, None),
    "ngettext": (0, 1, None),
    "ngettext_lazy": (0, 1, None),
    "pgettext": (1, None, 0),
    "pgettext_lazy": (1, None, 0),
    "npgettext": (1, 2, 0),
    "npgettext_lazy": (1, 2, 0),
}
"""Function name → (position of the message, of the plural, of the context)."""

RUSSIAN_ONLY_MODULES: dict[str, str] = {
    "demo": "demo data: the names, titles and texts of a Russian organization",
    "commission/document_templates": "builds the official Russian protocol DOCX: its text is the document's",
    "testing": "test fixtures",
    "registry/document_templates/build_templates": "builds the packaged Russian official forms (notice of creation, "
    "conclusion on open publication, export-control act): their text is the Russian document itself",
    "core/russian": "Russian morphology: patronymic and surname endings matched against Russian names",
}
"""Paths under ``ridbook/`` (a package or a module without ``.py``) whose Russian strings are data, not UI."""

SKIPPED_PARTS = {"tests", "migrations", "__pycache__"}


@dataclass(frozen=True)
class Message:
    msgid: str
    plural: str | None = None
    context: str | None = None


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    problem: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.problem}: {self.text[:90]!r}"


def _exempt_module(path: Path) -> bool:
    rel = path.relative_to(ROOT).with_suffix("")
    return any(rel == Path(p) or Path(p) in rel.parents for p in RUSSIAN_ONLY_MODULES)


def source_files(suffix: str) -> Iterator[Path]:
    for path in sorted(ROOT.rglob(f"*{suffix}")):
        if SKIPPED_PARTS.intersection(path.relative_to(ROOT).parts) or _exempt_module(path):
            continue
        yield path


def _rel(path: Path) -> str:
    """``ridbook/<app>/…`` for the project's files; any other file (a test's) as it is given."""
    try:
        return str(path.resolve().relative_to(ROOT.parent))
    except ValueError:
        return str(path)


def app_of(finding: Finding) -> str:
    """The app a finding belongs to: ``ridbook/registry/views.py`` → ``registry``; ``ridbook/settings.py`` →
    ``settings``."""
    parts = Path(finding.path).parts
    return Path(parts[1]).stem if len(parts) > 1 and parts[0] == ROOT.name else finding.path


# --- Python --------------------------------------------------------------------------------------------------


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _docstring_nodes(tree: ast.AST) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
        # a string standing alone as a statement (an attribute's docstring) is documentation too
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            ids.add(id(node.value))
    return ids


def _const(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def python_messages(path: Path) -> tuple[list[Message], list[Finding]]:
    """The messages marked in a module, and its Russian literals that are neither marked nor exempt."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source, filename=str(path))
    docstrings = _docstring_nodes(tree)
    marked: set[int] = set()
    messages: list[Message] = []
    findings: list[Finding] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        spec = GETTEXT_CALLS.get(_call_name(node) or "")
        if spec is None:
            continue
        msg_at, plural_at, context_at = spec
        args = node.args
        for arg in args:
            for sub in ast.walk(arg):
                marked.add(id(sub))
        msgid = _const(args[msg_at]) if len(args) > msg_at else None
        if msgid is None:
            if len(args) > msg_at and isinstance(args[msg_at], ast.JoinedStr):
                findings.append(Finding(_rel(path), node.lineno, "f-string in gettext", ast.unparse(args[msg_at])))
            continue
        plural = _const(args[plural_at]) if plural_at is not None and len(args) > plural_at else None
        context = _const(args[context_at]) if context_at is not None and len(args) > context_at else None
        messages.append(Message(msgid, plural, context))
    for node in ast.walk(tree):
        if id(node) in marked or id(node) in docstrings:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and CYRILLIC.search(node.value):
            text = node.value
        elif isinstance(node, ast.JoinedStr):
            parts = [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
            text = "".join(parts)
            if not CYRILLIC.search(text):
                continue
            for v in node.values:  # its parts are reported with it, once
                marked.add(id(v))
        else:
            continue
        end = getattr(node, "end_lineno", node.lineno) or node.lineno
        if any(MARKER in lines[n - 1] for n in range(node.lineno, end + 1)):
            continue
        findings.append(Finding(_rel(path), node.lineno, "not marked for translation", text))
    return messages, findings


# --- templates -----------------------------------------------------------------------------------------------

_TEMPLATE_CODE = re.compile(
    r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}"
    r"|\{%\s*blocktrans(?:late)?\b.*?\{%\s*endblocktrans(?:late)?\s*%\}"
    r"|\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}",
    re.S,
)


def template_messages(path: Path) -> tuple[list[Message], list[Finding]]:
    from django.utils.translation.template import templatize

    source = path.read_text(encoding="utf-8")
    findings: list[Finding] = []
    # Russian left after the template language is taken out (translated blocks included) is not marked
    bare = _TEMPLATE_CODE.sub(lambda m: "\n" * m.group(0).count("\n"), source)
    for number, line in enumerate(bare.splitlines(), start=1):
        if CYRILLIC.search(line) and MARKER.replace("#", "{#") not in source.splitlines()[number - 1]:
            findings.append(Finding(_rel(path), number, "not marked for translation", line.strip()))
    # Russian inside a tag or a variable that is not a translation: {% url %}, {{ x|default:"…" }}
    for match in re.finditer(r"\{%(?!\s*(?:trans|translate|blocktrans|blocktranslate)\b).*?%\}|\{\{.*?\}\}", source):
        if CYRILLIC.search(match.group(0)) and "_(" not in match.group(0):
            number = source.count("\n", 0, match.start()) + 1
            findings.append(Finding(_rel(path), number, "Russian in a template tag", match.group(0)))
    return _calls_in(templatize(source, origin=str(path))), findings


def _calls_in(code: str) -> list[Message]:
    """The gettext calls in the code that Django's ``templatize`` makes of a template (as ``makemessages`` does)."""
    flat = "\n".join(line.strip() for line in code.splitlines())  # the layout of the template is not Python's
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(flat).readline) if t.type not in _NOISE]
    messages: list[Message] = []
    for i, token in enumerate(tokens):
        spec = GETTEXT_CALLS.get(token.string) if token.type == tokenize.NAME else None
        if spec is None or i + 1 >= len(tokens) or tokens[i + 1].string != "(":
            continue
        args: list[str | None] = []
        j = i + 2
        while j < len(tokens) and tokens[j].string != ")":
            if tokens[j].type == tokenize.STRING:
                args.append(ast.literal_eval(tokens[j].string))
            elif tokens[j].string != ",":
                args.append(None)
            j += 1
        msg_at, plural_at, context_at = spec
        if len(args) > msg_at and args[msg_at]:
            messages.append(
                Message(
                    str(args[msg_at]),
                    args[plural_at] if plural_at is not None and len(args) > plural_at else None,
                    args[context_at] if context_at is not None and len(args) > context_at else None,
                )
            )
    return messages


_NOISE = {tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT}


# --- the catalog ---------------------------------------------------------------------------------------------


_WORD = re.compile(r"([А-Яа-яЁё]+)(\.?)")


def _still_russian(source: str, out: str) -> bool:
    """Is the translation ``out`` of ``source`` (still) Russian? It may keep, from the source, an abbreviation (a
    word in capitals: «ВГТУ 6.6», «ГК РФ») or a short abbreviation with its dot («ст. 1370», «п. 3»); nothing else."""
    if out == source:
        return True
    kept = {word for word, _dot in _WORD.findall(source)}
    return any(word not in kept or not (word.isupper() or (dot and len(word) <= 3)) for word, dot in _WORD.findall(out))


def untranslated(messages: list[Message], language: str = "en") -> list[Message]:
    """The messages that the ``language`` catalog leaves as they are (every plural form is asked)."""
    from django.utils import translation

    missing = []
    with translation.override(language):
        for m in messages:
            if not CYRILLIC.search(m.msgid):
                continue
            if m.plural is not None and m.context is not None:
                outs = [
                    (m.msgid if n == 1 else m.plural, translation.npgettext(m.context, m.msgid, m.plural, n))
                    for n in (1, 5)
                ]
            elif m.plural is not None:
                outs = [(m.msgid if n == 1 else m.plural, translation.ngettext(m.msgid, m.plural, n)) for n in (1, 5)]
            elif m.context is not None:
                outs = [(m.msgid, translation.pgettext(m.context, m.msgid))]
            else:
                outs = [(m.msgid, translation.gettext(m.msgid))]
            if any(_still_russian(source, out) for source, out in outs):
                missing.append(m)
    return missing


def findings() -> list[Finding]:
    """Every unmarked Russian string and every marked message without an English translation."""
    found: list[Finding] = []
    for path in source_files(".py"):
        if path.name == "i18n_check.py":
            continue
        messages, unmarked = python_messages(path)
        found += unmarked
        found += [Finding(_rel(path), 0, "no English translation", m.msgid) for m in untranslated(messages)]
    for path in source_files(".html"):
        messages, unmarked = template_messages(path)
        found += unmarked
        found += [Finding(_rel(path), 0, "no English translation", m.msgid) for m in untranslated(messages)]
    return found


def main() -> int:
    import django

    django.setup()
    found = findings()
    for finding in found:
        print(finding)
    by_app: dict[str, int] = {}
    for finding in found:
        by_app[app_of(finding)] = by_app.get(app_of(finding), 0) + 1
    print(f"\n{len(found)} findings: " + ", ".join(f"{a} {n}" for a, n in sorted(by_app.items())), file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ridbook.settings")
    raise SystemExit(main())
