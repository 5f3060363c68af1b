#!/usr/bin/python3
"""Strict nbformat 4.5 check of .ipynb files, with Debian's python3-nbformat (its JSON schema, through jsonschema).

    /usr/bin/python3 nbschema.py PATH...      (a PATH may be a folder: every *.ipynb in it)

nbformat.validate() itself is not used: nbformat 5.5 repairs what it checks (it adds missing cell ids and renames
duplicate ones, with a warning) and then passes. Here the file's own JSON is checked as written: nbformat 4, minor 5,
the 4.5 schema, and cell ids unique. Prints one line per problem (file, cell number and id, message) and a summary
line "nbformat 4.5: N valid, N invalid"; exit 0 when every file is valid, 1 otherwise, 2 on bad usage.
"""
import json
import os
import sys

try:
    from nbformat.validator import get_validator
except ImportError:  # pragma: no cover - reported to the caller
    print("nbschema: python3-nbformat is not installed (scripts/setup installs it)", file=sys.stderr)
    sys.exit(2)


def _cell_label(nb, path):
    if len(path) >= 2 and path[0] == "cells" and isinstance(path[1], int):
        cells = nb.get("cells") or []
        i = path[1]
        cid = cells[i].get("id", "no id") if i < len(cells) and isinstance(cells[i], dict) else "?"
        return f"cell {i + 1} (id {cid})"
    return "/".join(str(p) for p in path) or "notebook"


def _messages(error):
    """The leaf messages of a schema error. A cell (raw/markdown/code) or an output (stream/display_data/...) is a
    oneOf: report only the branch whose cell_type or output_type matches the instance, not every branch."""
    if not error.context:
        return [error.message]
    branches = {}
    for c in error.context:
        branches.setdefault(c.schema_path[0] if c.schema_path else 0, []).append(c)

    def wrong_kind(errs):
        return any(list(e.relative_path)[-1:] in (["cell_type"], ["output_type"]) for e in errs)

    own = [errs for errs in branches.values() if not wrong_kind(errs)] or list(branches.values())
    out = []
    for errs in own:
        for e in errs:
            for m in _messages(e):
                if m not in out:
                    out.append(m)
    return out


def check(file):
    """Problems in one file, as lines."""
    try:
        with open(file, encoding="utf-8") as f:
            nb = json.load(f)
    except (OSError, ValueError) as e:
        return [f"{file}: not readable as JSON: {e}"]
    if not isinstance(nb, dict):
        return [f"{file}: not a notebook (top level is not an object)"]
    problems = []
    if (nb.get("nbformat"), nb.get("nbformat_minor")) != (4, 5):
        problems.append(f"{file}: nbformat {nb.get('nbformat')}.{nb.get('nbformat_minor')}, expected 4.5")
    validator = get_validator(version=4, version_minor=5, name="jsonschema")
    for error in sorted(validator.iter_errors(nb), key=lambda e: list(map(str, e.absolute_path))):
        where = _cell_label(nb, list(error.absolute_path))
        for message in _messages(error):
            problems.append(f"{file}: {where}: {message[:300]}")
    seen = {}
    for i, cell in enumerate(nb.get("cells") or []):
        cid = cell.get("id") if isinstance(cell, dict) else None
        if cid is None:
            continue
        if cid in seen:
            problems.append(f"{file}: cell {i + 1}: id {cid} is also cell {seen[cid] + 1}'s (ids must be unique)")
        else:
            seen[cid] = i
    return problems


def files(paths):
    for p in paths:
        if os.path.isdir(p):
            for name in sorted(os.listdir(p)):
                if name.endswith(".ipynb"):
                    yield os.path.join(p, name)
        else:
            yield p


def main(argv):
    if not argv:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    valid = invalid = 0
    for file in files(argv):
        problems = check(file)
        for line in problems:
            print(line)
        valid, invalid = (valid, invalid + 1) if problems else (valid + 1, invalid)
    print(f"nbformat 4.5: {valid} valid, {invalid} invalid")
    return 0 if invalid == 0 and valid > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
