"""The one Jinja2 sandbox for lab variables: instructions, check parameters, feedback, config templates.

Templates come from instructors (trusted but fallible) and are rendered with variables that may come from
students, so a render is bounded in every dimension and any failure is one ``LabFileError`` line
``<origin>:<line>: variable error: <message>``, never a traceback or a hang:

- ``SandboxedEnvironment`` (immutable: no ``list.append``) with ``StrictUndefined``;
- no value built by ``*``, ``+``, ``%``, ``~``, a string method or a filter may exceed ``MAX_SIZE``
  characters or items (checked *before* building it where the size is known in advance: ``'a' * 10**9``);
- ``**`` may not build an integer over ``MAX_INT_DIGITS`` digits; ``range`` stops at ``MAX_RANGE``;
- a render may produce at most ``MAX_OUTPUT`` characters (every ``{{ }}`` and each pass of a loop's text
  counts, inside macros and ``{% set %}`` blocks too), take at most ``MAX_STEPS`` steps (loop passes, calls,
  filters, operators), touch at most ``MAX_WORK`` characters/items in those steps, and use at most
  ``MAX_SECONDS`` of CPU time;
- a template may hold at most ``MAX_SOURCE`` characters, ``MAX_TAGS`` tags and ``MAX_TAG_TEXT`` characters
  in its tags (compiling cannot be interrupted); recursive ``for`` loops are refused; recursion through
  macros ends at Python's recursion limit;
- a result holding a lone surrogate (``{{ '\\udc80' }}``) is refused, it is not valid Unicode.

``render_text`` renders a whole text (a config file, the instructions); ``render_value`` renders only the
strings holding ``{{`` or ``{%`` inside a value, and returns everything else unchanged.
"""

from __future__ import annotations

import functools
import inspect
import math
import re
import string
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import Template
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace, _PassArg

from grader.errors import LabFileError
from grader.netfilters import FILTERS as NET_FILTERS
from grader.yamlsource import PathKey, one_line, printable

MAX_SIZE = 100_000  # characters of a string / items of a list built by one operation
MAX_INT_DIGITS = 1000  # digits of an integer built by ``**`` or ``*``
MAX_RANGE = 10_000  # items of ``range()``
MAX_OUTPUT = 1 << 20  # characters one render may produce
MAX_STEPS = 100_000  # loop passes, calls, filters and intercepted operators of one render
MAX_WORK = 10_000_000  # characters/items read or built by those steps
MAX_SECONDS = 2.0  # CPU seconds of the rendering thread for one render
MAX_SOURCE = 1 << 20  # characters of a template
MAX_TAGS = 5_000  # ``{{`` and ``{%`` tags in a template (compiling costs about 50 µs each)
MAX_TAG_TEXT = 50_000  # characters inside those tags (compiling costs up to 10 µs each)

