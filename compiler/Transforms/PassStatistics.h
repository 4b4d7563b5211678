//===- PassStatistics.h - pass statistics with a release LLVM ---*- C++ -*-===//
//
// MLIR's Pass::Statistic derives from llvm::Statistic, which LLVM compiles
// to a no-op unless it was built with assertions or LLVM_FORCE_ENABLE_STATS
// (llvm/ADT/Statistic.h); Debian's release LLVM counts nothing, so
// `--mlir-pass-statistics` would print an empty report. The cnn passes count
// with cnn::PassStatistic instead, and the tools print these counts, in
// MLIR's list format, when `--mlir-pass-statistics` is given.
//
//===----------------------------------------------------------------------===//

#ifndef CNN_TRANSFORMS_PASSSTATISTICS_H
#define CNN_TRANSFORMS_PASSSTATISTICS_H

#include "mlir/Pass/Pass.h"

#include <cstdint>

namespace mlir::cnn {

/// A counter owned by a pass, declared like Pass::Statistic:
///   cnn::PassStatistic numFolded{this, "folded-batch-norms", "Batch ..."};
/// Counts from every instance of a pass (clones run on other functions or
/// threads) add up in one process-wide table under the pass's name.
class PassStatistic {
public:
  PassStatistic(Pass *owner, const char *name, const char *description);

  PassStatistic &operator+=(uint64_t increment);
  PassStatistic &operator++() { return *this += 1; }

  /// This pass instance's count.
  uint64_t getValue() const { return value; }

private:
  Pass *owner;
  const char *name;
  const char *description;
  uint64_t value = 0;
};

/// Reads and clears the registered `--mlir-pass-statistics` flag: MLIR's own
/// report would be empty, the tool prints printPassStatistics' instead.
/// False when the flag is not registered.
bool takePassStatisticsFlag();

/// Prints every recorded count, grouped by pass in the order the passes
/// first counted, as MLIR's `--mlir-pass-statistics-display=list` does.
/// Statistics of passes that never counted are not known and not printed.
void printPassStatistics(llvm::raw_ostream &os);

} // namespace mlir::cnn

#endif // CNN_TRANSFORMS_PASSSTATISTICS_H
