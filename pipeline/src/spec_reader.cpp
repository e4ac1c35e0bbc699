#include "lunatik/pipeline/spec_reader.hpp"

#include <cctype>
#include <charconv>
#include <limits>
#include <map>
#include <set>

#include <fmt/core.h>
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "lunatik/pipeline/limits.hpp"

namespace lunatik::pipeline {

namespace {

Position at(const YAML::Node &node)
{
	YAML::Mark m = node.Mark();
	if (m.is_null())
		return {};
	return {m.line + 1, m.column + 1};
}

std::string describe(const YAML::Node &node)
{
	switch (node.Type()) {
	case YAML::NodeType::Map: return "a mapping";
	case YAML::NodeType::Sequence: return "a list";
	case YAML::NodeType::Null: return "empty";
	case YAML::NodeType::Scalar: return fmt::format("'{}'", node.Scalar());
	default: return "nothing";
	}
}

template <typename T>
std::optional<T> toInteger(const std::string &text)
{
	T value;
	auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
	if (ec != std::errc() || ptr != text.data() + text.size() || text.empty())
		return std::nullopt;
	return value;
}

// One mapping being read: its keys are checked against the allowed ones
// (with a did-you-mean), then fields are taken out by name.
class Reader {
public:
	Reader(const std::string &file, Diagnostics &out) : file_(file), out_(out) {}

	void error(Position pos, std::string message)
	{
		out_.push_back(Diagnostic{file_, pos, std::move(message)});
	}

	// False (with a diagnostic) when node is not a mapping.
	bool mapping(const YAML::Node &node, const std::string &what)
	{
		if (node.IsMap())
			return true;
		error(at(node), fmt::format("{} must be a mapping, not {}", what, describe(node)));
		return false;
	}

	void keys(const YAML::Node &node, const std::vector<std::string> &allowed,
		  const std::string &what)
	{
		std::map<std::string, Position> seen;
		for (const auto &kv : node) {
			const YAML::Node &key = kv.first;
			if (!key.IsScalar()) {
				error(at(key), fmt::format("keys of {} must be names, not {}", what,
							   describe(key)));
				continue;
			}
			const std::string &k = key.Scalar();
			if (auto [it, fresh] = seen.emplace(k, at(key)); !fresh) {
				error(at(key), fmt::format("duplicate key '{}' in {} (first at line {})",
							   k, what, it->second.line));
				continue;
			}
			if (std::find(allowed.begin(), allowed.end(), k) != allowed.end())
				continue;
			std::string near = closestMatch(k, allowed);
			if (!near.empty())
				error(at(key), fmt::format("unknown key '{}' in {} (did you mean '{}'?)",
							   k, what, near));
			else
				error(at(key), fmt::format("unknown key '{}' in {} (expected one of: {})",
							   k, what, fmt::join(allowed, ", ")));
		}
	}

	bool require(const YAML::Node &map, const std::string &key, const std::string &what)
	{
		if (map[key])
			return true;
		error(at(map), fmt::format("{} has no '{}'", what, key));
		return false;
	}

	// A string value; wrong types are reported and leave target alone.
	bool text(const YAML::Node &map, const std::string &key, std::string &target,
		  Position *pos = nullptr)
	{
		YAML::Node v = map[key];
		if (!v)
			return false;
		if (pos)
			*pos = at(v);
		if (!v.IsScalar() || v.Scalar().empty()) {
			error(at(v), fmt::format("'{}' must be a non-empty string, not {}", key,
						 describe(v)));
			return false;
		}
		target = v.Scalar();
		return true;
	}

	template <typename T>
	bool integer(const YAML::Node &map, const std::string &key, T min, T max, T &target)
	{
		YAML::Node v = map[key];
		if (!v)
			return false;
		std::optional<T> n;
		if (v.IsScalar())
			n = toInteger<T>(v.Scalar());
		if (!n || *n < min || *n > max) {
			error(at(v), fmt::format("'{}' must be an integer in {}..{}, not {}", key, min,
						 max, describe(v)));
			return false;
		}
		target = *n;
		return true;
	}

	// One of a fixed set of words.
	template <typename E>
	bool choice(const YAML::Node &map, const std::string &key,
		    const std::vector<std::pair<std::string, E>> &words, E &target,
		    Position *pos = nullptr)
	{
		std::string word;
		if (!text(map, key, word, pos))
			return false;
		std::vector<std::string> names;
		for (const auto &[name, value] : words) {
			if (name == word) {
				target = value;
				return true;
			}
			names.push_back(name);
		}
		error(at(map[key]), fmt::format("'{}' must be one of {}, not '{}'", key,
						fmt::join(names, ", "), word));
		return false;
	}

