"""Design rules, checked by reading the source with ``ast`` (nothing here imports the code).

1. The tracking engine (``sco_tracker/tracking/``) knows no domain app.
2. First-party modules import each other without a cycle.
3. No first-party module over 400 lines unless its docstring says why it is long.
4. The admin's save hooks never read the request's raw data.
5. Private attributes are set only by their own object (``self``/``cls``).

That the repository is self-contained (the seed documents read from ``fixtures/sources``,
nothing from beside the checkout) is shown by running the suite in a fresh clone
(``.ci/run``) and by ``tests/test_seed.py``, not by a rule here.

``ARCHITECTURE_ROOT`` points the checks at another checkout (an older commit, say); by
default they read the repository this file lives in. Every failure names file:line.
"""

import ast
import os
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(os.environ.get("ARCHITECTURE_ROOT") or Path(__file__).resolve().parent.parent)
FIRST_PARTY = ("sco_tracker", "meetings", "indicators")
DOMAIN_APPS = ("meetings", "indicators")
TRACKING = "sco_tracker.tracking"
SKIPPED_DIRS = {".venv", "node_modules", "var", "__pycache__"}
MAX_LINES = 400
SAVE_HOOKS = {"save_model", "save_formset", "save_related"}
RAW_REQUEST_DATA = {"POST", "GET"}
THIS_FILE = "tests/test_architecture.py"

# Attributes a third-party library documents as public although they start with "_":
# {attribute: why}. Empty: nothing in the code needs one.
DOCUMENTED_PRIVATE_LOOKING_ATTRIBUTES: dict[str, str] = {}


# --- reading the tree --------------------------------------------------------------------


def python_files(root, *, tests=False, migrations=False):
    """First-party ``.py`` files under ``root``: hidden directories, SKIPPED_DIRS and, unless
    asked for, ``tests``/``migrations`` directories left out."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d not in SKIPPED_DIRS
            and not d.startswith(".")
            and (tests or d != "tests")
            and (migrations or d != "migrations")
        )
        for name in sorted(filenames):
            if name.endswith(".py"):
                yield Path(dirpath) / name


def rel(path, root=None):
    return Path(path).relative_to(root or ROOT).as_posix()


def parse(path):
    return ast.parse(Path(path).read_text(encoding="utf-8"), filename=str(path))


def docstring_nodes(tree):
    """The string constants that are docstrings (documentation, not references)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def module_name(path, root):
    parts = list(Path(path).relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def first_party_modules(root):
    """{module name: path} for the packages in FIRST_PARTY (no tests, no migrations)."""
    modules = {}
    for package in FIRST_PARTY:
        if (Path(root) / package).is_dir():
            for path in python_files(Path(root) / package):
                modules[module_name(path, root)] = path
    return modules


def resolve_from(node, module, is_package):
    """The absolute module an ``ImportFrom`` reads from (None if it climbs past the top)."""
    if not node.level:
        return node.module
    parts = module.split(".") if is_package else module.split(".")[:-1]
    if node.level - 1 >= len(parts):
        return None
    base = ".".join(parts[: len(parts) - (node.level - 1)])
    return f"{base}.{node.module}" if node.module else base


def is_empty_module(path):
    """Nothing but a docstring (or ``pass``): no code, no imports."""
    body = parse(path).body
    return all(
        isinstance(stmt, ast.Pass)
        or (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))
        for stmt in body
    )


# --- rule 1: the tracking engine imports no domain app ----------------------------------

DOMAIN_REFERENCE = re.compile(r"^(meetings|indicators)$|\b(meetings|indicators)[.:](\w|$)")


def tracking_violations(root):
    package = Path(root) / "sco_tracker" / "tracking"
    if not package.is_dir():
        return [f"{rel(package, root)}/: missing, so the rule cannot be checked"]
    found = []
    for path in python_files(package):
        module = module_name(path, root)
        tree = parse(path)
        docstrings = docstring_nodes(tree)
        where = f"{rel(path, root)}:"
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] in DOMAIN_APPS:
                        found.append(f"{where}{node.lineno}: import {alias.name}")
            elif isinstance(node, ast.ImportFrom):
                base = resolve_from(node, module, path.name == "__init__.py")
                text = f"from {'.' * node.level}{node.module or ''} import ..."
                if base is None or (node.level and not (base + ".").startswith(TRACKING + ".")):
                    found.append(f"{where}{node.lineno}: {text} climbs out of {TRACKING}")
                elif base.split(".")[0] in DOMAIN_APPS:
                    found.append(f"{where}{node.lineno}: {text} ({base})")
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and DOMAIN_REFERENCE.search(node.value)
            ):
                found.append(f"{where}{node.lineno}: string {node.value!r} names a domain app")
    return found


