#include "webhook/inject/patch_builder.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/json_util.h"
#include "launchspec/launch_spec.h"

namespace jk::inject {
namespace {

// Adds items to the array at `path`: the first add creates the array when it is absent, later
// ones append ("/-"), so no operation ever replaces an existing array.
class ArrayAppender {
 public:
  // The array's path in two pieces: a container's base path and the member.
  ArrayAppender(const NamedList& array, std::string_view base, std::string_view member = {})
      : exists_(array.exists), base_(base), member_(member) {}
  template <class WriteItem>
  void add(PatchOps& ops, const WriteItem& item) {
    if (exists_) {
      ops.add({base_, member_, "/-"}, item);
    } else {
      ops.add({base_, member_}, [&](JsonWriter& w) {
        w.begin_array();
        item(w);
        w.end_array();
      });
      exists_ = true;
    }
  }

 private:
  bool exists_;
  std::string_view base_;
  std::string_view member_;
};

// Sets one annotation: creates metadata.annotations when absent, adds or replaces the key.
void set_annotation(const Pod& pod, std::string_view key, std::string_view value,
                    PatchResult& out) {
  const std::string token = escape_token(key);
  const Pointer path("/metadata/annotations/", token);
  if (!pod.annotations_object && !out.annotations_created) {
    out.ops.add("/metadata/annotations",
                [&](JsonWriter& w) { w.begin_object().key(key).string(value).end_object(); });
    out.annotations_created = true;
  } else if (!pod.annotation(key)) {
    out.ops.add(path, value);
  } else {
    out.ops.replace(path, value);
  }
}

constexpr std::int64_t kLauncherUid = 65532;  // the init container's user ("nonroot")

void write_unconfined(JsonWriter& w) {
  w.begin_object().key("type").string("Unconfined").end_object();
}

bool has_capability(const std::optional<std::vector<std::string_view>>& list,
                    std::string_view cap) {
  if (!list) return false;
  return std::any_of(list->begin(), list->end(), [&](std::string_view s) {
    if (s.substr(0, 4) == "CAP_") s.remove_prefix(4);
    return s == cap || s == "ALL";
  });
}

class ContainerPatcher {
 public:
  ContainerPatcher(const ContainerForm& c, std::string_view base, const JailedContainer& jc,
                   const policy::ContainerGrant& grant, PatchResult& out)
      : c_(c), base_(base), jc_(jc), grant_(grant), out_(out) {}

  void run() {
    capabilities();
    seccomp();
    mounts();
    env();
    command();
  }

 private:
  // One line of `changes`: "<container>: <what><detail>".
  void change(std::string_view what, std::string_view detail = {}) {
    std::string line;
    line.reserve(jc_.name.size() + 2 + what.size() + detail.size());
    line.append(jc_.name).append(": ").append(what).append(detail);
    out_.changes.push_back(std::move(line));
  }

  void capabilities() {
    const auto& wanted = grant_.add;
    if (wanted.empty()) return;
    std::vector<std::string_view> missing;
    for (const auto& cap : wanted) {
      if (!has_capability(c_.capabilities_add, cap)) missing.push_back(cap);
    }
    for (const auto cap : missing) change("add capability ", cap);
    if (missing.empty()) return;
    const auto add = [&](JsonWriter& w) {
      w.begin_object().key("add").strings(missing).end_object();
    };
    if (!c_.security_context) {
      // {"capabilities":{"add":[...]}[,"seccompProfile":{"type":"Unconfined"}]}
      out_.ops.add({base_, "/securityContext"}, [&](JsonWriter& w) {
        add(w.begin_object().key("capabilities"));
        if (grant_.seccomp_unconfined) write_unconfined(w.key("seccompProfile"));
        w.end_object();
      });
      seccomp_done_ = grant_.seccomp_unconfined;
    } else if (!c_.capabilities) {
      out_.ops.add({base_, "/securityContext/capabilities"}, add);
    } else if (!c_.capabilities_add) {
      out_.ops.add({base_, "/securityContext/capabilities/add"},
                   [&](JsonWriter& w) { w.strings(missing); });
    } else {
      for (const auto cap : missing) {
        out_.ops.add({base_, "/securityContext/capabilities/add/-"}, cap);
      }
    }
  }

