"""Every refusal the core can give a person also has its English sentence.

The API and the bot answer in the person's language; a DomainError raised without `en=` would
quietly answer English speakers in Russian. The scan reads the source (no import needed to find
the calls) and knows every DomainError subclass by importing the domain packages.
"""

import ast
import importlib
import pkgutil
from pathlib import Path

import shared
from shared.kit.errors import DomainError

ROOT = Path(shared.__file__).parent
FUNCTIONS = ROOT.parent / "functions"


def _domain_error_names() -> set[str]:
    """Names of DomainError and every subclass defined anywhere in shared/."""
    for module in pkgutil.walk_packages([str(ROOT)], prefix="shared."):
        if module.name.startswith(("shared.migrations", "shared.local")):
            continue
        try:
            importlib.import_module(module.name)
        except ImportError:
            continue
    names: set[str] = set()
    pending: list[type[DomainError]] = [DomainError]
    while pending:
        cls = pending.pop()
        names.add(cls.__name__)
        pending.extend(cls.__subclasses__())
    return names


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _missing_english(paths: list[Path], error_names: set[str], base: Path) -> list[str]:
    missing: list[str] = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _called_name(node) not in error_names:
                continue
            # `super().__init__(...)` inside a subclass is not a refusal of its own.
            keywords = {keyword.arg for keyword in node.keywords}
            passes_on = any(keyword.arg is None for keyword in node.keywords)  # **kwargs
            if "en" not in keywords and not passes_on:
                where = path.relative_to(base)
                missing.append(f"{where}:{node.lineno} {_called_name(node)}(...)")
    return missing


def test_every_refusal_has_an_english_sentence() -> None:
    """Given every DomainError constructed in shared/ and functions/, each one passes `en=`."""
    error_names = _domain_error_names()
    assert {"NotFound", "Conflict", "CafeNotFound", "KeysExhausted"} <= error_names
    paths = sorted(ROOT.rglob("*.py")) + sorted(FUNCTIONS.rglob("*.py"))
    missing = _missing_english(paths, error_names, ROOT.parent)
    assert not missing, "Refusals without English:\n" + "\n".join(missing)


def test_the_scan_finds_a_refusal_without_english(tmp_path: Path) -> None:
    """The scan itself is not blind: a raise without `en=` is reported, one with it is not."""
    source = tmp_path / "sample.py"
    source.write_text(
        "def f():\n"
        "    raise NotFound('Нет такого кафе')\n"
        "def g():\n"
        "    raise errors.Conflict('Уже есть', en='Already there')\n",
        encoding="utf-8",
    )
    assert _missing_english([source], {"NotFound", "Conflict"}, tmp_path) == [
        "sample.py:2 NotFound(...)"
    ]


def test_english_is_chosen_for_english_speakers() -> None:
    """The same refusal reads in Russian by default and in English when asked."""
    error = DomainError("Приём заказов закрыт", en="Ordering has closed")
    assert error.message_in("ru") == "Приём заказов закрыт"
    assert error.message_in("en") == "Ordering has closed"
