#!/usr/bin/env python3
"""Checks that src/ imports only go down the pipeline's stages and that no two modules import
each other (directly or through others). A stage is a top-level folder of src/; its rank is
its place in STAGES. Prints each violation with file:line; exits 1 if any."""
import pathlib
import re
import sys

STAGES = ["diagnostics", "model", "load", "derive", "check", "render", "publish", "pipeline", "commands"]
USE = re.compile(r"crate::((?:[a-z_]+::)*[a-z_]+)")


def module_of(path, src):
    rel = path.relative_to(src).with_suffix("")
    parts = [p for p in rel.parts if p != "mod"]
    return "::".join(parts)


def code(text):
    """The text before a file's test module, without comments."""
    text = text.split("\n#[cfg(test)]")[0]
    return "\n".join(line.split("//")[0] for line in text.split("\n"))


def main():
    src = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "src")
    modules = {}
    for path in sorted(src.rglob("*.rs")):
        if path.name in ("lib.rs", "main.rs"):
            continue
        modules[module_of(path, src)] = path
    failed = False
    edges = {}
    for name, path in modules.items():
        stage = name.split("::")[0]
        text = code(path.read_text())
        for n, line in enumerate(text.split("\n"), 1):
            for m in USE.finditer(line):
                target = m.group(1)
                # The longest known module the path names.
                parts = target.split("::")
                while parts and "::".join(parts) not in modules:
                    parts.pop()
                if not parts:
                    continue
                dep = "::".join(parts)
                if dep == name or name.startswith(dep + "::") or dep.startswith(name + "::"):
                    continue
                edges.setdefault(name, set()).add(dep)
                to_stage = dep.split("::")[0]
                if stage in STAGES and to_stage in STAGES and STAGES.index(to_stage) > STAGES.index(stage):
                    print(f"error: {path}:{n}: {name} ({stage}) imports {dep} ({to_stage}), a later stage")
                    failed = True
    # Cycles between modules.
    state = {}
    stack = []

    def visit(node):
        nonlocal failed
        state[node] = 1
        stack.append(node)
        for dep in sorted(edges.get(node, ())):
            if state.get(dep) == 1:
                cycle = stack[stack.index(dep):] + [dep]
                print("error: import cycle: " + " -> ".join(cycle))
                failed = True
            elif dep not in state:
                visit(dep)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    if not failed:
        print(f"layers ok: {len(modules)} modules, imports go down {' > '.join(reversed(STAGES))}, no cycle")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
