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
  handshakeTimeout: 5s                # durations: 250ms, 5s, 2m, 1h
  readTimeout: 10s
  writeTimeout: 10s
  idleTimeout: 90s
  shutdownGrace: 15s
  certReloadInterval: 1s
  maxConnections: 2048
  workerThreads: 0                    # 0: one per core

# Bottlerocket's grant: seccomp-unconfined (option A) or sys-admin (option B). A shorthand for
# profiles.bottlerocket; set one or the other.
# bottlerocketGrant: seccomp-unconfined

# What a jailed container gets, per predicted node OS. A profile given here replaces the
# default as a whole. Capabilities are Kubernetes names (no CAP_ prefix).
profiles:
  amazonLinux: {jail: nsjail, capabilities: [NET_ADMIN]}
  bottlerocket: {jail: nsjail, capabilities: [NET_ADMIN], seccompUnconfined: true}
  bottlerocketNoUserNamespace: {jail: nsjail, userNamespace: false, capabilities: [NET_ADMIN, SYS_ADMIN]}
  fargate: {jail: landjail, fallback: [seccompjail], capabilities: []}
  other: {jail: nsjail, capabilities: [NET_ADMIN]}
  unknown: {jail: nsjail, capabilities: [NET_ADMIN], seccompUnconfined: true}

# Node pools by label; `os` makes a static entry for pools that may have zero nodes.
pools: []
#  - name: secure-bottlerocket
#    selector: {karpenter.sh/nodepool: secure}
#    os: bottlerocket
#    userNamespaces: false

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

skipNamespaces: [kube-system]         # never patched (besides the webhook's own namespace)
)yaml";

}  // namespace

std::string_view default_config_yaml() { return kDefaultConfig; }

}  // namespace jk::config
