// Where the built-in pre-classifiers (`classifier: tls|dns` in a spec)
// are: $LUNATIK_PIPELINE_BPF_DIR, then beside the executable in the build
// tree (build/userspace/loader -> build/bpf), then the installed
// <prefix>/lib/lunatik-pipeline/bpf.
#pragma once

#include <filesystem>
#include <string>

namespace lunatik::loader {

// The object of classifier `name` ("tls" -> tls_classifier.bpf.o): the
// first candidate that exists, else the first place looked in (so the
// error of a later attach names a path).
std::filesystem::path builtinXdpObject(const std::string &name);

} // namespace lunatik::loader
