"""SCIM filters (RFC 7644 §3.4.2.2) and PATCH operations (§3.5.2) on documents.

A filter is parsed into a small tree and evaluated against a resource's JSON
document; views.py first narrows the database query with the one case
directories send on every sync (`userName eq "..."`, `externalId eq "..."`,
`displayName eq "..."`). PATCH applies add/replace/remove to the stored document;
resources.py then projects it onto the person or group.
"""

import copy
import re
from typing import Any

from accounts.scim.errors import ScimError, invalid_filter, invalid_path

_TOKEN = re.compile(
    r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<paren>[()\[\]])|(?P<word>[^\s()\[\]"]+))'
)
_OPERATORS = {"eq", "ne", "co", "sw", "ew", "gt", "lt", "ge", "le"}
MAX_FILTER_CHARS = 1000


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise invalid_filter("The filter could not be read.")
        position = match.end()
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        if len(text) > MAX_FILTER_CHARS:
            raise invalid_filter("The filter is too long.")
        self.tokens = _tokens(text)
        self.position = 0
        self.depth = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise invalid_filter("The filter ends too early.")
        self.position += 1
        return token

    def expect(self, value: str) -> None:
        if self.take()[1] != value:
            raise invalid_filter(f"The filter expected “{value}”.")

    def keyword(self, *words: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "word" and token[1].lower() in words

    def parse(self):
        tree = self.disjunction()
        if self.peek() is not None:
            raise invalid_filter("The filter has words left over.")
        return tree

    def disjunction(self):
        tree = self.conjunction()
        while self.keyword("or"):
            self.take()
            tree = ("or", tree, self.conjunction())
        return tree

    def conjunction(self):
        tree = self.negation()
        while self.keyword("and"):
            self.take()
            tree = ("and", tree, self.negation())
        return tree

    def negation(self):
        if self.keyword("not"):
            self.take()
            return ("not", self.group())
        return self.atom()

    def group(self):
        self.depth += 1
        if self.depth > 20:
            raise invalid_filter("The filter is nested too deeply.")
        self.expect("(")
        tree = self.disjunction()
        self.expect(")")
        self.depth -= 1
        return tree

    def atom(self):
        token = self.peek()
        if token is not None and token[1] == "(":
            return self.group()
        kind, path = self.take()
        if kind != "word":
            raise invalid_filter("The filter expected an attribute name.")
        path = strip_schema(path)
        if self.peek() is not None and self.peek()[1] == "[":
            self.take()
            self.depth += 1
            if self.depth > 20:
                raise invalid_filter("The filter is nested too deeply.")
            inner = self.disjunction()
            self.expect("]")
            self.depth -= 1
            return ("value_path", path, inner)
        kind, operator = self.take()
        operator = operator.lower()
        if operator == "pr":
            return ("pr", path)
        if operator not in _OPERATORS:
            raise invalid_filter(f"Unknown filter operator “{operator}”.")
        return ("compare", path, operator, self.value())

    def value(self) -> Any:
        kind, text = self.take()
        if kind == "string":
            return text[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        lowered = text.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        if lowered == "null":
            return None
        try:
            return float(text) if "." in text else int(text)
        except ValueError:
            raise invalid_filter("A filter value must be quoted.") from None


def parse_filter(text: str):
    return _Parser(text).parse()


def strip_schema(path: str) -> str:
    """`urn:...:User:name.givenName` -> `name.givenName` (the core schema's own)."""
    if path.lower().startswith("urn:"):
        head, bracket, tail = path.partition("[")
        return head.rsplit(":", 1)[-1] + bracket + tail
    return path


def _get(item: Any, key: str) -> Any:
    if not isinstance(item, dict):
        return None
    for name, value in item.items():
        if name.lower() == key.lower():
            return value
    return None


def _values(document: dict, path: str) -> list[Any]:
    """Every value at `path`; a multi-valued complex attribute compares its `value`."""
    current: list[Any] = [document]
    for part in path.split("."):
        found = []
        for item in current:
            value = _get(item, part)
            found.extend(value if isinstance(value, list) else [value])
        current = [value for value in found if value is not None]
    return [_get(v, "value") if isinstance(v, dict) else v for v in current]


def _compare(actual: Any, operator: str, expected: Any) -> bool:
    if isinstance(actual, str) and isinstance(expected, str):
        actual, expected = actual.lower(), expected.lower()
    if operator == "eq":
        return actual == expected
    if operator == "ne":
        return actual != expected
    if not isinstance(actual, type(expected)) or isinstance(expected, bool):
        return False
    if operator in ("co", "sw", "ew") and not isinstance(actual, str):
        return False
    return {
        "co": lambda: expected in actual,
        "sw": lambda: actual.startswith(expected),
        "ew": lambda: actual.endswith(expected),
        "gt": lambda: actual > expected,
        "lt": lambda: actual < expected,
        "ge": lambda: actual >= expected,
        "le": lambda: actual <= expected,
    }[operator]()


def matches(tree, document: dict) -> bool:
    kind = tree[0]
    if kind == "and":
        return matches(tree[1], document) and matches(tree[2], document)
    if kind == "or":
        return matches(tree[1], document) or matches(tree[2], document)
    if kind == "not":
        return not matches(tree[1], document)
    if kind == "pr":
        return any(value not in ("", None, []) for value in _values(document, tree[1]))
    if kind == "value_path":
        items = _get(document, tree[1]) or []
        items = items if isinstance(items, list) else [items]
        return any(isinstance(i, dict) and matches(tree[2], i) for i in items)
    _, path, operator, expected = tree
    values = _values(document, path)
    if operator == "ne":
        return all(_compare(v, "ne", expected) for v in values)
    return any(_compare(value, operator, expected) for value in values)


def simple_equality(tree) -> tuple[str, Any] | None:
    """(attribute, value) when the filter is one `attr eq "value"`, else None."""
    if tree[0] == "compare" and tree[2] == "eq" and isinstance(tree[3], str):
        return tree[1].lower(), tree[3]
    return None


# --- PATCH ----------------------------------------------------------------------

_PATH = re.compile(
    r"^(?P<attr>[^\[\].]+)(?:\[(?P<filter>.+)\])?(?:\.(?P<sub>[^\[\].]+))?$"
)


def _no_target(detail: str) -> ScimError:
    return ScimError(400, detail, "noTarget")


def apply_patch(
    document: dict, operations: Any, *, names: dict[str, str], multi: set[str]
) -> dict:
    """A new document with the PATCH operations applied; the input is untouched.

    `names` maps lower-cased attribute names to their spelling, `multi` names the
    multi-valued attributes."""
    if not isinstance(operations, list) or not operations:
        raise ScimError(400, "A PATCH needs a list of Operations.", "invalidSyntax")
    result = copy.deepcopy(document)
    for operation in operations:
        if not isinstance(operation, dict):
            raise ScimError(400, "Each operation must be an object.", "invalidSyntax")
        op = str(operation.get("op", "")).lower()
        path = operation.get("path")
        value = operation.get("value")
        if op not in ("add", "replace", "remove"):
            raise ScimError(400, f"Unknown PATCH op “{op}”.", "invalidSyntax")
        if path in (None, ""):
            if op == "remove":
                raise _no_target("A remove operation needs a path.")
            if not isinstance(value, dict):
                raise invalid_path("Without a path, the value must be an object.")
            for key, item in value.items():
                _apply(result, op, strip_schema(key), item, names, multi)
            continue
        if not isinstance(path, str):
            raise invalid_path("The path must be text.")
        _apply(result, op, strip_schema(path), value, names, multi)
    return result


def _canonical(name: str, names: dict[str, str]) -> str:
    canonical = names.get(name.lower())
    if canonical is None:
        raise invalid_path(f"There is no attribute “{name}”.")
    return canonical


def _apply(document, op, path, value, names, multi) -> None:
    if "." in path and "[" not in path and path.split(".", 1)[0].lower() in names:
        attr, sub = path.split(".", 1)
        match = None
    else:
        found = _PATH.match(path)
        if not found:
            raise invalid_path(f"The path “{path}” could not be read.")
        attr, sub, match = found["attr"], found["sub"], found["filter"]
    attr = _canonical(attr, names)
    if match is not None:
        _apply_filtered(document, op, attr, parse_filter(match), sub, value)
        return
    if sub is not None:
        _apply_sub(document, op, attr, sub, value, attr in multi)
        return
    if op == "remove":
        if attr in multi and isinstance(value, list) and document.get(attr):
            # Entra ID removes members as {"path": "members", "value": [{...}]}.
            gone = {
                str(_get(item, "value")) for item in value if isinstance(item, dict)
            }
            document[attr] = [
                item for item in document[attr] if str(_get(item, "value")) not in gone
            ]
        else:
            document.pop(attr, None)
        return
    if attr in multi:
        items = value if isinstance(value, list) else [value]
        if op == "add":
            existing = document.get(attr) or []
            document[attr] = existing + [item for item in items if item not in existing]
        else:
            document[attr] = items
        return
    if isinstance(value, dict) and isinstance(document.get(attr), dict) and op == "add":
        document[attr].update(value)
    else:
        document[attr] = value


def _apply_sub(document, op, attr, sub, value, is_multi) -> None:
    targets = document.get(attr)
    if is_multi:
        targets = targets or []
    else:
        if targets is None:
            if op == "remove":
                return
            targets = document[attr] = {}
        targets = [targets]
    for target in targets:
        if not isinstance(target, dict):
            continue
        key = next((k for k in target if k.lower() == sub.lower()), sub)
        if op == "remove":
            target.pop(key, None)
        else:
            target[key] = value
    if not is_multi and document.get(attr) == {}:
        document.pop(attr)


def _apply_filtered(document, op, attr, tree, sub, value) -> None:
    items = document.get(attr) or []
    if not isinstance(items, list):
        # A filter ("name[givenName eq ...]") only selects among a list's values.
        raise _no_target(f"“{attr}” holds one value, not a list to filter.")
    chosen = [item for item in items if isinstance(item, dict) and matches(tree, item)]
    if not chosen:
        if op == "remove":
            return
        if op == "replace":
            raise _no_target(f"No value of “{attr}” matches the filter.")
    if op == "remove":
        if sub is None:
            document[attr] = [item for item in items if item not in chosen]
        else:
            for item in chosen:
                item.pop(sub, None)
        return
    if not chosen:  # add with a filter that matches nothing: RFC says make one
        fresh = {}
        if tree[0] == "compare" and tree[2] == "eq":
            fresh[tree[1]] = tree[3]
        items.append(fresh)
        document[attr] = items
        chosen = [fresh]
    for item in chosen:
        if sub is not None:
            item[sub] = value
        elif isinstance(value, dict):
            item.update(value)