  void seccomp() {
    if (!grant_.seccomp_unconfined) return;
    if (seccomp_done_) {
      change("seccompProfile Unconfined");
      return;
    }
    if (c_.seccomp_unconfined) return;
    if (!c_.security_context) {
      out_.ops.add({base_, "/securityContext"}, [](JsonWriter& w) {
        write_unconfined(w.begin_object().key("seccompProfile"));
        w.end_object();
      });
    } else if (!c_.seccomp_profile) {
      out_.ops.add({base_, "/securityContext/seccompProfile"}, write_unconfined);
    } else {  // Localhost/RuntimeDefault -> Unconfined
      out_.ops.replace({base_, "/securityContext/seccompProfile"}, write_unconfined);
    }
    change("seccompProfile Unconfined");
  }

  void mounts() {
    const NamedList& mounts = c_.volume_mounts;
    ArrayAppender appender(mounts, base_, "/volumeMounts");
    struct Mount {
      std::string_view volume;
      std::string_view dir;
      bool read_only;
    };
    for (const Mount m : {Mount{kBinVolume, kBinDir, true}, Mount{kSpecVolume, kSpecDir, true},
                          Mount{kRunVolume, launchspec::kRunDir, false}}) {
      if (mounts.has(m.volume)) continue;
      appender.add(out_.ops, [&](JsonWriter& w) {
        w.begin_object().key("mountPath").string(m.dir).key("name").string(m.volume);
        if (m.read_only) w.key("readOnly").boolean(true);
        w.end_object();
      });
      change("mount ", m.dir);
    }
  }

  void env() {
    if (c_.env.has(launchspec::kSpecEnv)) return;
    ArrayAppender(c_.env, base_, "/env").add(out_.ops, [](JsonWriter& w) {
      w.begin_object().key("name").string(launchspec::kSpecEnv);
      w.key("value").string(launchspec::kSpecPath).end_object();
    });
    change("env ", launchspec::kSpecEnv);
  }

  void command() {
    const std::string_view launcher = launchspec::kLauncherPath;
    if (c_.command && c_.command_first == launcher) return;
    if (c_.command) {
      // Two inserts at the front keep the original command and args untouched.
      out_.ops.add({base_, "/command/0"}, launcher);
      out_.ops.add({base_, "/command/1"}, "--");
      change("command wrapped by jailkeeper-launch");
    } else if (jc_.entrypoint) {
      out_.ops.add({base_, "/command"}, [&](JsonWriter& w) {
        w.begin_array().string(launcher).string("--");
        for (const auto& part : *jc_.entrypoint) w.string(part);
        w.end_array();
      });
      change("command set from jailkeeper.io/entrypoint, wrapped by jailkeeper-launch");
    } else {
      out_.unwrapped.push_back(jc_.name);
      out_.warnings.push_back("jailkeeper: container " + jc_.name +
                              " has no command, so it runs unjailed; set jailkeeper.io/entrypoint");
    }
  }

