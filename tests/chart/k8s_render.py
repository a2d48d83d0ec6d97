"""Renders the chart and the kustomize base into Kubernetes objects (python3 stdlib only).

Real Helm and kubectl do the work: YAML is converted to JSON by
`kubectl label --local -o json` (offline, no cluster), removing a label no object carries.
"""
import json
import os
import shutil
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CHART = os.path.join(ROOT, "charts", "jailkeeper")
BASE = os.path.join(ROOT, "deploy", "base")
VALUES = os.path.join(ROOT, "tests", "chart", "values")
RELEASE = "jailkeeper"
NAMESPACE = "jailkeeper"
NO_SUCH_LABEL = "jailkeeper.io/no-such-label-"
HOOK_ANNOTATION = "helm.sh/hook"
HELM_ONLY_LABELS = ("helm.sh/chart", "app.kubernetes.io/managed-by")


def find_tool(name):
    """The tool from env (HELM/KUBECTL), else tools/NAME; None when absent."""
    path = os.environ.get(name.upper()) or os.path.join(ROOT, "tools", name)
    if os.path.isfile(path) and os.access(path, os.X_OK):
        return path
    return shutil.which(path) if os.sep not in path else None


def run(argv, stdin=None):
    """Runs argv offline; returns CompletedProcess (text)."""
    env = dict(os.environ, KUBECONFIG=os.devnull, HELM_CACHE_HOME="/tmp/jk-helm-cache",
               HELM_CONFIG_HOME="/tmp/jk-helm-config", HELM_DATA_HOME="/tmp/jk-helm-data")
    return subprocess.run(argv, input=stdin, capture_output=True, text=True, env=env,
                          timeout=120, check=False)


def helm_template(helm, value_files=(), sets=(), release=RELEASE, namespace=NAMESPACE):
    argv = [helm, "template", release, CHART, "--namespace", namespace]
    for f in value_files:
        argv += ["--values", f]
    for s in sets:
        argv += ["--set", s]
    return run(argv)


def decode_stream(text):
    """Objects from concatenated JSON documents."""
    decoder, pos, objects = json.JSONDecoder(), 0, []
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return objects
        obj, pos = decoder.raw_decode(text, pos)
        objects.append(obj)


def yaml_to_objects(kubectl, yaml_text):
    """Every object of a multi-document YAML stream, as dicts."""
    proc = run([kubectl, "label", "--local", "-f", "-", "-o", "json", NO_SUCH_LABEL],
               stdin=yaml_text)
    if proc.returncode != 0:
        raise RuntimeError("kubectl could not read the YAML: " + proc.stderr)
    return decode_stream(proc.stdout)


def object_to_yaml(kubectl, obj):
    proc = run([kubectl, "label", "--local", "-f", "-", "-o", "yaml", NO_SUCH_LABEL],
               stdin=json.dumps(obj))
    if proc.returncode != 0:
        raise RuntimeError("kubectl could not write YAML: " + proc.stderr)
    return proc.stdout


def hook_of(obj):
    return obj.get("metadata", {}).get("annotations", {}).get(HOOK_ANNOTATION, "")


def plain_manifests(chart_objects):
    """The chart's default render as plain manifests for `kubectl apply -k`.

    Without Helm there is no pre/post ordering and no uninstall hook: keep the post-install
    certificate Job (it creates the Secret the Deployment waits for, then patches caBundle),
    keep the hook Jobs' RBAC as ordinary objects, drop the pre-install Job and everything
    used only by the pre-delete hook; drop Helm's hook annotations and Helm-only labels.
    """
    result = []
    for obj in chart_objects:
        hooks = [h for h in hook_of(obj).split(",") if h]
        if hooks and not any(h.startswith("post-") for h in hooks):
            continue
        meta = obj["metadata"]
        annotations = {k: v for k, v in meta.get("annotations", {}).items()
                       if not k.startswith("helm.sh/")}
        if annotations:
            meta["annotations"] = annotations
        else:
            meta.pop("annotations", None)
        labels = {k: v for k, v in meta.get("labels", {}).items() if k not in HELM_ONLY_LABELS}
        meta["labels"] = labels
        result.append(obj)
    return result


def key_of(obj):
    return (obj["kind"], obj["metadata"].get("namespace", ""), obj["metadata"]["name"])
