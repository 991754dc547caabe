"""Import cycles among a package's modules, imports inside functions included (grimp sees those,
and a lazy import is a dependency all the same): a cycle ties modules that should stand apart."""

from __future__ import annotations

import grimp


def cycles(package: str) -> list[list[str]]:
    """Every group of `package`'s modules that import one another in a circle, sorted.

    Tarjan's strongly connected components, iterative (a deep chain of imports must not
    exhaust the interpreter's recursion limit); a module that imports itself counts too.
    """
    graph = grimp.build_graph(package, include_external_packages=False, cache_dir=None)  # none in the tree
    imports = {module: sorted(graph.find_modules_directly_imported_by(module)) for module in graph.modules}
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(imports):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            module, edge = work.pop()
            if edge == 0:
                index[module] = lowest[module] = len(index)
                stack.append(module)
                on_stack.add(module)
            targets = imports.get(module, [])
            if edge < len(targets):
                work.append((module, edge + 1))
                target = targets[edge]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    lowest[module] = min(lowest[module], index[target])
                continue
            if work:
                parent = work[-1][0]
                lowest[parent] = min(lowest[parent], lowest[module])
            if lowest[module] == index[module]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == module:
                        break
                if len(component) > 1 or module in imports.get(module, []):
                    found.append(sorted(component))
    return sorted(found)
