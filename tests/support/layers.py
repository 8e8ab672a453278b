"""The house rules of DESIGN.md, read from the code itself (ast, nothing imported or run).

- no import cycles between the package's modules (imports inside functions count too);
- domain modules import nothing from ui/, the commands, cli or a storage backend;
- only storage/__init__.py chooses a backend (imports storage.sqlite or storage.mongo, or a module in
  them); a backend's modules import their own package's modules, never the other backend's;
- sqlite3 only inside the SQLite backend, pymongo and bson only inside the MongoDB backend;
- screens and commands reach the store only through services (no store method called but close);
- only cli.py reads the environment; only ui/console.py calls input(), getpass() or print();
- a domain module opens, reads or writes files only if it is a declared file edge (FILE_EDGES: export
  writes the export files, the importing readers and mapping read the files named to them);
- only a declared network edge imports a network library (NETWORK_EDGES: digest sends mail and posts
  to webhooks; the store backends' drivers connect by themselves).

``violations(folder, package)`` returns one readable line per broken rule; tests/unit/test_layers.py
runs it on statbotic/ and on small broken trees, to show that each rule can fail.
"""

from __future__ import annotations

import ast
from pathlib import Path

DOMAIN = (
    "metrics",
    "goals",
    "typed_numbers",
    "metric_kinds",
    "builtin_metrics",
    "reports",
    "department",
    "targets",
    "auth",
    "services",
    "periods",
    "parsing",
    "records",
    "frozen",
    "errors",
    "export",
    "plausibility",
    "throttle",
    "access",
    "people",
    "metric_admin",
    "import_service",
    "agent_report",
    "alerts",
    "shares",
    "addresses",
    "digest",
    "pacing",
    "importing",  # a package: problems, readers, mapping, aggregate
)
# The domain modules that touch files, each for one purpose: everything else in DOMAIN is pure.
FILE_EDGES = ("export", "importing.readers", "importing.mapping")
# The modules that open network connections (besides the store backends' drivers), each for one purpose:
# digest sends the mail and posts to the webhook.  Nothing else imports a network library.
NETWORK_EDGES = ("digest",)
NETWORK_LIBRARIES = ("smtplib", "urllib.request", "http.client", "socket", "ssl")
FILE_CALLS = ("read_text", "read_bytes", "write_text", "write_bytes", "fdopen", "mkstemp")
BACKENDS = ("storage.sqlite", "storage.mongo")  # packages: each rule below means a module within them
BACKEND_LIBRARIES = {"sqlite3": "storage.sqlite", "pymongo": "storage.mongo", "bson": "storage.mongo"}
# the subcommands and what they share
COMMANDS = (
    "commands",
    "command_base",
    "people_commands",
    "metric_commands",
    "import_commands",
    "check_command",
    "report_command",
    "share_command",
    "digest_command",
)
# report_page is presentation (HTML, like ui/ is the terminal's): it may word figures with ui.render
STORE_CALLERS = ("ui", "report_page", *COMMANDS)  # module prefixes that must go through services (or people)
TERMINAL_CALLS = ("input", "print", "getpass")


