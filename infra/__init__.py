"""How the system is built and run: the SAM stacks, the artifact build, the local runner."""
