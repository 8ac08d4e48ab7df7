// The table `onyx run --profile` prints: where the profiled runs spent their time, by operator type and by node.
#pragma once

#include <ostream>
#include <vector>

#include "common/profiler.h"

namespace onyx::cli {

// Time by operator type (count, total, share of the runs' time, average) and the `top` slowest nodes. Shares are
// of the summed model_run time; in the parallel execution mode nodes overlap, so they may add up past 100%.
void PrintProfileSummary(const std::vector<ProfileEvent>& events, int top, std::ostream& out);

}  // namespace onyx::cli
