"""What Lambda's python3.13 bootstrap does, run by the emulator as the function's process.

Started as ``python3.13 -I -S -B bootstrap.py <handler>``: isolated (no PYTHON* variables, no user
site) and without the interpreter's own site-packages. The path is then exactly Lambda's: the
runtime interface client (``/var/runtime``), the function's artifact (``/var/task``) and the layer
(``/opt/python``), here read from LAMBDA_RUNTIME_DIR, LAMBDA_TASK_ROOT and LAMBDA_OPT_DIR.
"""

import os
import sys

runtime_dir = os.environ["LAMBDA_RUNTIME_DIR"]
task_root = os.environ["LAMBDA_TASK_ROOT"]
layer_dir = os.path.join(os.environ["LAMBDA_OPT_DIR"], "python")
# Only the standard library stays from the interpreter's own path (-S left no site-packages).
standard_library = [path for path in sys.path if path and "site-packages" not in path]
sys.path[:] = [runtime_dir, task_root, layer_dir, *standard_library]
os.chdir(task_root)

# `python -m awslambdaric <handler>`, as Lambda's own bootstrap starts it.
from awslambdaric.__main__ import main  # type: ignore[import-not-found]  # noqa: E402

main([sys.argv[0], sys.argv[1]])
