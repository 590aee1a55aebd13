pytest_plugins = [
    "tests.harness.services",
    "tests.harness.database",
    "tests.harness.cloudformation",
    "tests.harness.lunch",
    "tests.harness.api",
    "tests.fakes.plugin",
    "tests.fakes.gemini_plugin",
]
