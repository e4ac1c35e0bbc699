#include "lunatik/pipeline/spec.hpp"

namespace lunatik::pipeline {

std::string_view contextName(Context c)
{
	return c == Context::kSoftirq ? "softirq" : "process";
}

std::string_view verdictName(Verdict v)
{
	return v == Verdict::kDrop ? "drop" : "accept";
}

std::string_view xdpModeName(XdpMode m)
{
	return m == XdpMode::kNative ? "native" : "skb";
}

std::string_view xtBackendName(XtBackend b)
{
	return b == XtBackend::kIptablesLegacy ? "iptables-legacy" : "iptables-nft";
}

std::string_view ipFamilyName(IpFamily f)
{
	return f == IpFamily::kIpv6 ? "ipv6" : "ipv4";
}

const RuntimeSet *Spec::findSet(const std::string &wanted) const
{
	for (const auto &s : sets)
		if (s.name == wanted)
			return &s;
	return nullptr;
}

std::filesystem::path Spec::baseDir() const
{
	return (dir / scripts.base).lexically_normal();
}

std::filesystem::path Spec::resolve(const std::string &relative) const
{
	return (dir / relative).lexically_normal();
}

} // namespace lunatik::pipeline
