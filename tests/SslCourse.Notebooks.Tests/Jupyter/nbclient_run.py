#!/usr/bin/python3
"""Runs a notebook in Jupyter's own client, as a learner's Jupyter does: Debian's python3-nbclient starts the kernel
named by the notebook's kernelspec (".net-csharp", registered by `dotnet interactive jupyter install`) with DIR as
its working folder, runs every code cell in order and writes the executed notebook with nbformat.

    /usr/bin/python3 nbclient_run.py IN.ipynb OUT.ipynb --cwd DIR [--timeout SECONDS]

It stops at the first cell that fails, like Jupyter's "Run All", and still writes OUT. Every Python warning raised
while reading, running or writing (nbformat's missing-id warning, nbclient's own) is recorded, not hidden. The last
line of stdout is one JSON object: {"seconds", "cpu_seconds", "kernel", "failed_cell", "error", "warnings",
"input_problems", "output_problems"} (cpu_seconds: this client and the kernel it started and reaped); the problem
lists come from nbschema.py's strict nbformat 4.5 check of IN as given and of OUT.
Exit 0 when the run had no error, no warning and both notebooks are valid; 1 otherwise; 2 on bad usage or setup.
"""
import argparse
import json
import os
import resource
import sys
import time
import warnings

sys.dont_write_bytecode = True  # no __pycache__ in the repository's test folder
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nbschema  # noqa: E402

try:
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError
except ImportError as e:  # pragma: no cover - reported to the caller
    print(f"nbclient_run: {e.name} is missing: scripts/setup installs python3-nbclient and python3-nbformat", file=sys.stderr)
    sys.exit(2)


def main():
    ap = argparse.ArgumentParser(description="run a notebook with nbclient")
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--cwd", required=True)
    ap.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    args = ap.parse_args()

    result = {"seconds": 0.0, "cpu_seconds": 0.0, "kernel": None, "failed_cell": None, "error": None, "warnings": [],
              "input_problems": nbschema.check(args.input), "output_problems": []}
    start = time.monotonic()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        nb = nbformat.read(args.input, as_version=4)
        name = nb.metadata.get("kernelspec", {}).get("name", "")
        result["kernel"] = name
        try:
            KernelSpecManager().get_kernel_spec(name)
        except NoSuchKernel:
            print(f"nbclient_run: kernel '{name}' is not registered with Jupyter: run "
                  "`dotnet tool run dotnet-interactive -- jupyter install` (scripts/setup does)", file=sys.stderr)
            return 2
        client = NotebookClient(nb, timeout=args.timeout, startup_timeout=180, kernel_name=name,
                                allow_errors=False, resources={"metadata": {"path": args.cwd}})
        try:
            client.execute()
        except (CellExecutionError, CellTimeoutError) as e:
            ename, evalue = getattr(e, "ename", None), getattr(e, "evalue", None)
            first = (str(e).strip().splitlines() or [type(e).__name__])[0]
            head = (str(evalue).strip().splitlines() or [""])[0]
            result["error"] = (f"{ename}: {head}" if ename else first)[:500]
            # The cell with an error output; for a timeout (no error output), the last cell that started.
            code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
            failed = [i for i, c in code if any(o.get("output_type") == "error" for o in c.get("outputs", []))]
            started = [i for i, c in code if c.get("execution_count") is not None]
            index = failed[0] if failed else started[-1] if started else None
            result["failed_cell"] = None if index is None else index + 1
        nbformat.write(nb, args.output)
    result["seconds"] = round(time.monotonic() - start, 1)
    used = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    result["cpu_seconds"] = round(sum(u.ru_utime + u.ru_stime for u in used), 1)
    result["warnings"] = [f"{w.category.__name__}: {w.message} ({os.path.basename(w.filename)}:{w.lineno})" for w in caught]
    result["output_problems"] = nbschema.check(args.output)
    print(json.dumps(result))
    bad = result["error"] or result["warnings"] or result["input_problems"] or result["output_problems"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
