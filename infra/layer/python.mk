# What the function builds (infra/build.mk) and the layer builds (infra/layer/Makefile) share.

# SAM CLI runs make with its own environment: its virtualenv's python has no uv. Use the uv on
# PATH, else the one `make install` put beside python3.
UV_BIN := $(shell command -v uv 2>/dev/null || echo python3 -m uv)

# Lambda's runtime: python3.13 on Amazon Linux 2023 (glibc 2.34).
LAMBDA_PYTHON := 3.13

# Lambda's /opt and /var/task are read-only: without bytecode in the zip, every cold start
# compiles every module it imports again. Compiled by Python 3.13 (the runtime's bytecode
# format), checked by hash rather than by file times, which zipping does not keep exactly.
define bytecode
	find "$(1)" -name __pycache__ -prune -exec rm -rf {} +
	$(UV_BIN) run --no-project --no-config --python $(LAMBDA_PYTHON) -- \
		python -m compileall -q -j 0 --invalidation-mode unchecked-hash "$(1)" >/dev/null
endef
