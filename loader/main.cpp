// lunatik-pipeline: dispatch only (see cli.cpp and the cmd_*.cpp files).
#include "backend/system_services.hpp"
#include "cli.hpp"

int main(int argc, char **argv)
{
	auto svc = lunatik::loader::makeSystemServices();
	return lunatik::loader::runCli(argc, argv, svc);
}