	// A list of scalars; each converted by fn (which reports its own errors).
	template <typename Fn>
	void list(const YAML::Node &map, const std::string &key, Fn fn)
	{
		YAML::Node v = map[key];
		if (!v)
			return;
		if (!v.IsSequence()) {
			error(at(v), fmt::format("'{}' must be a list, not {}", key, describe(v)));
			return;
		}
		for (const auto &item : v)
			fn(item);
	}

	const std::string &file() const { return file_; }

private:
	const std::string &file_;
	Diagnostics &out_;
};

const std::vector<std::string> kTopKeys{"version", "name", "namespace", "scripts",
					 "sets", "xdp", "xtables", "nft"};
const std::vector<std::string> kScriptsKeys{"base", "root", "files"};
const std::vector<std::string> kSetKeys{"name", "script", "context", "memory",
					 "budget", "hook_budget", "default_verdict", "hooks"};
const std::vector<std::string> kHookKeys{"family", "hook", "priority"};
const std::vector<std::string> kXdpKeys{"interface", "classifier", "object", "program",
					 "mode", "set", "ports"};
const std::vector<std::string> kXtKeys{"set", "backend", "family", "table", "chain",
					"protocol", "match", "target", "args", "jump"};
const std::vector<std::string> kNftKeys{"family", "table", "chain", "rule",
					 "type", "hook", "priority"};

void readScripts(Reader &r, const YAML::Node &node, Scripts &s)
{
	s.pos = at(node);
	if (!r.mapping(node, "'scripts'"))
		return;
	r.keys(node, kScriptsKeys, "'scripts'");
	r.text(node, "base", s.base, &s.basePos);
	r.text(node, "root", s.root, &s.rootPos);
	r.list(node, "files", [&](const YAML::Node &item) {
		if (!item.IsScalar() || item.Scalar().empty()) {
			r.error(at(item), fmt::format("a file in 'files' must be a path, not {}",
						      describe(item)));
			return;
		}
		s.files.push_back(item.Scalar());
		s.filePos.push_back(at(item));
	});
}

void readSize(Reader &r, const YAML::Node &map, std::uint64_t &target)
{
	YAML::Node v = map["memory"];
	if (!v)
		return;
	std::optional<std::uint64_t> n;
	if (v.IsScalar())
		n = parseSize(v.Scalar());
	if (!n || *n < kMemoryMin || *n > kMemoryMax) {
		r.error(at(v), fmt::format("'memory' must be a size from 64K to 1G (bytes, or with "
					   "a K/M/G suffix), not {}",
					   describe(v)));
		return;
	}
	target = *n;
}

void readHook(Reader &r, const YAML::Node &node, std::vector<HookExpectation> &out)
{
	HookExpectation h;
	h.pos = at(node);
	if (!r.mapping(node, "a hook"))
		return;
	r.keys(node, kHookKeys, "a hook");
	r.require(node, "family", "a hook");
	r.require(node, "hook", "a hook");
	r.text(node, "family", h.family, &h.familyPos);
	r.text(node, "hook", h.hook, &h.hookPos);
	std::int64_t prio;
	if (r.integer<std::int64_t>(node, "priority", INT32_MIN, INT32_MAX, prio))
		h.priority = prio;
	out.push_back(std::move(h));
}

void readSet(Reader &r, const YAML::Node &node, std::vector<RuntimeSet> &out)
{
	RuntimeSet s;
	s.pos = at(node);
	if (!r.mapping(node, "a set"))
		return;
	r.keys(node, kSetKeys, "a set");
	r.require(node, "name", "a set");
	r.require(node, "script", "a set");
	r.text(node, "name", s.name, &s.namePos);
	r.text(node, "script", s.script, &s.scriptPos);
	r.choice<Context>(node, "context",
			  {{"softirq", Context::kSoftirq}, {"process", Context::kProcess}},
			  s.context);
	readSize(r, node, s.memory);
	r.integer<std::uint32_t>(node, "budget", kBudgetMin, kBudgetMax, s.budget);
	r.integer<std::uint32_t>(node, "hook_budget", kBudgetMin, kBudgetMax, s.hookBudget);
	r.choice<Verdict>(node, "default_verdict",
			  {{"accept", Verdict::kAccept}, {"drop", Verdict::kDrop}},
			  s.defaultVerdict, &s.verdictPos);
	r.list(node, "hooks", [&](const YAML::Node &item) { readHook(r, item, s.hooks); });
	out.push_back(std::move(s));
}

void readXdp(Reader &r, const YAML::Node &node, std::vector<XdpStage> &out)
{
	XdpStage x;
	x.pos = at(node);
	if (!r.mapping(node, "an xdp stage"))
		return;
	r.keys(node, kXdpKeys, "an xdp stage");
	r.require(node, "interface", "an xdp stage");
	r.require(node, "set", "an xdp stage");
	r.text(node, "interface", x.interface, &x.interfacePos);
	r.text(node, "object", x.object, &x.objectPos);
	r.text(node, "program", x.program);
	r.text(node, "set", x.set, &x.setPos);
	r.choice<std::string>(node, "classifier", {{"tls", "tls"}, {"dns", "dns"}}, x.classifier,
			      &x.classifierPos);
	if (node["classifier"] && node["object"])
		r.error(at(node["object"]), "an xdp stage has either 'classifier' or 'object', not both");
	else if (!node["classifier"] && !node["object"])
		r.error(x.pos, "an xdp stage needs 'classifier' (tls or dns) or 'object' (a BPF object file)");
	r.choice<XdpMode>(node, "mode", {{"skb", XdpMode::kSkb}, {"native", XdpMode::kNative}},
			  x.mode);
	r.list(node, "ports", [&](const YAML::Node &item) {
		std::optional<std::uint16_t> port;
		if (item.IsScalar())
			port = toInteger<std::uint16_t>(item.Scalar());
		if (!port || *port == 0) {
			r.error(at(item), fmt::format("a port must be an integer in 1..65535, not {}",
						      describe(item)));
			return;
		}
		x.ports.push_back(*port);
	});
	out.push_back(std::move(x));
}

void readXt(Reader &r, const YAML::Node &node, std::vector<XtRule> &out)
{
	XtRule x;
	x.pos = at(node);
	if (!r.mapping(node, "an xtables rule"))
		return;
	r.keys(node, kXtKeys, "an xtables rule");
	r.require(node, "set", "an xtables rule");
	r.require(node, "chain", "an xtables rule");
	r.text(node, "set", x.set, &x.setPos);
	r.choice<XtBackend>(node, "backend",
			    {{"iptables-nft", XtBackend::kIptablesNft},
			     {"iptables-legacy", XtBackend::kIptablesLegacy}},
			    x.backend);
	r.choice<IpFamily>(node, "family", {{"ipv4", IpFamily::kIpv4}, {"ipv6", IpFamily::kIpv6}},
			   x.family);
	x.tablePos = x.pos;
	r.text(node, "table", x.table, &x.tablePos);
	r.text(node, "chain", x.chain, &x.chainPos);
	r.text(node, "protocol", x.protocol);
	r.text(node, "match", x.match, &x.matchPos);
	r.text(node, "target", x.target, &x.matchPos);
	r.text(node, "jump", x.jump);
	r.list(node, "args", [&](const YAML::Node &item) {
		if (!item.IsScalar()) {
			r.error(at(item), fmt::format("an argument must be a string, not {}",
						      describe(item)));
			return;
		}
		x.args.push_back(item.Scalar());
	});
	if (node["match"] && node["target"])
		r.error(at(node["target"]),
			"an xtables rule has either 'match' (with 'jump') or 'target', not both");
	else if (!node["match"] && !node["target"])
		r.error(x.pos, "an xtables rule needs 'match' (a Lua match, with 'jump') or 'target' "
			       "(a Lua target)");
	else if (node["match"] && !node["jump"])
		r.error(x.pos, "an xtables rule with 'match' needs 'jump' (ACCEPT, DROP, ...)");
	else if (node["target"] && node["jump"])
		r.error(at(node["jump"]), "'jump' goes with 'match'; a rule with 'target' jumps to it");
	out.push_back(std::move(x));
}

void readNft(Reader &r, const YAML::Node &node, std::vector<NftRule> &out)
{
	NftRule n;
	n.pos = at(node);
	if (!r.mapping(node, "an nft rule"))
		return;
	r.keys(node, kNftKeys, "an nft rule");
	for (const char *key : {"table", "chain", "rule"})
		r.require(node, key, "an nft rule");
	n.familyPos = n.tablePos = n.chainPos = n.rulePos = n.typePos = n.hookPos = n.pos;
	r.choice<std::string>(node, "family",
			      {{"ip", "ip"}, {"ip6", "ip6"}, {"inet", "inet"}, {"arp", "arp"},
			       {"bridge", "bridge"}, {"netdev", "netdev"}},
			      n.family, &n.familyPos);
	r.text(node, "table", n.table, &n.tablePos);
	r.text(node, "chain", n.chain, &n.chainPos);
	r.text(node, "rule", n.rule, &n.rulePos);
	r.choice<std::string>(node, "type", {{"filter", "filter"}, {"nat", "nat"}, {"route", "route"}},
			      n.type, &n.typePos);
	r.text(node, "hook", n.hook, &n.hookPos);
	r.integer<std::int64_t>(node, "priority", INT32_MIN, INT32_MAX, n.priority);
	if ((node["type"] || node["priority"]) && !node["hook"])
		r.error(at(node["type"] ? node["type"] : node["priority"]),
			"'type' and 'priority' describe a base chain: they need 'hook'");
	out.push_back(std::move(n));
}

template <typename Fn>
void readList(Reader &r, const YAML::Node &root, const std::string &key, Fn fn)
{
	r.list(root, key, fn);
}

} // namespace

const std::map<std::string, std::vector<std::string>> &specKeys()
{
	static const std::map<std::string, std::vector<std::string>> keys{
		{"spec", kTopKeys}, {"scripts", kScriptsKeys}, {"set", kSetKeys},
		{"hook", kHookKeys}, {"xdp", kXdpKeys},         {"xtables", kXtKeys},
		{"nft", kNftKeys},
	};
	return keys;
}

std::optional<std::uint64_t> parseSize(std::string_view text)
{
	std::uint64_t value = 0;
	const char *end = text.data() + text.size();
	// from_chars takes no sign and no leading space: exactly what we want.
	auto [ptr, ec] = std::from_chars(text.data(), end, value);
	if (ec != std::errc() || ptr == text.data())
		return std::nullopt;
	std::string_view suffix(ptr, end - ptr);
	unsigned shift = 0;
	if (!suffix.empty()) {
		switch (std::toupper(static_cast<unsigned char>(suffix.front()))) {
		case 'K': shift = 10; break;
		case 'M': shift = 20; break;
		case 'G': shift = 30; break;
		default: return std::nullopt;
		}
		suffix.remove_prefix(1);
		if (!suffix.empty() && suffix != "B" && suffix != "iB")
			return std::nullopt;
	}
	if (value > (std::numeric_limits<std::uint64_t>::max() >> shift))
		return std::nullopt;
	return value << shift;
}

ReadResult readSpec(const std::string &text, const std::string &file,
		    const std::filesystem::path &dir)
{
	ReadResult result;
	Spec &spec = result.spec;
	spec.file = file;
	spec.dir = dir;
	Reader r(file, result.diagnostics);

	YAML::Node root;
	try {
		root = YAML::Load(text);
	} catch (const YAML::Exception &e) {
		Position pos = e.mark.is_null() ? Position{} : Position{e.mark.line + 1, e.mark.column + 1};
		r.error(pos, fmt::format("not valid YAML: {}", e.msg));
		return result;
	}
	if (!root || root.IsNull()) {
		r.error({1, 1}, "empty spec: expected a mapping with 'version', 'name' and 'sets'");
		return result;
	}
	if (!r.mapping(root, "the spec"))
		return result;
	r.keys(root, kTopKeys, "the spec");

	if (r.require(root, "version", "the spec")) {
		spec.versionPos = at(root["version"]);
		int version = 0;
		if (r.integer<int>(root, "version", 0, std::numeric_limits<int>::max(), version)) {
			spec.version = version;
			if (version != kSpecVersion)
				r.error(spec.versionPos,
					fmt::format("unsupported spec version {} (this lunatik-pipeline "
						    "reads version {})",
						    version, kSpecVersion));
		}
	}
	if (r.require(root, "name", "the spec"))
		r.text(root, "name", spec.name, &spec.namePos);
	r.text(root, "namespace", spec.netns, &spec.netnsPos);
	if (root["scripts"])
		readScripts(r, root["scripts"], spec.scripts);
	readList(r, root, "sets", [&](const YAML::Node &n) { readSet(r, n, spec.sets); });
	readList(r, root, "xdp", [&](const YAML::Node &n) { readXdp(r, n, spec.xdp); });
	readList(r, root, "xtables", [&](const YAML::Node &n) { readXt(r, n, spec.xtables); });
	readList(r, root, "nft", [&](const YAML::Node &n) { readNft(r, n, spec.nft); });
	if (!root["sets"])
		r.error(at(root), "the spec has no 'sets' (the runtime sets running its scripts)");
	return result;
}

} // namespace lunatik::pipeline