def test_tracking_engine_imports_no_domain_app():
    """``sco_tracker/tracking/`` (templatetags included) depends on neither ``meetings`` nor
    ``indicators``: no ``import``/``from`` of them, no relative import climbing out of the
    package, and no string naming them — app labels (``apps.get_model("meetings", …)``),
    model labels (``"indicators.Figure"``), dotted paths or URL namespaces
    (``"meetings:…"``). Docstrings are documentation and may show examples; comments are
    not in the syntax tree. A missing package fails rather than passing vacuously."""
    found = tracking_violations(ROOT)
    assert not found, "The tracking engine reaches into a domain app:\n" + "\n".join(found)


# --- rule 2: no import cycle -------------------------------------------------------------


def import_graph(root):
    """{module: {imported module: "file:line"}} over the first-party modules.

    Every import counts, wherever it stands (module level, inside a function or a class,
    under ``if TYPE_CHECKING``): a deferred import is still a dependency. Edges:

    * ``import a.b.c`` → ``a.b.c``; ``from a.b import x`` → ``a.b`` and, when ``a/b/x.py``
      (or ``a/b/x/``) exists, ``a.b.x``; relative imports are resolved first; a name that
      is no module falls back to the longest first-party module prefix.
    * Importing ``a.b.c`` from outside package ``a.b`` also runs ``a.b``'s ``__init__``,
      so that counts as a dependency on ``a.b`` too. A module's own ancestor packages are
      different: Python initialises them before the module, and a package whose
      ``__init__`` is still running while its submodules load is how packages work, not a
      cycle. So a submodule depends on its own package only when it reads a *name* defined
      there (``from . import helper`` where ``helper`` is not a submodule, or
      ``import pkg``); ``from . import sibling`` is a dependency on the sibling alone.
    * An empty ``__init__`` (nothing but a docstring) is never an edge target: it imports
      nothing, so it cannot close a cycle, and an edge to it would only be noise.
    * A package importing its own submodule (``from . import x`` in ``__init__``) is no
      self-loop.
    """
    modules = first_party_modules(root)
    empty = {name for name, path in modules.items() if path.name == "__init__.py"}
    empty = {name for name in empty if is_empty_module(modules[name])}
    graph = {name: {} for name in modules}

    def longest_known(name):
        parts = name.split(".")
        for end in range(len(parts), 0, -1):
            if ".".join(parts[:end]) in modules:
                return ".".join(parts[:end])
        return None

    def add(source, target, where, *, own_package_ok):
        own_ancestors = {source.rsplit(".", i)[0] for i in range(1, source.count(".") + 1)}
        if modules[source].name == "__init__.py":
            own_ancestors.add(source)
        parts = target.split(".")
        for end in range(1, len(parts)):  # the ancestors Python initialises first
            ancestor = ".".join(parts[:end])
            if ancestor in modules and ancestor not in own_ancestors and ancestor not in empty:
                graph[source].setdefault(ancestor, where)
        if target == source or target in empty:
            return
        if target in own_ancestors and not own_package_ok:
            return
        graph[source].setdefault(target, where)

    for source, path in modules.items():
        for node, function in imports_in(parse(path)):
            where = f"{rel(path, root)}:{node.lineno}" + (f", in {function}()" if function else "")
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] in FIRST_PARTY and longest_known(alias.name):
                        add(source, longest_known(alias.name), where, own_package_ok=True)
            elif isinstance(node, ast.ImportFrom):
                base = resolve_from(node, source, path.name == "__init__.py")
                if not base or base.split(".")[0] not in FIRST_PARTY:
                    continue
                known = longest_known(base)
                if known is None:
                    continue
                names = [alias.name for alias in node.names]
                submodules = [f"{base}.{n}" for n in names if f"{base}.{n}" in modules]
                for submodule in submodules:
                    add(source, submodule, where, own_package_ok=False)
                reads_names = known != base or len(submodules) < len(names)
                add(source, known, where, own_package_ok=reads_names)
    return graph


