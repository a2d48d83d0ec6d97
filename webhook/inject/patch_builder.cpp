#include "webhook/inject/patch_builder.h"

#include <algorithm>

#include "common/json_util.h"
#include "launchspec/launch_spec.h"

namespace jk::inject {
namespace {

using nlohmann::json;

// Adds items to the array at `path`: the first add creates the array when it is absent, later
// ones append ("/-"), so no operation ever replaces an existing array.
class ArrayAppender {
 public:
  ArrayAppender(const NamedList& array, std::string path)
      : exists_(array.exists), path_(std::move(path)) {}
  void add(PatchOps& ops, json item) {
    if (exists_) {
      ops.add(path_ + "/-", std::move(item));
    } else {
      ops.add(path_, json::array({std::move(item)}));
      exists_ = true;
    }
  }

 private:
  bool exists_;
  std::string path_;
};

// Sets one annotation: creates metadata.annotations when absent, adds or replaces the key.
void set_annotation(const Pod& pod, std::string_view key, const std::string& value,
                    PatchResult& out) {
  const std::string path = "/metadata/annotations/" + escape_token(key);
  if (!pod.annotations_object && !out.annotations_created) {
    out.ops.add("/metadata/annotations", {{key, value}});
    out.annotations_created = true;
  } else if (!pod.annotation(key)) {
    out.ops.add(path, value);
  } else {
    out.ops.replace(path, value);
  }
}

bool has_capability(const std::optional<std::vector<std::string>>& list, std::string_view cap) {
  if (!list) return false;
  return std::any_of(list->begin(), list->end(), [&](std::string_view s) {
    if (s.substr(0, 4) == "CAP_") s.remove_prefix(4);
    return s == cap || s == "ALL";
  });
}

class ContainerPatcher {
 public:
  ContainerPatcher(const ContainerForm& c, std::string base, const JailedContainer& jc,
                   const policy::ContainerGrant& grant, PatchResult& out)
      : c_(c), base_(std::move(base)), jc_(jc), grant_(grant), out_(out) {}

  void run() {
    capabilities();
    seccomp();
    mounts();
    env();
    command();
  }

 private:
  void change(const std::string& what) { out_.changes.push_back(jc_.name + ": " + what); }

  void capabilities() {
    const auto& wanted = grant_.add;
    if (wanted.empty()) return;
    std::vector<std::string> missing;
    for (const auto& cap : wanted) {
      if (!has_capability(c_.capabilities_add, cap)) missing.push_back(cap);
    }
    for (const auto& cap : missing) change("add capability " + cap);
    if (missing.empty()) return;
    const std::string sc_path = base_ + "/securityContext";
    if (!c_.security_context) {
      json v = {{"capabilities", {{"add", missing}}}};
      if (grant_.seccomp_unconfined) v["seccompProfile"] = {{"type", "Unconfined"}};
      seccomp_done_ = grant_.seccomp_unconfined;
      out_.ops.add(sc_path, std::move(v));
    } else if (!c_.capabilities) {
      out_.ops.add(sc_path + "/capabilities", {{"add", missing}});
    } else if (!c_.capabilities_add) {
      out_.ops.add(sc_path + "/capabilities/add", missing);
    } else {
      for (const auto& cap : missing) out_.ops.add(sc_path + "/capabilities/add/-", cap);
    }
  }

  void seccomp() {
    if (!grant_.seccomp_unconfined) return;
    if (seccomp_done_) {
      change("seccompProfile Unconfined");
      return;
    }
    if (c_.seccomp_unconfined) return;
    const json value = {{"type", "Unconfined"}};
    const std::string sc_path = base_ + "/securityContext";
    if (!c_.security_context) {
      out_.ops.add(sc_path, {{"seccompProfile", value}});
    } else if (!c_.seccomp_profile) {
      out_.ops.add(sc_path + "/seccompProfile", value);
    } else {
      out_.ops.replace(sc_path + "/seccompProfile",
                       value);  // Localhost/RuntimeDefault -> Unconfined
    }
    change("seccompProfile Unconfined");
  }

  void mounts() {
    const NamedList& mounts = c_.volume_mounts;
    ArrayAppender appender(mounts, base_ + "/volumeMounts");
    struct Mount {
      std::string_view volume;
      std::string_view dir;
      bool read_only;
    };
    for (const Mount m : {Mount{kBinVolume, kBinDir, true}, Mount{kSpecVolume, kSpecDir, true},
                          Mount{kRunVolume, launchspec::kRunDir, false}}) {
      if (mounts.has(m.volume)) continue;
      json mount = {{"name", m.volume}, {"mountPath", m.dir}};
      if (m.read_only) mount["readOnly"] = true;
      appender.add(out_.ops, std::move(mount));
      change("mount " + std::string(m.dir));
    }
  }

  void env() {
    if (c_.env.has(launchspec::kSpecEnv)) return;
    ArrayAppender(c_.env, base_ + "/env")
        .add(out_.ops, {{"name", launchspec::kSpecEnv}, {"value", launchspec::kSpecPath}});
    change("env " + std::string(launchspec::kSpecEnv));
  }

