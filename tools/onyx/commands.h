// The subcommands of `onyx`. Each takes the arguments after its name and returns the exit status; user
// mistakes are thrown as CliError (see cli_common.h).
#pragma once

#include <string>
#include <vector>

namespace onyx::cli {

extern const char kRunUsage[];
extern const char kTestUsage[];
extern const char kInspectUsage[];

int RunCommand(const std::vector<std::string>& args);
int TestCommand(const std::vector<std::string>& args);
int InspectCommand(const std::vector<std::string>& args);

}  // namespace onyx::cli