  const ContainerForm& c_;
  std::string_view base_;
  const JailedContainer& jc_;
  const policy::ContainerGrant& grant_;
  PatchResult& out_;
  bool seccomp_done_ = false;
};

// The members of each object in key order, as the nlohmann document this replaced dumped them
// (its objects sorted their keys): the patch text stays byte-identical.
void write_init_container(JsonWriter& w, const policy::LauncherOptions& launcher) {
  w.begin_object();
  w.key("command").begin_array().string("/jailkeeper-launch").string("install").string(kBinDir);
  w.end_array();
  w.key("image").string(launcher.image);
  w.key("imagePullPolicy").string(launcher.image_pull_policy);
  w.key("name").string(kInitContainer);
  w.key("resources").begin_object();
  w.key("limits").begin_object().key("memory").string("64Mi").end_object();
  w.key("requests").begin_object().key("cpu").string("10m").key("memory").string("16Mi");
  w.end_object().end_object();
  w.key("securityContext").begin_object();
  w.key("allowPrivilegeEscalation").boolean(false);
  w.key("capabilities").begin_object().key("drop").begin_array().string("ALL").end_array();
  w.end_object();
  w.key("readOnlyRootFilesystem").boolean(true);
  w.key("runAsNonRoot").boolean(true);
  w.key("runAsUser").number(kLauncherUid);
  w.key("seccompProfile").begin_object().key("type").string("RuntimeDefault").end_object();
  w.end_object();
  w.key("volumeMounts").begin_array().begin_object();
  w.key("mountPath").string(kBinDir).key("name").string(kBinVolume);
  w.end_object().end_array();
  w.end_object();
}

void write_spec_volume(JsonWriter& w) {
  static const std::string field =
      "metadata.annotations['" + std::string(kLaunchSpecAnnotation) + "']";
  w.begin_object().key("downwardAPI").begin_object().key("items").begin_array().begin_object();
  w.key("fieldRef").begin_object().key("fieldPath").string(field).end_object();
  w.key("path").string("launch-spec");
  w.end_object().end_array().end_object();
  w.key("name").string(kSpecVolume).end_object();
}

// {"emptyDir":{["medium":medium,]"sizeLimit":size},"name":name}
void write_empty_dir(JsonWriter& w, std::string_view name, std::string_view medium,
                     std::string_view size) {
  w.begin_object().key("emptyDir").begin_object();
  if (!medium.empty()) w.key("medium").string(medium);
  w.key("sizeLimit").string(size).end_object();
  w.key("name").string(name).end_object();
}

void pod_level(const Pod& pod, const PatchRequest& req, PatchResult& out) {
  if (!pod.init_containers.has(kInitContainer)) {
    ArrayAppender(pod.init_containers, "/spec/initContainers").add(out.ops, [&](JsonWriter& w) {
      write_init_container(w, *req.launcher);
    });
    out.changes.push_back("pod: init container " + std::string(kInitContainer));
  }
  const NamedList& volumes = pod.volumes;
  ArrayAppender appender(volumes, "/spec/volumes");
  if (!volumes.has(kBinVolume)) {
    appender.add(out.ops, [](JsonWriter& w) { write_empty_dir(w, kBinVolume, "", "64Mi"); });
    out.changes.push_back("pod: volume " + std::string(kBinVolume));
  }
  if (!volumes.has(kSpecVolume)) {
    appender.add(out.ops, write_spec_volume);
    out.changes.push_back("pod: volume " + std::string(kSpecVolume));
  }
  if (!volumes.has(kRunVolume)) {
    // The launcher's per-run files (a few KiB of trust bundle), also under readOnlyRootFilesystem.
    appender.add(out.ops, [](JsonWriter& w) { write_empty_dir(w, kRunVolume, "Memory", "16Mi"); });
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

std::optional<std::vector<std::string>> earlier_changes(const Pod& pod, const PatchResult& result) {
  const auto current = pod.annotation(kStatusAnnotation);
  if (result.ops.empty() && current) return std::nullopt;  // nothing changes: keep the record
  std::vector<std::string> changes;
  if (current) {
    const nlohmann::json old = nlohmann::json::parse(*current, nullptr, false);
    const nlohmann::json& old_changes = json_at(old, "changes");
    if (old_changes.is_array()) {
      for (const auto& c : old_changes) {
        if (c.is_string()) changes.push_back(c.get<std::string>());
      }
    }
  }
  return changes;
}

void set_status(const Pod& pod, std::string_view record, PatchResult& result) {
  set_annotation(pod, kStatusAnnotation, record, result);
}

}  // namespace jk::inject
