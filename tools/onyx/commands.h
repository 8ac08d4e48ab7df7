// The subcommands of `onyx`. Each takes the arguments after its name and returns the exit status; user
// mistakes are thrown as CliError (see cli_common.h).
#pragma once

#include <string>
#include <vector>

namespace onyx::cli {

extern const char kRunUsage[];
extern const char kBenchUsage[];
extern const char kTestUsage[];
extern const char kInspectUsage[];
extern const char kOptimizeUsage[];
extern const char kOperatorsUsage[];
extern const char kQuantizeUsage[];
extern const char kOpsConfigUsage[];

int RunCommand(const std::vector<std::string>& args);
int BenchCommand(const std::vector<std::string>& args);
int TestCommand(const std::vector<std::string>& args);
int InspectCommand(const std::vector<std::string>& args);
int OptimizeCommand(const std::vector<std::string>& args);
int OperatorsCommand(const std::vector<std::string>& args);
int QuantizeCommand(const std::vector<std::string>& args);
int OpsConfigCommand(const std::vector<std::string>& args);

}  // namespace onyx::cli

namespace onyx {
class Session;
}

namespace onyx::cli {
// Prints what the optimizer did for a session: node counts before and after, and each pass's rewrites.
void PrintOptimization(const onyx::Session& session, const std::string& level);

}  // namespace onyx::cli
