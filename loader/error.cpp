#include "error.hpp"

namespace lunatik::loader {

int report(std::ostream &err, const Error &error)
{
	if (error.code == ExitCode::kLuaError)
		err << error.message << '\n';
	else
		err << kProgramName << ": " << error.message << '\n';
	return toInt(error.code);
}

} // namespace lunatik::loader