def imports_in(tree):
    """Every import statement, with the function it stands in (None outside functions)."""

    def walk(node, function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child, function
            is_function = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            yield from walk(child, child.name if is_function else function)

    return walk(tree, None)


def find_cycles(graph):
    """One cycle (as a list of modules, first == last) per strongly connected component."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []

    def strongconnect(node):  # Tarjan's algorithm
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                strongconnect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(graph):
        if node not in index:
            strongconnect(node)
    cycles = []
    for component in components:
        start = min(component)
        paths = {start: [start]}
        queue = [start]
        while queue:  # shortest way round, breadth first, inside the component
            node = queue.pop(0)
            for target in sorted(graph[node]):
                if target == start:
                    cycles.append([*paths[node], start])
                    queue = []
                    break
                if target in component and target not in paths:
                    paths[target] = [*paths[node], target]
                    queue.append(target)
    return cycles


def describe_cycle(cycle, graph):
    steps = [cycle[0]]
    for source, target in zip(cycle, cycle[1:], strict=False):
        steps.append(f"  → {target}  ({graph[source][target]})")
    return "\n".join(steps)


def test_no_first_party_import_cycle():
    """No cycle among the imports between first-party modules (``sco_tracker.*``,
    ``meetings.*``, ``indicators.*``; tests and migrations left out). Function-level
    imports count: they only hide a cycle from Python, not from the design.

    ``from pkg import x`` depends on ``pkg`` and, when ``pkg/x.py`` exists, on ``pkg.x``.
    Packages do not create false cycles: an empty ``__init__`` is never an edge target (it
    imports nothing, so no cycle can pass through it), and a submodule depends on its own
    package only when it reads a name defined in the package's ``__init__``, since Python
    initialises a module's ancestor packages before the module anyway. ``import_graph``'s
    docstring has the details. The message shows each cycle with the file:line of every
    import along it (and the function it stands in, for a function-level import)."""
    graph = import_graph(ROOT)
    assert graph, f"No first-party modules found under {ROOT}"
    cycles = find_cycles(graph)
    assert not cycles, "Import cycles:\n" + "\n\n".join(describe_cycle(c, graph) for c in cycles)


# --- rule 3: module size -----------------------------------------------------------------


def oversized_modules(root):
    found = []
    for path in python_files(root):
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines <= MAX_LINES:
            continue
        docstring = ast.get_docstring(ast.parse(text)) or ""
        if not re.search(r"\blong\b", docstring, re.IGNORECASE):
            found.append(f"{rel(path, root)}:{MAX_LINES + 1}: {lines} lines, no word on why")
    return found


def test_modules_are_short_or_say_why():
    """No first-party module (``manage.py`` and ``docs/`` included; tests and migrations
    not) is over 400 lines unless its module docstring uses the word "long" to say why
    ("This module is long because …")."""
    found = oversized_modules(ROOT)
    assert not found, f"Modules over {MAX_LINES} lines:\n" + "\n".join(found)


# --- rule 4: save hooks never read request.POST / request.GET ----------------------------


def raw_request_reads(root):
    found = []
    for path in python_files(root, tests=True):
        for hook in ast.walk(parse(path)):
            if not (
                isinstance(hook, ast.FunctionDef | ast.AsyncFunctionDef) and hook.name in SAVE_HOOKS
            ):
                continue
            for node in ast.walk(hook):
                attribute = isinstance(node, ast.Attribute) and node.attr in RAW_REQUEST_DATA
                via_getattr = (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == "getattr"
                    and len(node.args) >= 2
                    and isinstance(node.args[1], ast.Constant)
                    and node.args[1].value in RAW_REQUEST_DATA
                )
                if attribute or via_getattr:
                    where = f"{rel(path, root)}:{node.lineno}"
                    found.append(f"{where}: {ast.unparse(node)} in {hook.name}()")
    return found


def test_save_hooks_read_no_raw_request_data():
    """``save_model``, ``save_formset`` and ``save_related`` (any class, any first-party
    file but migrations) never read ``request.POST`` or ``request.GET`` (nor
    ``getattr(request, "POST")``): what is saved comes from the validated form, so a
    value cannot slip past the form's checks."""
    found = raw_request_reads(ROOT)
    assert not found, "Save hooks reading raw request data:\n" + "\n".join(found)


# --- rule 5: private attributes are set only on self/cls ---------------------------------


def is_private(name):
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def is_own(node):
    """``self``, ``cls`` or ``super()``: the object whose class the code belongs to."""
    if isinstance(node, ast.Name):
        return node.id in {"self", "cls"}
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"
    )


