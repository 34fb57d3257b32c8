"""Every Kubernetes overlay renders (Kustomize, offline) into resources the Kubernetes and
CloudNativePG schemas accept, and keeps the rules deploy/ promises: probes, requests and limits,
non-root, migrations before the roll, one nightly, services reachable only from the gateway,
only Tapline's database users reaching the database."""

from __future__ import annotations

import subprocess
from typing import Any

import kubernetes_validate
import pytest

from kernel.migrate import COMPONENT_DIRS
from kernel.settings import SERVICES, get_settings
from tapline.run import process_table
from tests.deploy.tools import DEPLOY, KUBERNETES_VERSION, OVERLAYS, crd_validator, kubectl, render

CNPG = "postgresql.cnpg.io/v1"


@pytest.fixture(scope="module", params=OVERLAYS)
def overlay(request: pytest.FixtureRequest) -> tuple[str, list[dict[str, Any]]]:
    return request.param, render(request.param)


def _of(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def _containers(pod: dict[str, Any]) -> list[dict[str, Any]]:
    return [*pod["spec"].get("initContainers", []), *pod["spec"]["containers"]]


def test_every_resource_of_every_overlay_is_valid_against_its_schema(overlay):
    name, docs = overlay
    errors = []
    for d in docs:
        where = f"{name}: {d['kind']}/{d['metadata']['name']}"
        if d["apiVersion"] == CNPG:
            errors += [f"{where}: {'.'.join(map(str, e.path))}: {e.message}"
                       for e in crd_validator(d["kind"]).iter_errors(d)]
            continue
        try:
            kubernetes_validate.validate(d, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as e:
            errors.append(f"{where}: {'.'.join(map(str, e.path))}: {e.message}")
    assert not errors, "\n".join(errors)


def test_the_validation_refuses_a_misspelt_field_and_an_unknown_database_setting():
    """The checks above can fail: a typo in a Deployment and in the Cluster is caught."""
    docs = render("production")
    gw = _of(docs, "Deployment")["tapline-gateway"]
    gw["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["periodSecond"] = 10
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(gw, KUBERNETES_VERSION, strict=True)
    db = _of(docs, "Cluster")["tapline-db"]
    db["spec"]["instance"] = 3
    assert list(crd_validator("Cluster").iter_errors(db))


def test_each_process_of_make_run_is_a_deployment_with_probes_limits_and_no_root(overlay):
    name, docs = overlay
    deployments = _of(docs, "Deployment")
    for proc, cmd in process_table(get_settings()).items():
        app = next(a for a in cmd if a.endswith(":create_app"))
        dep = deployments[f"tapline-{proc}"]
        main = dep["spec"]["template"]["spec"]["containers"][0]
        assert app in main["command"], (proc, main["command"])
    for dname, dep in deployments.items():
        pod = dep["spec"]["template"]
        assert pod["spec"]["securityContext"]["runAsNonRoot"] is True, dname
        for c in _containers(pod):
            assert c["securityContext"]["readOnlyRootFilesystem"] is True, (dname, c["name"])
            assert c["securityContext"]["allowPrivilegeEscalation"] is False, (dname, c["name"])
            res = c["resources"]
            assert {"cpu", "memory"} <= set(res["requests"]), (dname, c["name"])
            assert "memory" in res["limits"], (dname, c["name"])
        main = pod["spec"]["containers"][0]
        assert main.get("readinessProbe") and main.get("livenessProbe"), dname
        if name == "production":
            assert not main["image"].endswith(":latest"), dname


def test_pods_of_a_release_wait_for_its_migrations_which_one_job_runs(overlay):
    _, docs = overlay
    job = _of(docs, "Job")["tapline-migrate"]
    jc = job["spec"]["template"]["spec"]["containers"][0]
    assert jc["command"][0] == "tapline" and jc["command"][1] in ("migrate", "setup")
    passwords = {e["name"] for e in jc["env"]}
    for component in COMPONENT_DIRS:
        assert f"TAPLINE_DB_PASSWORD_TAPLINE_{component.upper()}" in passwords, component
    for dname, dep in _of(docs, "Deployment").items():
        component = dname.removeprefix("tapline-")
        (init,) = dep["spec"]["template"]["spec"]["initContainers"]
        assert init["command"][:4] == ["python", "-m", "tapline.migrations_ready", component]
        assert init["image"] == dep["spec"]["template"]["spec"]["containers"][0]["image"]
        assert init["image"] == jc["image"]
        strategy = dep["spec"]["strategy"]
        assert strategy["type"] == "Recreate" or strategy["rollingUpdate"]["maxUnavailable"] == 0


def test_one_nightly_the_gateway_and_services_autoscale_and_keep_a_pod_through_drains(overlay):
    name, docs = overlay
    deployments = _of(docs, "Deployment")
    assert deployments["tapline-nightly"]["spec"]["replicas"] == 1
    assert deployments["tapline-nightly"]["spec"]["strategy"]["type"] == "Recreate"
    scaled = {h["spec"]["scaleTargetRef"]["name"] for h in _of(docs, "HorizontalPodAutoscaler")
              .values()}
    assert scaled == {"tapline-gateway", *(f"tapline-{s}" for s in SERVICES)}
    assert scaled <= set(deployments)
    budgets = _of(docs, "PodDisruptionBudget")
    if name == "production":
        for target in scaled:
            labels = deployments[target]["spec"]["template"]["metadata"]["labels"]
            assert any(b["spec"]["selector"]["matchLabels"].items() <= labels.items()
                       for b in budgets.values()), target
    else:
        assert not budgets  # one replica each: a budget would block every drain


# ---- network policies: evaluated, not just read ----------------------------------------------

def _selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    if not all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items()):
        return False
    for e in selector.get("matchExpressions", []):
        has, value = e["key"] in labels, labels.get(e["key"])
        ok = {"In": has and value in e.get("values", []),
              "NotIn": not has or value not in e.get("values", []),
              "Exists": has, "DoesNotExist": not has}[e["operator"]]
        if not ok:
            return False
    return True


def _allowed(policies: list[dict[str, Any]], src: dict[str, str], dst: dict[str, str],
             port: int) -> bool:
    """Ingress to `dst` on `port` from a pod of the same namespace labelled `src`."""
    applying = [p for p in policies if _selects(p["spec"]["podSelector"], dst)
                and "Ingress" in p["spec"].get("policyTypes", ["Ingress"])]
    if not applying:
        return True
    for p in applying:
        for rule in p["spec"].get("ingress", []):
            ports = rule.get("ports")
            if ports and not any(pp.get("port") == port for pp in ports):
                continue
            peers = rule.get("from")
            if peers is None or any("podSelector" in peer and "namespaceSelector" not in peer
                                    and _selects(peer["podSelector"], src) for peer in peers):
                return True
    return False


def test_services_answer_only_the_gateway_and_only_tapline_s_processes_reach_the_database(
        overlay):
    _, docs = overlay
    policies = list(_of(docs, "NetworkPolicy").values())
    pods = {n.removeprefix("tapline-"): d["spec"]["template"]["metadata"]["labels"]
            for n, d in _of(docs, "Deployment").items()}
    pods["migrate"] = _of(docs, "Job")["tapline-migrate"]["spec"]["template"]["metadata"][
        "labels"]
    pods["stranger"] = {"app": "something-else"}
    db = {"cnpg.io/cluster": "tapline-db", "cnpg.io/instanceRole": "primary"}
    for target in (*SERVICES, "relay", "nightly"):
        callers = {p for p, labels in pods.items()
                   if p != target and _allowed(policies, labels, pods[target], 8000)}
        assert callers == {"gateway"}, (target, callers)
    assert _allowed(policies, pods["stranger"], pods["gateway"], 8000)
    reach_db = {p for p, labels in pods.items() if _allowed(policies, labels, db, 5432)}
    assert reach_db == {*SERVICES, "relay", "nightly", "gateway", "migrate"}
    assert _allowed(policies, db, db, 5432)  # replication between the instances


def test_production_database_is_three_instances_with_a_synchronous_replica_and_backups():
    docs = render("production")
    cluster = _of(docs, "Cluster")["tapline-db"]["spec"]
    assert cluster["instances"] == 3
    assert cluster["postgresql"]["synchronous"]["number"] >= 1
    assert cluster["backup"]["barmanObjectStore"]["destinationPath"].startswith("s3://")
    assert cluster["backup"]["retentionPolicy"]
    (scheduled,) = _of(docs, "ScheduledBackup").values()
    assert scheduled["spec"]["cluster"]["name"] == "tapline-db"
    roles = {r["name"]: r for r in cluster["managed"]["roles"]}
    for dep in _of(docs, "Deployment").values():
        for c in _containers(dep["spec"]["template"]):
            for e in c.get("env", []):
                ref = e.get("valueFrom", {}).get("secretKeyRef")
                if ref and ref["name"].startswith("tapline-db-"):
                    role = "tapline_" + ref["name"].removeprefix("tapline-db-")
                    assert roles[role]["passwordSecret"]["name"] == ref["name"]


def test_make_secrets_makes_every_secret_the_overlays_reference(tmp_path):
    out = subprocess.run([str(DEPLOY / "k8s" / "make-secrets.sh"), "tapline"],
                         env={"KUBECTL": kubectl(), "PATH": "/usr/bin:/bin"},
                         capture_output=True, text=True, check=True, timeout=120).stdout
    import yaml

    made = {d["metadata"]["name"]: d for d in yaml.safe_load_all(out) if d}
    for d in made.values():
        kubernetes_validate.validate(d, KUBERNETES_VERSION, strict=True)
    wanted = set()
    for overlay in OVERLAYS:
        for d in render(overlay):
            if d["kind"] in ("Deployment", "Job"):
                pod = d["spec"]["template"]["spec"]
                for c in _containers({"spec": pod}):
                    wanted |= {e["valueFrom"]["secretKeyRef"]["name"] for e in c.get("env", [])
                               if "secretKeyRef" in e.get("valueFrom", {})}
                    wanted |= {s["secretRef"]["name"] for s in c.get("envFrom", [])
                               if "secretRef" in s and not s["secretRef"].get("optional")}
                wanted |= {v["secret"]["secretName"] for v in pod.get("volumes", [])
                           if "secret" in v}
    assert wanted <= set(made), wanted - set(made)
    assert made["tapline-app"]["data"]["TAPLINE_JWT_PRIVATE_KEY"]


def test_production_keeps_documents_in_object_storage_not_on_a_pod_s_scratch_disk():
    config = _of(render("production"), "ConfigMap")["tapline-config"]["data"]
    assert config["TAPLINE_DOCUMENT_STORE"] == "s3" and config["TAPLINE_S3_BUCKET"]
