#include "webhook/config/config.h"

namespace jk::config {

namespace {

// Must stay equal in effect to the default-constructed Config (a test checks it).
constexpr std::string_view kDefaultConfig =
    R"yaml(# jailkeeper-webhook configuration (the built-in defaults). Every key is optional.
logLevel: info                        # debug | info | warn | error

server:
  listen: 0.0.0.0:8443                # admission HTTPS
  metricsListen: 0.0.0.0:9090         # Prometheus /metrics
  tlsCert: ""                         # PEM files, reloaded when they change
  tlsKey: ""
  clientCa: ""                        # empty: no client-certificate verification
  maxBodyBytes: 8388608               # largest AdmissionReview accepted
  maxHeaderBytes: 16384
  maxRequestMemoryBytes: 100663296    # bodies in flight + their decoding, all connections
  handshakeTimeout: 5s                # durations: 250ms, 5s, 2m, 1h
  readTimeout: 10s
  writeTimeout: 10s
  idleTimeout: 90s
  lingerTimeout: 2s                   # after closing, input is read and dropped this long
  shutdownDelay: 5s                   # SIGTERM: keep serving (Connection: close, /readyz 503)
  shutdownGrace: 15s                  # SIGTERM: everything done within this
  certReloadInterval: 1s
  maxConnections: 2048                # webhook listener; idle ones are reclaimed at the limit
  maxMetricsConnections: 64           # metrics listener, a budget of its own
  workerThreads: 0                    # 0: one per core

# Bottlerocket's runtimeDefaultGrant: seccomp-unconfined (option A) or sys-admin (option B). A
# shorthand for profiles.bottlerocket.runtimeDefaultGrant; set one or the other.
# bottlerocketGrant: seccomp-unconfined

# What the webhook may grant on each kind of node, and what it knows of those nodes. The grant
# itself is computed per pod from its securityContext: the smallest that starts the jail
# (docs/DECISIONS.md). Keys given override that profile's defaults.
#   jail, fallback        jails in order of preference: a later one is chosen when the pod's
#                         shape, Pod Security or the kernel rules out the earlier ones
#   userNamespace         nsjail may use a user namespace where the node has them
#   runtimeDefaultGrant   when RuntimeDefault seccomp blocks the jail: seccomp-unconfined, or
#                         capability (SYS_ADMIN for nsjail, SYS_PTRACE for seccompjail)
#   seccompDefault        the nodes' kubelet applies RuntimeDefault to pods without a profile
#   capabilitiesAllowed   false where the platform rejects added capabilities (Fargate)
#   capabilities          added on top of the computed grant (Kubernetes names, no CAP_)
#   seccompUnconfined     always run jailed containers Unconfined
profiles:
  amazonLinux: {jail: nsjail, fallback: [landjail, seccompjail], runtimeDefaultGrant: capability}
  bottlerocket: {jail: nsjail, fallback: [landjail, seccompjail], runtimeDefaultGrant: seccomp-unconfined, seccompDefault: true}
  bottlerocketNoUserNamespace: {jail: nsjail, userNamespace: false, fallback: [landjail, seccompjail], runtimeDefaultGrant: seccomp-unconfined, seccompDefault: true}
  fargate: {jail: landjail, fallback: [seccompjail], runtimeDefaultGrant: seccomp-unconfined, capabilitiesAllowed: false}
  other: {jail: nsjail, fallback: [landjail, seccompjail], runtimeDefaultGrant: capability}
  unknown: {jail: nsjail, fallback: [landjail, seccompjail], runtimeDefaultGrant: seccomp-unconfined, seccompDefault: true}

# Node pools by label; `os` makes a static entry for pools that may have zero nodes.
pools: []
#  - name: secure-bottlerocket
#    selector: {karpenter.sh/nodepool: secure}
#    os: bottlerocket
#    userNamespaces: false
#    seccompDefault: true             # this pool's kubelet seccompDefault (unset: the OS profile's)

strategies:
  mixed: union                        # candidates of several OSes: union | deny
  unknown: profile                    # no node known: profile | deny
  fargateOldKernel: warn              # Fargate kernel below 6.7 (no Landlock ABI 4): warn | deny
  podSecurity: deny                   # patch would break Pod Security baseline/restricted: deny | warn
                                      # (namespace label pod-security.kubernetes.io/enforce; warn/audit
                                      # labels only warn; *-version labels are ignored)

# Named allowlists (boundary rule syntax); pods pick one with jailkeeper.io/policy.
policies:
  default:
    allow: []                         # empty: deny every request

launcher:
  image: ghcr.io/jailkeeper/jailkeeper:0.1.0
  imagePullPolicy: IfNotPresent       # Always | IfNotPresent | Never
  proxyPort: 0                        # 0: the launcher's default for the jail
  architectures: [amd64, arm64]       # what the image provides; pods that may land on nodes of
                                      # another kubernetes.io/arch get a warning

skipNamespaces: [kube-system]         # never patched (besides the webhook's own namespace)
)yaml";

}  // namespace

std::string_view default_config_yaml() { return kDefaultConfig; }

}  // namespace jk::config