  void command() {
    const std::string launcher(launchspec::kLauncherPath);
    if (c_.command && c_.command_first == launcher) return;
    if (c_.command) {
      // Two inserts at the front keep the original command and args untouched.
      out_.ops.add(base_ + "/command/0", launcher);
      out_.ops.add(base_ + "/command/1", "--");
      change("command wrapped by jailkeeper-launch");
    } else if (jc_.entrypoint) {
      json wrapped = json::array({launcher, "--"});
      for (const auto& part : *jc_.entrypoint) wrapped.push_back(part);
      out_.ops.add(base_ + "/command", std::move(wrapped));
      change("command set from jailkeeper.io/entrypoint, wrapped by jailkeeper-launch");
    } else {
      out_.unwrapped.push_back(jc_.name);
      out_.warnings.push_back("jailkeeper: container " + jc_.name +
                              " has no command, so it runs unjailed; set jailkeeper.io/entrypoint");
    }
  }

  const ContainerForm& c_;
  std::string base_;
  const JailedContainer& jc_;
  const policy::ContainerGrant& grant_;
  PatchResult& out_;
  bool seccomp_done_ = false;
};

json init_container(const policy::LauncherOptions& launcher) {
  return {
      {"name", kInitContainer},
      {"image", launcher.image},
      {"imagePullPolicy", launcher.image_pull_policy},
      {"command", {"/jailkeeper-launch", "install", kBinDir}},
      {"volumeMounts", {{{"name", kBinVolume}, {"mountPath", kBinDir}}}},
      {"resources",
       {{"requests", {{"cpu", "10m"}, {"memory", "16Mi"}}}, {"limits", {{"memory", "64Mi"}}}}},
      {"securityContext",
       {{"allowPrivilegeEscalation", false},
        {"readOnlyRootFilesystem", true},
        {"runAsNonRoot", true},
        {"runAsUser", 65532},
        {"capabilities", {{"drop", {"ALL"}}}},
        {"seccompProfile", {{"type", "RuntimeDefault"}}}}},
  };
}

json spec_volume() {
  const std::string field = "metadata.annotations['" + std::string(kLaunchSpecAnnotation) + "']";
  return {{"name", kSpecVolume},
          {"downwardAPI",
           {{"items", {{{"path", "launch-spec"}, {"fieldRef", {{"fieldPath", field}}}}}}}}};
}

void pod_level(const Pod& pod, const PatchRequest& req, PatchResult& out) {
  if (!pod.init_containers.has(kInitContainer)) {
    ArrayAppender(pod.init_containers, "/spec/initContainers")
        .add(out.ops, init_container(*req.launcher));
    out.changes.push_back("pod: init container " + std::string(kInitContainer));
  }
  const NamedList& volumes = pod.volumes;
  ArrayAppender appender(volumes, "/spec/volumes");
  if (!volumes.has(kBinVolume)) {
    appender.add(out.ops, {{"name", kBinVolume}, {"emptyDir", {{"sizeLimit", "64Mi"}}}});
    out.changes.push_back("pod: volume " + std::string(kBinVolume));
  }
  if (!volumes.has(kSpecVolume)) {
    appender.add(out.ops, spec_volume());
    out.changes.push_back("pod: volume " + std::string(kSpecVolume));
  }
  if (!volumes.has(kRunVolume)) {
    // The launcher's per-run files (a few KiB of trust bundle), also under readOnlyRootFilesystem.
    appender.add(out.ops, {{"name", kRunVolume},
                           {"emptyDir", {{"medium", "Memory"}, {"sizeLimit", "16Mi"}}}});
    out.changes.push_back("pod: volume " + std::string(kRunVolume));
  }
  const auto current = pod.annotation(kLaunchSpecAnnotation);
  if (!current || *current != req.launch_spec_json) {
    set_annotation(pod, kLaunchSpecAnnotation, req.launch_spec_json, out);
    out.changes.push_back("pod: annotation " + std::string(kLaunchSpecAnnotation));
  }
}

}  // namespace

PatchResult build_patch(const Pod& pod, const PatchRequest& req) {
  PatchResult out;
  const std::vector<ContainerForm>& containers = *pod.containers;
  const policy::ContainerGrant none;
  for (std::size_t i = 0; i < req.containers.size(); ++i) {
    const JailedContainer& jc = req.containers[i];
    const std::string base = "/spec/containers/" + std::to_string(jc.index);
    const policy::ContainerGrant& grant = i < req.grants.size() ? req.grants[i] : none;
    ContainerPatcher(containers[jc.index], base, jc, grant, out).run();
  }
  pod_level(pod, req, out);
  return out;
}

void add_status(const Pod& pod, nlohmann::ordered_json status, PatchResult& result) {
  const auto current = pod.annotation(kStatusAnnotation);
  if (result.ops.empty() && current) return;  // nothing changes: keep the record
  // Keep the changes earlier passes recorded (reinvocation), then this pass's.
  std::vector<std::string> changes;
  if (current) {
    const json old = json::parse(*current, nullptr, false);
    const json& old_changes = json_at(old, "changes");
    if (old_changes.is_array()) {
      for (const auto& c : old_changes) {
        if (c.is_string()) changes.push_back(c.get<std::string>());
      }
    }
  }
  for (const auto& c : result.changes) {
    if (std::find(changes.begin(), changes.end(), c) == changes.end()) changes.push_back(c);
  }
  status["changes"] = changes;
  set_annotation(pod, kStatusAnnotation, status.dump(), result);
}

}  // namespace jk::inject