class Module:
    def __init__(self, name: str, path: Path, package: str) -> None:
        self.name, self.path, self.package = name, path, package
        self.short = name[len(package) + 1 :] if name != package else ""
        self.tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        self.is_package = path.name == "__init__.py"

    def within(self, *prefixes: str) -> bool:
        return within(self.short, *prefixes)

    def imports(self, known: set[str]) -> list[tuple[int, str]]:
        """(line, module imported) for every import in the file, relative ones resolved."""
        found = []
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                found += [(node.lineno, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = self._resolve(node)
                for alias in node.names:
                    submodule = f"{base}.{alias.name}"
                    found.append((node.lineno, submodule if submodule in known else base))
        return found

    def _resolve(self, node: ast.ImportFrom) -> str:
        if node.level == 0:
            return node.module or ""
        parts = self.name.split(".")
        if not self.is_package:
            parts = parts[:-1]
        parts = parts[: len(parts) - (node.level - 1)]
        return ".".join(parts + ([node.module] if node.module else []))


def within(short: str, *prefixes: str) -> bool:
    """Whether the module named ``short`` (without the package) is one of ``prefixes`` or inside one."""
    return any(short == p or short.startswith(p + ".") for p in prefixes)


def load(folder: Path, package: str) -> dict[str, Module]:
    modules = {}
    for path in sorted(folder.rglob("*.py")):
        parts = path.relative_to(folder).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        name = ".".join((package, *parts))
        modules[name] = Module(name, path, package)
    return modules


def violations(folder: Path, package: str) -> list[str]:
    modules = load(folder, package)
    known = set(modules)
    graph = {name: sorted({target for _, target in m.imports(known) if target in known}) for name, m in modules.items()}
    found = [f"import cycle: {' -> '.join(cycle)}" for cycle in cycles(graph)]
    for module in modules.values():
        found += layer_violations(module, known)
        found += call_violations(module)
    return found


def layer_violations(module: Module, known: set[str]) -> list[str]:
    found, package = [], module.package
    for line, target in module.imports(known):
        where = f"{module.path.name}:{line} ({module.name}) imports {target}"
        short = target[len(package) + 1 :] if target.startswith(package + ".") else None
        backend = next((b for b in BACKENDS if short is not None and within(short, b)), None)
        outward = short is not None and (short.split(".")[0] in ("ui", "cli", *COMMANDS) or backend is not None)
        if module.within(*DOMAIN) and outward:
            found.append(f"domain module reaches outward: {where}")
        if backend is not None and module.short != "storage" and not module.within(backend):
            found.append(f"only storage/__init__.py chooses a backend: {where}")
        library = BACKEND_LIBRARIES.get(target.split(".")[0])
        if library and not module.within(library):
            found.append(f"a database library outside its backend: {where}")
        if _is_network_library(target) and not module.within(*NETWORK_EDGES):
            found.append(f"only a declared network edge (NETWORK_EDGES) opens connections: {where}")
        if module.within(*STORE_CALLERS) and short is not None and short.split(".")[0] == "storage":
            found.append(f"screens and commands get the store from cli.main, not from storage/: {where}")
    return found


def _is_network_library(target: str) -> bool:
    return any(target == name or target.startswith(name + ".") for name in NETWORK_LIBRARIES)


def call_violations(module: Module) -> list[str]:
    found = []
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Attribute) and _is_environment(node) and module.short != "cli":
            found.append(f"only cli.py reads the environment: {module.path.name}:{node.lineno} ({module.name})")
        if not isinstance(node, ast.Call):
            continue
        name = _called_name(node.func)
        if _is_file_call(node.func) and module.within(*DOMAIN) and not module.within(*FILE_EDGES):
            found.append(
                f"a domain module touches files only as a declared file edge: {ast.unparse(node.func)}() "
                f"at {module.path.name}:{node.lineno} ({module.name})"
            )
        if name in TERMINAL_CALLS and module.short != "ui.console":
            found.append(f"only ui/console.py talks to the terminal: {name}() at {module.path.name}:{node.lineno}")
        if module.within(*STORE_CALLERS) and _is_store_method(node.func):
            found.append(
                f"screens and commands reach the store through services: {ast.unparse(node.func)}() "
                f"at {module.path.name}:{node.lineno} ({module.name})"
            )
    return found


def _is_environment(node: ast.Attribute) -> bool:
    """os.environ, os.getenv, os.putenv, os.environb."""
    return (
        isinstance(node.value, ast.Name)
        and node.value.id == "os"
        and node.attr in ("environ", "environb", "getenv", "putenv", "unsetenv")
    )


def _called_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "getpass":
        return "getpass"
    return None


def _is_file_call(func: ast.expr) -> bool:
    """open(...), or a Path's read_text/write_bytes..., os.fdopen, tempfile.mkstemp."""
    if isinstance(func, ast.Name):
        return func.id == "open"
    return isinstance(func, ast.Attribute) and func.attr in FILE_CALLS


def _is_store_method(func: ast.expr) -> bool:
    if not isinstance(func, ast.Attribute) or func.attr == "close":
        return False
    owner = func.value
    name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else ""
    return name in ("store", "_store")


def cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Every strongly connected group of two or more modules (or a module importing itself), as a loop."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                groups.append(sorted(group) + [sorted(group)[0]])

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups
