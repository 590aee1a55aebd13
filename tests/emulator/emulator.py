"""A built function (`sam build`'s artifact and layer) run by the AWS Lambda Runtime Interface
Emulator, with the environment template.yaml gives it for a set of parameter values."""

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cfnlint.decode import decode  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[2]
BOOTSTRAP = Path(__file__).with_name("bootstrap.py")
REPORT = re.compile(
    r"^REPORT RequestId: \S+\s+(?:Init Duration: [\d.]+ ms\s+)?Duration: (?P<duration>[\d.]+) ms"
)
# The emulator's own report of the init phase (starting the runtime, importing the handler).
# Its REPORT line's "Init Duration" stays near 0: it times only the emulator's side of init.
INIT_REPORT = re.compile(r"INIT REPORT\(durationMs: (?P<init>[\d.]+)\)")
# The invoke phase alone (the REPORT line's Duration here includes the init before it).
INVOKE_DONE = re.compile(r"INVOKE RTDONE\(status: \w+, .*duration: (?P<duration>[\d.]+)ms\)")


def load_template() -> dict[str, Any]:
    template, problems = decode(str(ROOT / "template.yaml"))
    assert not problems, problems
    assert isinstance(template, dict)
    return template


class _NoValue:
    """AWS::NoValue: the property is left out."""


NO_VALUE = _NoValue()


@dataclass(frozen=True)
class Stack:
    """template.yaml with parameter values, enough of CloudFormation to read the environment."""

    template: dict[str, Any]
    parameters: dict[str, str]
    name: str = "lunch-dev"
    region: str = "eu-central-1"

    def value(self, node: Any) -> Any:
        """`node` with Ref, Fn::Sub, Fn::If and the condition functions worked out."""
        if isinstance(node, list):
            return [v for v in map(self.value, node) if v is not NO_VALUE]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            (key, argument), *_ = node.items()
            if key == "Ref":
                return self._ref(argument)
            if key == "Fn::Sub":
                text, names = (argument, {}) if isinstance(argument, str) else argument
                values = {name: self.value(value) for name, value in names.items()}
                return re.sub(
                    r"\$\{([^}]+)\}",
                    lambda m: str(values[m[1]] if m[1] in values else self._ref(m[1])),
                    text,
                )
            if key == "Fn::If":
                name, then, otherwise = argument
                return self.value(then if self.condition(name) else otherwise)
        return {k: v for k, v in ((k, self.value(v)) for k, v in node.items()) if v is not NO_VALUE}

    def condition(self, name: str) -> bool:
        return self._test(self.template["Conditions"][name])

    def _test(self, node: dict[str, Any]) -> bool:
        (key, argument), *_ = node.items()
        match key:
            case "Fn::Equals":
                left, right = (self.value(a) for a in argument)
                return bool(left == right)
            case "Fn::And":
                return all(self._test(a) for a in argument)
            case "Fn::Or":
                return any(self._test(a) for a in argument)
            case "Fn::Not":
                return not self._test(argument[0])
            case "Condition":
                return self.condition(argument)
        raise AssertionError(f"unsupported condition {key}")

    def _ref(self, name: str) -> Any:
        pseudo = {
            "AWS::StackName": self.name,
            "AWS::Region": self.region,
            "AWS::Partition": "aws",
            "AWS::AccountId": "123456789012",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::NoValue": NO_VALUE,
        }
        if name in pseudo:
            return pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        if name.split(".")[0] in self.template["Resources"]:
            return {"Ref": name}  # a resource (or its attribute): kept as the reference it is
        declared = self.template["Parameters"][name]
        assert "Default" in declared, f"parameter {name} has no value and no default"
        return str(declared["Default"])

    def environment(self, function: str) -> dict[str, str]:
        """The function's environment variables: Globals merged with its own, as SAM does."""
        # A translated template has no Globals: SAM merged them into each function already.
        shared = self.template.get("Globals", {}).get("Function", {})
        shared = shared.get("Environment", {}).get("Variables", {})
        own = self.template["Resources"][function]["Properties"]["Environment"]["Variables"]
        resolved = self.value(shared | own)
        return {key: str(value) for key, value in resolved.items()}

    def handler(self, function: str) -> str:
        return str(self.template["Resources"][function]["Properties"]["Handler"])

    def timeout(self, function: str) -> int:
        properties = self.template["Resources"][function]["Properties"]
        return int(properties.get("Timeout", self.template["Globals"]["Function"]["Timeout"]))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Invocation:
    """One answer of the emulator: the function's result, or its error payload."""

    status: int
    payload: Any
    function_error: str | None


@dataclass
class Emulator:
    """`aws-lambda-rie` running one built function; `invoke` sends it events."""

    rie: Path
    artifact: Path
    layer: Path
    runtime: Path
    handler: str
    environment: dict[str, str]
    name: str
    timeout: int = 60
    lines: list[str] = field(default_factory=list)
    _process: subprocess.Popen[str] | None = None
    _port: int = 0

    def start(self) -> None:
        self._port = free_port()
        command = [
            str(self.rie),
            "--runtime-interface-emulator-address",
            f"127.0.0.1:{self._port}",
            "--runtime-api-address",
            f"127.0.0.1:{free_port()}",
            sys.executable,
            "-I",  # isolated: no PYTHON* variables, no user site
            "-S",  # no site-packages of the interpreter
            "-B",  # /var/task is read-only in Lambda: write no bytecode into the artifact
            str(BOOTSTRAP),
            self.handler,
        ]
        # Nothing from this process's environment but PATH: the function sees what Lambda sets
        # and what the template gives it.
        env = self.environment | {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "TZ": "UTC",
            "LAMBDA_TASK_ROOT": str(self.artifact),
            "LAMBDA_RUNTIME_DIR": str(self.runtime),
            "LAMBDA_OPT_DIR": str(self.layer),
            "AWS_LAMBDA_FUNCTION_NAME": self.name,
            "AWS_LAMBDA_FUNCTION_TIMEOUT": str(self.timeout),
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
            "_HANDLER": self.handler,
        }
        self._process = subprocess.Popen(
            command,
            cwd=self.artifact,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
        threading.Thread(target=self._collect, daemon=True).start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise AssertionError(f"the emulator exited: {self.log()}")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self._port)) == 0:
                    return
            time.sleep(0.05)
        raise AssertionError(f"the emulator did not listen in time: {self.log()}")

    def _collect(self) -> None:
        assert self._process is not None
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self.lines.append(line.rstrip("\n"))

    def invoke(self, event: Any) -> Invocation:
        """Invoke the function once with `event`, as Lambda's Invoke API would."""
        reports = self._reports()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self._port}/2015-03-31/functions/function/invocations",
            data=json.dumps(event).encode(),
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout + 30) as answer:
                body = answer.read()
                status = answer.status
                error = answer.headers.get("X-Amz-Function-Error")
        except urllib.error.HTTPError as failed:
            # The emulator answers 502 when the runtime died (an init error, a crash).
            raise AssertionError(f"{self.name}: HTTP {failed.code}\n{self.log()}") from None
        payload = json.loads(body) if body else None
        # The REPORT line comes just after the answer; wait for it so that figures are complete.
        deadline = time.monotonic() + 5
        while self._reports() == reports and time.monotonic() < deadline:
            time.sleep(0.02)
        if isinstance(payload, dict) and "errorType" in payload and error is None:
            error = "Unhandled"
        return Invocation(status, payload, error)

    def _reports(self) -> int:
        return sum(1 for line in list(self.lines) if REPORT.search(line))

    def init_durations_ms(self) -> list[float]:
        """The init phase of each cold start, from the emulator's INIT REPORT lines."""
        return [
            float(match["init"]) for line in list(self.lines) if (match := INIT_REPORT.search(line))
        ]

    def durations_ms(self) -> list[float]:
        """Duration of each invocation's invoke phase, in order."""
        lines = list(self.lines)
        return [float(match["duration"]) for line in lines if (match := INVOKE_DONE.search(line))]

    def log(self) -> str:
        return "\n".join(self.lines[-60:])

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
