//===- MlirInput.cpp - Models in MLIR text or bytecode --------------------===//

#include "Import/MlirInput.h"

#include "mlir/Bytecode/BytecodeReader.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"

using namespace mlir;

/// The first place where brackets nest deeper than kMaxMlirNesting, skipping
/// string literals and comments; null if there is none. `->` is not a
/// closing bracket.
static const char *findTooDeepNesting(StringRef text) {
  int64_t depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\')
          ++i;
      continue;
    }
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      i = text.find('\n', i);
      if (i == StringRef::npos)
        break;
      continue;
    }
    if (c == '(' || c == '[' || c == '{' || c == '<') {
      if (++depth > cnn::kMaxMlirNesting)
        return text.data() + i;
    } else if (c == ')' || c == ']' || c == '}' ||
               (c == '>' && (i == 0 || text[i - 1] != '-'))) {
      depth = std::max<int64_t>(depth - 1, 0);
    }
  }
  return nullptr;
}

OwningOpRef<ModuleOp> cnn::parseMlirModel(llvm::SourceMgr &sourceMgr,
                                          MLIRContext *context) {
  const llvm::MemoryBuffer *buffer =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  if (!isBytecode(*buffer))
    if (const char *where = findTooDeepNesting(buffer->getBuffer())) {
      auto [line, column] =
          sourceMgr.getLineAndColumn(llvm::SMLoc::getFromPointer(where));
      emitError(FileLineColLoc::get(context, buffer->getBufferIdentifier(),
                                    line, column))
          << "brackets nest more than " << kMaxMlirNesting
          << " levels deep; this is not a model cnnc can read";
      return nullptr;
    }
  return parseSourceFile<ModuleOp>(sourceMgr, context);
}
