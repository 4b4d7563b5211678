//===- PassStatistics.cpp - pass statistics with a release LLVM -----------===//

#include "Transforms/PassStatistics.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <mutex>
#include <string>
#include <vector>

using namespace mlir;
using namespace mlir::cnn;

namespace {
struct StatisticEntry {
  std::string name;
  std::string description;
  uint64_t value = 0;
};

struct PassEntry {
  std::string name;
  std::vector<StatisticEntry> statistics;
};

/// Every pass's statistics, in the order they first counted (a handful:
/// linear lookups are fine).
struct StatisticsTable {
  std::mutex mutex;
  std::vector<PassEntry> passes;

  StatisticEntry &lookup(StringRef pass, StringRef statistic) {
    auto passIt = llvm::find_if(
        passes, [&](const PassEntry &entry) { return entry.name == pass; });
    if (passIt == passes.end())
      passIt = passes.insert(passes.end(), PassEntry{pass.str(), {}});
    auto it = llvm::find_if(passIt->statistics, [&](const StatisticEntry &e) {
      return e.name == statistic;
    });
    if (it == passIt->statistics.end())
      it = passIt->statistics.insert(passIt->statistics.end(),
                                     StatisticEntry{statistic.str(), "", 0});
    return *it;
  }
};

StatisticsTable &getTable() {
  static StatisticsTable table;
  return table;
}
} // namespace

PassStatistic::PassStatistic(Pass *owner, const char *name,
                             const char *description)
    : owner(owner), name(name), description(description) {}

PassStatistic &PassStatistic::operator+=(uint64_t increment) {
  value += increment;
  StatisticsTable &table = getTable();
  std::lock_guard<std::mutex> lock(table.mutex);
  StatisticEntry &entry = table.lookup(owner->getName(), name);
  entry.description = description;
  entry.value += increment;
  return *this;
}

bool cnn::takePassStatisticsFlag() {
  auto &options = llvm::cl::getRegisteredOptions();
  auto it = options.find("mlir-pass-statistics");
  if (it == options.end())
    return false;
  // Registered by mlir::registerPassManagerCLOptions as a cl::opt<bool>.
  auto *flag = static_cast<llvm::cl::opt<bool> *>(it->second);
  bool requested = flag->getValue();
  flag->setValue(false);
  return requested;
}

void cnn::printPassStatistics(llvm::raw_ostream &os) {
  StatisticsTable &table = getTable();
  std::lock_guard<std::mutex> lock(table.mutex);
  os << "===" << std::string(73, '-') << "===\n"
     << std::string(25, ' ') << "... Pass statistics report ...\n"
     << "===" << std::string(73, '-') << "===\n";
  for (const PassEntry &pass : table.passes) {
    os << pass.name << "\n";
    size_t width = 0;
    for (const StatisticEntry &entry : pass.statistics)
      width = std::max(width, std::to_string(entry.value).size());
    for (const StatisticEntry &entry : pass.statistics)
      os << "  (S) " << llvm::right_justify(std::to_string(entry.value), width)
         << " " << entry.name << " - " << entry.description << "\n";
  }
  os.flush();
}
