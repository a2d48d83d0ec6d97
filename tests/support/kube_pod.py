"""What the API server and kubelet add to a pod before its containers run, for the real-runtime
tests, and a client that calls a pod's HTTPS port the way the API server calls a Service."""
import http.client
import socket

SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"


def add_service_account_volume(pod, name="kube-api-access-test"):
    """The ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount) for
    automountServiceAccountToken: the kube-api-access projected volume (token, the cluster CA
    from the kube-root-ca.crt ConfigMap, the namespace), mounted read-only at SA_DIR in every
    container. pod_runner.Pod fills it from the objects the test gives it."""
    pod["spec"].setdefault("volumes", []).append({"name": name, "projected": {
        "defaultMode": 0o644, "sources": [
            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
            {"configMap": {"name": "kube-root-ca.crt",
                           "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
            {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {
                "apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}}]}})
    for container in pod["spec"].get("initContainers", []) + pod["spec"]["containers"]:
        container.setdefault("volumeMounts", []).append(
            {"name": name, "mountPath": SA_DIR, "readOnly": True})


class HttpsTo(http.client.HTTPSConnection):
    """HTTPS to `address`:`port` whose certificate is checked for `server_name` (SNI too), as
    the API server calls a webhook through its Service's DNS name."""

    def __init__(self, address, port, server_name, context, timeout=10):
        super().__init__(server_name, port, context=context, timeout=timeout)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