def literal_strings(node):
    """The strings a literal (a string, or a tuple/list/set of strings) holds, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        values = set()
        for element in node.elts:
            strings = literal_strings(element)
            if strings is None:
                return None
            values |= strings
        return values
    return None


def module_source(module, root):
    """The file defining ``module``, found on disk (ROOT first, then ``sys.path``)."""
    parts = module.split(".")
    for base in [Path(root), *(Path(entry or ".") for entry in sys.path)]:
        for candidate in (
            base.joinpath(*parts).with_suffix(".py"),
            base.joinpath(*parts, "__init__.py"),
        ):
            if candidate.is_file():
                return candidate
    return None


def named_strings(path, module, name, root, depth=3):
    """The strings a module-level constant ``name`` holds in ``path``, following
    ``from x import name`` into first- and third-party sources (read, never imported)."""
    if depth == 0 or path is None:
        return None
    for stmt in parse(path).body:
        if isinstance(stmt, ast.Assign | ast.AnnAssign) and stmt.value is not None:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                return literal_strings(stmt.value)
        elif isinstance(stmt, ast.ImportFrom):
            for alias in stmt.names:
                if (alias.asname or alias.name) == name:
                    base = resolve_from(stmt, module, path.name == "__init__.py")
                    source = base and module_source(base, root)
                    return named_strings(source, base, alias.name, root, depth - 1)
    return None


class PrivateWrites(ast.NodeVisitor):
    """Writes (assignment, ``del``, ``setattr``/``delattr``, ``__setattr__``, ``__dict__``)
    of a private attribute on an object that is not ``self``/``cls``."""

    def __init__(self, path, module, root):
        self.path, self.module, self.root = path, module, root
        self.loops = []  # {loop variable: strings it runs over}
        self.found = []

    def strings(self, node):
        if isinstance(node, ast.Name):
            for bound in reversed(self.loops):
                if node.id in bound:
                    return bound[node.id]
            return named_strings(self.path, self.module, node.id, self.root)
        if isinstance(node, ast.JoinedStr) and node.values:  # f"_{name}" is private too
            head = node.values[0]
            if isinstance(head, ast.Constant) and isinstance(head.value, str):
                return {head.value + "…"}
        return literal_strings(node)

    def report(self, node, target, names, shown=None):
        private = sorted(n for n in names or () if is_private(n))
        private = [n for n in private if n not in DOCUMENTED_PRIVATE_LOOKING_ATTRIBUTES]
        if private and not is_own(target):
            where = f"{rel(self.path, self.root)}:{node.lineno}"
            attrs = ", ".join(f"{ast.unparse(target)}.{n}" for n in private)
            self.found.append(f"{where}: {shown or ast.unparse(node)}  (writes {attrs})")

    def visit_For(self, node):
        bound = {}
        if isinstance(node.target, ast.Name):
            strings = self.strings(node.iter)
            if strings:
                bound[node.target.id] = strings
        self.loops.append(bound)
        self.generic_visit(node)
        self.loops.pop()

    visit_AsyncFor = visit_For

    def visit_Attribute(self, node):
        if isinstance(node.ctx, ast.Store | ast.Del):
            shown = f"del {ast.unparse(node)}" if isinstance(node.ctx, ast.Del) else None
            self.report(node, node.value, {node.attr}, shown or f"{ast.unparse(node)} = …")
        self.generic_visit(node)

    def visit_Subscript(self, node):
        # obj.__dict__["_x"] = … and vars(obj)["_x"] = …
        if isinstance(node.ctx, ast.Store | ast.Del):
            holder = node.value
            target = None
            if isinstance(holder, ast.Attribute) and holder.attr == "__dict__":
                target = holder.value
            elif (
                isinstance(holder, ast.Call) and ast.unparse(holder.func) == "vars" and holder.args
            ):
                target = holder.args[0]
            if target is not None:
                deleting = isinstance(node.ctx, ast.Del)
                shown = f"del {ast.unparse(node)}" if deleting else f"{ast.unparse(node)} = …"
                self.report(node, target, self.strings(node.slice), shown)
        self.generic_visit(node)

    def visit_Call(self, node):
        func, args = node.func, node.args
        if isinstance(func, ast.Name) and func.id in {"setattr", "delattr"} and len(args) >= 2:
            self.report(node, args[0], self.strings(args[1]))
        elif isinstance(func, ast.Attribute) and func.attr in {"__setattr__", "__delattr__"}:
            unbound = len(args) == (3 if func.attr == "__setattr__" else 2)
            if unbound:  # object.__setattr__(obj, "_x", value)
                self.report(node, args[0], self.strings(args[1]))
            elif args:  # obj.__setattr__("_x", value)
                self.report(node, func.value, self.strings(args[0]))
        self.generic_visit(node)


def private_writes(root):
    found = []
    for path in python_files(root):
        visitor = PrivateWrites(path, module_name(path, root), root)
        visitor.visit(parse(path))
        found += visitor.found
    return found


def test_private_attributes_are_set_only_on_self():
    """In first-party code (tests and migrations aside), a private attribute (``_name``;
    dunders are fine) is assigned, deleted or ``setattr``-ed only on ``self``/``cls``
    (or through ``super()``): ``obj._flag = …`` or ``request._note = …`` from another
    module is a hidden channel between modules. Attribute names given through a constant
    (``setattr(x, SOME_NAME, …)``), including a third-party library's, are read from its
    source; a name only known at run time cannot be checked. A library's attribute that
    merely looks private but is documented as its API may go in
    ``DOCUMENTED_PRIVATE_LOOKING_ATTRIBUTES``, with the reason."""
    found = private_writes(ROOT)
    assert not found, "Private attributes set from outside their object:\n" + "\n".join(found)


# --- the checks themselves fail where they should ----------------------------------------

EMPTY = '"""A package."""\n'


@pytest.mark.parametrize(
    ("check", "files", "expected"),
    [
        # A function-level import closes a cycle as surely as a module-level one.
        (
            lambda root: ["→".join(c) for c in find_cycles(import_graph(root))],
            {
                "meetings/__init__.py": EMPTY,
                "meetings/a.py": "from meetings.b import x\n",
                "meetings/b.py": "def f():\n    from . import a\n",
            },
            "meetings.a→meetings.b→meetings.a",
        ),
        # A submodule importing a sibling through its re-exporting package is no cycle…
        (
            lambda root: find_cycles(import_graph(root)),
            {
                "meetings/__init__.py": "from .a import f\n",
                "meetings/a.py": "from . import b\n",
                "meetings/b.py": "from meetings import c\n",
                "meetings/c.py": "",
            },
            None,
        ),
        # …but reading a name the package defines after importing the submodule is.
        (
            lambda root: ["→".join(c) for c in find_cycles(import_graph(root))],
            {
                "meetings/__init__.py": "from .a import f\nX = 1\n",
                "meetings/a.py": "from . import X\n",
            },
            "meetings→meetings.a→meetings",
        ),
        # Importing a submodule from outside runs its package's __init__ first.
        (
            lambda root: ["→".join(c) for c in find_cycles(import_graph(root))],
            {
                "meetings/__init__.py": "from indicators.x import y\n",
                "meetings/m.py": "",
                "indicators/__init__.py": "",
                "indicators/x.py": "def g():\n    import meetings.m\n",
            },
            "indicators.x→meetings→indicators.x",
        ),
        (
            tracking_violations,
            {"sco_tracker/tracking/a.py": 'apps.get_model("meetings", "Country")\n'},
            "sco_tracker/tracking/a.py:1: string 'meetings'",
        ),
        (
            tracking_violations,
            {"sco_tracker/tracking/t/b.py": "from ...localized import x\n"},
            "climbs out of sco_tracker.tracking",
        ),
        (
            tracking_violations,
            {"sco_tracker/tracking/a.py": '"""Like "indicators.Figure"."""\nx = "meetings: 2"\n'},
            None,
        ),
        (
            raw_request_reads,
            {
                "meetings/admin.py": (
                    "def save_related(self, request):\n    getattr(request, 'GET')\n"
                )
            },
            "meetings/admin.py:2: getattr(request, 'GET') in save_related()",
        ),
        (
            private_writes,
            {
                "meetings/names.py": 'FLAG = "_flag"\nNAMES = ("public", "_hidden")\n',
                "meetings/a.py": (
                    "from .names import FLAG, NAMES\n"
                    "def f(obj):\n"
                    "    self._ok = obj.__dunder__ = 1\n"
                    "    super().__setattr__('_ok', 1)\n"
                    "    setattr(obj, FLAG, 1)\n"
                    "    for name in NAMES:\n"
                    "        setattr(obj, name, 1)\n"
                    "    del obj.__dict__['_x']\n"
                ),
            },
            "meetings/a.py:5: setattr(obj, FLAG, 1)  (writes obj._flag)\n"
            "meetings/a.py:7: setattr(obj, name, 1)  (writes obj._hidden)\n"
            "meetings/a.py:8: del obj.__dict__['_x']  (writes obj._x)",
        ),
        (
            oversized_modules,
            {"meetings/a.py": "x = 1\n" * 401, "meetings/b.py": '"""Long: a table."""\n' * 401},
            "meetings/a.py:401: 401 lines",
        ),
    ],
)
def test_checks_catch_what_they_should(tmp_path, check, files, expected):
    """Each check, on a small made-up tree: it finds the violation (or, for the allowed
    patterns, nothing)."""
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    found = "\n".join(check(tmp_path))
    if expected is None:
        assert not found
    else:
        assert expected in found, found
