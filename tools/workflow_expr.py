"""GitHub Actions' expressions (``${{ ... }}``), evaluated as GitHub does, for tools/rehearse.py.

    >>> evaluate("github.event_name == 'push' && vars.BUILD_RUNNER || 'ubuntu-latest'",
    ...          {"github": {"event_name": "push"}, "vars": {}})
    'ubuntu-latest'

What the workflows here use: contexts (``github.ref``, ``vars.X``,
``steps.ID.outputs.X``, ``env.X``, ``runner.os``), string, number and boolean
literals, ``!``, ``==``, ``!=``, ``&&``, ``||`` (which return an operand, as
in JavaScript), parentheses, and the functions ``format``, ``contains``,
``startsWith``, ``endsWith``, ``hashFiles`` (given by the caller),
``success``, ``failure``, ``always`` and ``cancelled``.  GitHub compares
strings ignoring case and treats ``''``, ``0``, ``false`` and ``null`` as
false.  A missing property is ``null``, as on GitHub; an unknown context or
function, or anything else this module does not know, raises ExpressionError:
a rehearsal must never guess.
"""

from __future__ import annotations

import re

TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<number>\d+(?:\.\d+)?)|(?P<op>&&|\|\||==|!=|<=|>=|[!<>(),.\[\]*])"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_-]*))"
)
CONTEXTS = {"github", "vars", "env", "steps", "runner", "job", "secrets", "inputs", "needs", "matrix", "strategy"}


class ExpressionError(ValueError):
    """An expression this evaluator cannot honour."""


def tokens(text: str) -> list[tuple[str, str]]:
    found, position = [], 0
    text = text.strip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise ExpressionError(f"cannot read {text[position:]!r} in {text!r}")
        kind = match.lastgroup
        found.append((kind, match.group(kind)))
        position = match.end()
    return found


def truthy(value) -> bool:
    return value not in (None, False, 0, "", 0.0)


def _text(value) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _equal(left, right) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        return left.lower() == right.lower()
    if isinstance(left, str) or isinstance(right, str):
        # GitHub coerces to numbers when the types differ.
        def number(value):
            if value is None:
                return 0
            if isinstance(value, bool):
                return int(value)
            try:
                return float(value) if str(value).strip() else 0
            except ValueError:
                return float("nan")
        return number(left) == number(right)
    return left == right


class _Parser:
    def __init__(self, text, contexts, functions):
        self.text, self.items, self.at = text, tokens(text), 0
        self.contexts, self.functions = contexts, functions

    def peek(self, value=None):
        if self.at >= len(self.items):
            return None
        kind, text = self.items[self.at]
        return text if value is None or text == value else None

    def take(self, value=None):
        if value is not None and self.peek(value) is None:
            raise ExpressionError(f"expected {value!r} in {self.text!r}")
        self.at += 1
        return self.items[self.at - 1]

    def parse(self):
        value = self.either()
        if self.at != len(self.items):
            raise ExpressionError(f"cannot read {self.items[self.at][1]!r} in {self.text!r}")
        return value

    def either(self):
        value = self.both()
        while self.peek("||"):
            self.take()
            right = self.both()
            value = value if truthy(value) else right
        return value

    def both(self):
        value = self.comparison()
        while self.peek("&&"):
            self.take()
            right = self.comparison()
            value = right if truthy(value) else value
        return value

    def comparison(self):
        value = self.unary()
        while self.peek("==") or self.peek("!="):
            op = self.take()[1]
            right = self.unary()
            value = _equal(value, right) if op == "==" else not _equal(value, right)
        if self.peek() in {"<", ">", "<=", ">="}:
            raise ExpressionError(f"ordering comparisons are not rehearsed: {self.text!r}")
        return value

    def unary(self):
        if self.peek("!"):
            self.take()
            return not truthy(self.unary())
        return self.primary()

    def primary(self):
        if self.at >= len(self.items):
            raise ExpressionError(f"{self.text!r} ends too soon")
        kind, text = self.take()
        if kind == "string":
            return text[1:-1].replace("''", "'")
        if kind == "number":
            return float(text) if "." in text else int(text)
        if text == "(":
            value = self.either()
            self.take(")")
            return value
        if kind != "name":
            raise ExpressionError(f"unexpected {text!r} in {self.text!r}")
        if text in {"true", "false"}:
            return text == "true"
        if text == "null":
            return None
        if self.peek("("):
            return self.call(text)
        if text not in CONTEXTS:
            raise ExpressionError(f"unknown context {text!r} in {self.text!r}")
        if text not in self.contexts:
            raise ExpressionError(f"the context {text!r} is not rehearsed ({self.text!r})")
        value = self.contexts[text]
        while self.peek(".") or self.peek("["):
            if self.take()[1] == ".":
                key = self.take()[1]
            else:
                key = _text(self.either())
                self.take("]")
            value = value.get(key) if isinstance(value, dict) else None
        return value

    def call(self, name):
        self.take("(")
        args = []
        while not self.peek(")"):
            args.append(self.either())
            if not self.peek(")"):
                self.take(",")
        self.take(")")
        builtin = {
            "format": lambda fmt, *values: re.sub(
                r"\{(\d+)\}", lambda m: _text(values[int(m.group(1))]), fmt
            ).replace("{{", "{").replace("}}", "}"),
            "contains": lambda seq, item: (
                any(_equal(x, item) for x in seq) if isinstance(seq, list)
                else _text(item).lower() in _text(seq).lower()
            ),
            "startsWith": lambda s, p: _text(s).lower().startswith(_text(p).lower()),
            "endsWith": lambda s, p: _text(s).lower().endswith(_text(p).lower()),
        }
        function = self.functions.get(name) or builtin.get(name)
        if function is None:
            raise ExpressionError(f"the function {name}() is not rehearsed ({self.text!r})")
        return function(*args)


def evaluate(text: str, contexts: dict, functions: dict | None = None):
    """The value of one expression (the text inside ``${{ }}``)."""
    return _Parser(text, contexts, functions or {}).parse()


def substitute(value, contexts: dict, functions: dict | None = None):
    """``value`` with every ``${{ ... }}`` replaced by its value; a whole-expression string keeps its type."""
    if not isinstance(value, str):
        return value
    whole = re.fullmatch(r"\$\{\{(.*?)\}\}", value.strip(), re.S)
    if whole:
        return evaluate(whole.group(1), contexts, functions)
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: _text(evaluate(m.group(1), contexts, functions)), value, flags=re.S)


def condition(value, contexts: dict, functions: dict | None = None) -> bool:
    """An ``if:``: an expression with or without ``${{ }}``."""
    if isinstance(value, bool):
        return value
    text = str(value).strip()
    whole = re.fullmatch(r"\$\{\{(.*?)\}\}", text, re.S)
    return truthy(evaluate(whole.group(1) if whole else text, contexts, functions))


def as_text(value) -> str:
    """A value as GitHub writes it into a string (env values, runs-on)."""
    return _text(value)