_FILENAME = "<lab template>"
_SURROGATE = re.compile("[\ud800-\udfff]")
_TAG = re.compile(r"\{[{%].*?(?:[}%]\}|\Z)", re.S)
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?([#0 +\-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?)[hlL]?[a-zA-Z%]")
_MAX_INT_BITS = int(MAX_INT_DIGITS * math.log2(10)) + 1


class _Exceeded(Exception):
    """A bound of this module was hit; the message says which."""


@dataclass
class _Budget:
    deadline: float
    steps: int = 0
    work: int = 0
    output: int = 0


_BUDGET: ContextVar[_Budget | None] = ContextVar("labgrader_template_budget", default=None)


def _step(work: int = 0) -> None:
    budget = _BUDGET.get()
    if budget is None:  # compile-time constant folding outside a render
        return
    budget.steps += 1
    budget.work += work
    if budget.steps > MAX_STEPS:
        raise _Exceeded(f"more than {MAX_STEPS} steps (loop passes, calls, filters, operators)")
    if budget.work > MAX_WORK:
        raise _Exceeded(f"handles more than {MAX_WORK} characters/items in all")
    if time.thread_time() > budget.deadline:
        raise _Exceeded(f"takes more than {MAX_SECONDS:g} s to render")


def _emit(size: int) -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.output += size
        if budget.output > MAX_OUTPUT:
            raise _Exceeded(f"output longer than {MAX_OUTPUT} characters")


def _weight(value: Any, limit: int = MAX_SIZE) -> int:
    """Characters plus items in ``value``, shared parts counted each time; stops counting past ``limit``."""
    total, stack = 0, [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str | bytes | range):
            total += len(item)
        elif isinstance(item, dict):
            total += len(item)
            if total <= limit:
                stack.extend(item.keys())
                stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            total += len(item)
            if total <= limit:
                stack.extend(item)
        elif isinstance(item, Namespace):
            total += 1
            stack.append(item._Namespace__attrs)  # type: ignore[attr-defined]
        else:
            total += 1
    return total


def _inputs(values: list[Any], what: str) -> int:
    """Size of what a step reads, at most MAX_OUTPUT (so that turning it into text stays bounded)."""
    size = _weight(values, MAX_OUTPUT)
    if size > MAX_OUTPUT:
        raise _Exceeded(f"{what} is longer than {MAX_OUTPUT} characters/items")
    return size


def _bounded(value: Any, what: str, limit: int = MAX_SIZE) -> Any:
    size = _weight(value, limit)
    if size > limit:
        raise _Exceeded(f"{what} would be longer than {limit} characters/items")
    _step(size)
    return value


def _size_at_most(size: float, what: str) -> None:
    if size > MAX_SIZE:
        raise _Exceeded(f"{what} would be longer than {MAX_SIZE} characters/items")


def _check_product(left: Any, right: Any) -> None:
    if isinstance(left, int) and isinstance(right, int):
        if left.bit_length() + right.bit_length() > _MAX_INT_BITS:
            raise _Exceeded(f"a product of more than {MAX_INT_DIGITS} digits")
        return
    for sequence, count in ((left, right), (right, left)):
        if isinstance(count, int) and isinstance(sequence, str | bytes | list | tuple):
            _size_at_most(_weight(sequence) * max(count, 0), "a repeated string or list")


def _check_power(base: Any, exponent: Any) -> None:
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0 and abs(base) > 1 \
            and exponent * math.log10(abs(base)) > MAX_INT_DIGITS:
        raise _Exceeded(f"a power of more than {MAX_INT_DIGITS} digits")


def _check_formatted(literal: int, specs: list[str], args: Any) -> None:
    """A formatted string is at most its literal text plus, for each field, the widest of its width and the
    biggest argument (a field may repeat an argument: ``'%(a)s%(a)s'``, ``'{0}{0}'``)."""
    widest = 0
    for spec in specs:
        for number in re.findall(r"\d+", spec):
            widest = max(widest, int(number) if len(number) < 10 else MAX_SIZE + 1)
    items = list(args.values()) if isinstance(args, dict) else args if isinstance(args, list | tuple) else [args]
    biggest = max((_weight(item) for item in items), default=0)
    _size_at_most(literal + len(specs) * max(widest, biggest), "a formatted string")


def _check_percent(template: str | bytes, args: Any) -> None:
    """``'%5d' % x``: fields times their width or argument stay under MAX_SIZE; ``*`` widths are refused."""
    text = template if isinstance(template, str) else template.decode("latin-1")
    specs = _PERCENT_SPEC.findall(text)
    if any("*" in spec for spec in specs):
        raise _Exceeded("a '*' width in a % format is not allowed")
    _check_formatted(len(text), specs, args)


def _check_format(template: str, args: Any) -> None:
    """``'{:>5}'.format(x)``: the same for ``str.format``; nested fields in a format spec are refused."""
    specs: list[str] = []
    literal = 0
    for text, field_name, spec, _ in string.Formatter().parse(template):
        literal += len(text)
        if field_name is None:
            continue
        if "{" in (spec or ""):
            raise _Exceeded("a nested field in a format spec is not allowed")
        specs.append(spec or "")
    _check_formatted(literal, specs, args)


def _check_str_method(text: str | bytes, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Size of the result of a string method known before it is built."""
    arguments = [*args, *kwargs.values()]
    first = arguments[0] if arguments else None
    if name in {"center", "ljust", "rjust", "zfill"} and isinstance(first, int):
        _size_at_most(first, f"str.{name}()")
    elif name == "expandtabs":
        tab = first if isinstance(first, int) else 8
        _size_at_most(len(text) + text.count("\t" if isinstance(text, str) else b"\t") * max(tab, 0),
                      "str.expandtabs()")
    elif name == "replace" and len(arguments) >= 2:
        old, new = arguments[0], arguments[1]
        if isinstance(old, str | bytes) and isinstance(new, str | bytes):
            count = text.count(old) if old else len(text) + 1  # type: ignore[arg-type]
            _size_at_most(len(text) + count * len(new), "str.replace()")
    elif name == "join" and first is not None:
        items = first if isinstance(first, list | tuple) else None
        if items is None:
            raise _Exceeded("str.join() takes a list here (use the join filter)")
        _size_at_most(_weight(items) + len(text) * len(items), "str.join()")
    elif name in {"format", "format_map"} and isinstance(text, str):
        _check_format(text, arguments)
    elif name == "translate":
        raise _Exceeded(f"str.{name}() is not allowed")


def _safe_range(*args: int) -> range:
    result = range(*args)
    if len(result) > MAX_RANGE:
        raise _Exceeded(f"range() of more than {MAX_RANGE} items")
    return result


# -- filters: every filter counts as a step; those that can grow their input check the size first --------

def _filter_precheck(name: str, arguments: dict[str, Any]) -> None:
    text = arguments.get("s", arguments.get("value"))
    text = text if isinstance(text, str) else str(text) if name in {"indent", "wordwrap"} else text
    if name in {"center", "batch", "slice"}:
        number = arguments.get({"center": "width", "batch": "linecount", "slice": "slices"}[name])
        if isinstance(number, int):  # batch pads its last group, slice builds one list per slice
            _size_at_most(number + (_weight(text) if name != "center" else 0), f"the {name} filter's result")
    elif name == "indent":
        width = arguments.get("width")
        pad = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
        _size_at_most(len(text) + (text.count("\n") + 1) * pad, "the indent filter's result")
    elif name == "wordwrap":
        width = arguments.get("width")
        wrap = arguments.get("wrapstring") or "\n"
        lines = len(text) // max(width if isinstance(width, int) else 1, 1) + text.count("\n") + 1
        _size_at_most(len(text) + lines * len(str(wrap)), "the wordwrap filter's result")
    elif name == "replace":
        _check_str_method(str(text), "replace", (str(arguments.get("old")), str(arguments.get("new"))), {})
    elif name == "format" and isinstance(text, str):
        _check_percent(text, [*arguments.get("args", ()), *arguments.get("kwargs", {}).values()])
    elif name == "tojson":
        indent = arguments.get("indent")
        if isinstance(indent, int) and indent > 16:
            raise _Exceeded("tojson indent over 16")
    elif name == "join":
        value = arguments.get("value")
        if not isinstance(value, list | tuple | str):
            arguments["value"] = list(value) if value is not None else value
        _size_at_most(_weight(arguments["value"]) * (1 + len(str(arguments.get("d", "")))), "the join filter's result")


def _guard_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    signature = inspect.signature(func)
    # Jinja's async-variant filters (list, slice, sum, map...) take an eval context first that their
    # signature (the sync function's) does not show: skip it when binding, pass it when calling.
    first = next(iter(signature.parameters), "")
    skip = int(_PassArg.from_obj(func) is not None and first not in {"context", "eval_ctx", "environment"})

    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _step(_inputs([*args, *kwargs.values()], f"the {name} filter's input"))
        try:
            bound = signature.bind(*args[skip:], **kwargs)
        except TypeError as exc:
            raise TypeError(f"the {name} filter: {exc}") from None
        bound.apply_defaults()
        _filter_precheck(name, bound.arguments)
        result = func(*args[:skip], *bound.args, **bound.kwargs)
        return _bounded(result, f"the {name} filter's result")

    return guarded


class _CodeGenerator(CodeGenerator):
    """Routes ``for`` loops and ``~`` through the environment's budget."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        if node.recursive:
            self.fail("recursive for-loops are not allowed", node.lineno)
        text = sum(len(data.data) for data in node.find_all(nodes.TemplateData))
        node.iter = nodes.Call(nodes.EnvironmentAttribute("loop_items"), [node.iter, nodes.Const(text)], [], None,
                               None, lineno=node.iter.lineno)
        super().visit_For(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.concat_parts((")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write("))")


class _Environment(ImmutableSandboxedEnvironment):
    code_generator_class = _CodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self) -> None:
        super().__init__(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False,
                         finalize=self._finalize)
        self.globals["range"] = _safe_range
        self.globals.pop("lipsum", None)
        self.filters.update(NET_FILTERS)  # host, address, network, ... of subnet variables (per-student pools)
        self.filters = {name: _guard_filter(name, func) for name, func in self.filters.items()}

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _step(2)
        if operator == "*":
            _check_product(left, right)
        elif operator == "**":
            _check_power(left, right)
        elif operator == "+" and isinstance(left, str | bytes | list | tuple):
            _size_at_most(_weight(left) + _weight(right), "a concatenation")
        elif operator == "%" and isinstance(left, str | bytes):
            _check_percent(left, right)
        result = super().call_binop(context, operator, left, right)
        return _bounded(result, "a result") if isinstance(result, str | bytes | list | tuple) else result

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _step(_inputs([*args, *kwargs.values()], "a call's arguments"))
        target = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        owner = getattr(target, "__self__", None)
        method = getattr(target, "__name__", "")
        if isinstance(owner, str | bytes):
            _check_str_method(owner, method, args, kwargs)
            return _bounded(super().call(__context, __obj, *args, **kwargs), f"str.{method}()")
        result = super().call(__context, __obj, *args, **kwargs)
        return _bounded(result, "a call's result", MAX_OUTPUT) if isinstance(result, str) else result

    def loop_items(self, items: Iterable[Any], text: int) -> Iterator[Any]:
        """What a ``for`` loop iterates: each pass is a step and emits the loop's text once."""
        for item in items:
            _step(text + 1)
            _emit(text)
            yield item

    def concat_parts(self, parts: tuple[Any, ...]) -> tuple[Any, ...]:
        size = _weight(parts)
        _size_at_most(size, "a ~ concatenation")
        _step(size)
        return parts

    @staticmethod
    def _finalize(value: Any) -> Any:
        size = _weight(value, MAX_OUTPUT)
        if size > MAX_OUTPUT:
            raise _Exceeded(f"output longer than {MAX_OUTPUT} characters")
        _step(size)
        _emit(size)
        return value


_ENV = _Environment()


@functools.lru_cache(maxsize=512)
def _compile(source: str) -> Template:
    return _ENV.template_class.from_code(_ENV, _ENV.compile(source, filename=_FILENAME), _ENV.make_globals(None),
                                         None)


def is_template(value: Any) -> bool:
    """A string that holds ``{{`` or ``{%`` (only those are rendered)."""
    return isinstance(value, str) and ("{{" in value or "{%" in value)


def templated_strings(value: Any, path: PathKey = ()) -> Iterator[tuple[PathKey, str]]:
    """Every template string inside nested lists and dicts, with its key path (dict keys are not rendered)."""
    if is_template(value):
        yield path, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from templated_strings(item, (*path, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from templated_strings(item, (*path, key))


def render_text(text: str, variables: Mapping[str, Any], origin: str, line: int = 1, *, key: str = "") -> str:
    """``text`` rendered as a template. ``origin`` names where it comes from (a file), ``line`` the line its
    first character is on there, ``key`` its key path: errors read ``origin:line: key: variable error: ...``
    with the line of the template that failed."""
    try:
        return _render(text, variables)
    except _Failure as failure:
        prefix = f"{printable(origin)}:{line + failure.line - 1}" + (f": {printable(key)}" if key else "")
        raise LabFileError([f"{prefix}: variable error: {failure.message}"]) from None


def render_value(value: Any, variables: Mapping[str, Any], origin_of: Callable[[PathKey], str] | str) -> Any:
    """``value`` with every template string inside lists and dicts rendered. ``origin_of`` gives the start of
    an error line (``file:line: key.path``) for the key path of a string inside ``value``, or is that start."""
    def render(item: Any, path: PathKey) -> Any:
        if isinstance(item, list):
            return [render(v, (*path, i)) for i, v in enumerate(item)]
        if isinstance(item, dict):
            return {k: render(v, (*path, k)) for k, v in item.items()}
        if not is_template(item):
            return item
        try:
            return _render(item, variables)
        except _Failure as failure:
            prefix = printable(origin_of(path) if callable(origin_of) else origin_of)
            raise LabFileError([f"{prefix}: variable error: {failure.message}"]) from None

    return render(value, ())


class _Failure(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def _render(text: str, variables: Mapping[str, Any]) -> str:
    token = _BUDGET.set(_Budget(deadline=time.thread_time() + MAX_SECONDS))
    try:
        if len(text) > MAX_SOURCE:
            raise _Exceeded(f"a template longer than {MAX_SOURCE} characters")
        tags = [len(tag) for tag in _TAG.findall(text)]
        if len(tags) > MAX_TAGS or sum(tags) > MAX_TAG_TEXT:
            raise _Exceeded(f"a template with more than {MAX_TAGS} tags or {MAX_TAG_TEXT} characters in tags")
        template = _compile(text)
        chunks: list[str] = []
        size = 0
        for chunk in template.generate(dict(variables)):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise _Exceeded(f"output longer than {MAX_OUTPUT} characters")
            chunks.append(chunk)
        result = "".join(chunks)
        found = _SURROGATE.search(result)
        if found:
            raise _Exceeded(f"the result holds a lone surrogate {ascii(found.group())[1:-1]} (not valid Unicode)")
        return result
    except Exception as exc:  # every failure of a template is the instructor's to fix
        raise _Failure(_template_line(exc), _message(exc)) from None
    finally:
        _BUDGET.reset(token)


def _template_line(exc: BaseException) -> int:
    if isinstance(exc, TemplateSyntaxError) and exc.lineno:
        return exc.lineno
    lines = [line for frame, line in traceback.walk_tb(exc.__traceback__) if frame.f_code.co_filename == _FILENAME]
    return lines[-1] if lines and lines[-1] else 1


def _message(exc: BaseException) -> str:
    if isinstance(exc, TemplateError):
        text = exc.message if isinstance(exc, TemplateSyntaxError) else str(exc)
    elif isinstance(exc, _Exceeded):
        text = str(exc)
    elif isinstance(exc, RecursionError):
        text = "nested too deeply, or a macro calls itself without end"
    elif isinstance(exc, MemoryError):
        text = "out of memory"
    else:
        text = f"{type(exc).__name__}: {exc}"
    return one_line(text or type(exc).__name__)
