//===- ModelReport.cpp - Summaries and pictures of a model ----------------===//

#include "Report/ModelReport.h"
#include "Transforms/Passes.h"
#include "cnn/CnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"

#include <fmt/format.h>

#include <algorithm>

using namespace mlir;
using namespace mlir::cnn;

/// "1x64x56x56"; "?" for a dimension unknown at compile time.
static std::string formatShape(ArrayRef<int64_t> shape) {
  std::string text;
  for (auto [index, dim] : llvm::enumerate(shape))
    text += (index ? "x" : "") + (dim < 0 ? "?" : std::to_string(dim));
  return text;
}

static std::string formatShape(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasRank())
    return "?";
  return formatShape(shaped.getShape());
}

/// 1234567 -> "1,234,567".
static std::string groupDigits(int64_t value) {
  std::string digits = std::to_string(value);
  std::string grouped;
  int64_t count = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (count && count % 3 == 0 && *it != '-')
      grouped.push_back(',');
    grouped.push_back(*it);
    ++count;
  }
  return std::string(grouped.rbegin(), grouped.rend());
}

/// 236027904 -> "236 M"; three significant digits.
static std::string formatScaled(double value, StringRef unit) {
  const char *prefixes[] = {"", "K", "M", "G", "T"};
  int prefix = 0;
  while (value >= 999.5 && prefix < 4) {
    value /= 1000;
    ++prefix;
  }
  int decimals = value >= 99.95 ? 0 : value >= 9.995 ? 1 : 2;
  if (prefix == 0)
    decimals = 0;
  return fmt::format("{:.{}f} {}{}", value, decimals, prefixes[prefix],
                     unit.str());
}

//===----------------------------------------------------------------------===//
// Graphviz
//===----------------------------------------------------------------------===//

static std::string escapeDot(StringRef text) {
  std::string escaped;
  for (char c : text) {
    if (c == '"' || c == '\\')
      escaped.push_back('\\');
    escaped.push_back(c);
  }
  return escaped;
}

static StringRef fillColor(Operation *op, StringRef algorithm) {
  if (isa<Conv2DOp>(op))
    return algorithm.starts_with("winograd") ? "#d9ead3" : "#cfe2f3";
  if (isa<MaxPool2DOp, AvgPool2DOp, GlobalAvgPoolOp>(op))
    return "#fff2cc";
  if (isa<LinearOp>(op))
    return "#ead1dc";
  if (isa<BatchNormOp>(op))
    return "#f4cccc";
  return "#eeeeee";
}

void cnn::printGraphDot(func::FuncOp model, ArrayRef<LayerInfoAttr> layers,
                        llvm::raw_ostream &os) {
  os << "digraph \"" << escapeDot(model.getSymName()) << "\" {\n"
     << "  graph [rankdir=TB, fontname=\"Helvetica\"];\n"
     << "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", "
        "fontsize=10];\n"
     << "  edge [color=\"#555555\"];\n";
  llvm::DenseMap<Value, std::string> producers;
  for (BlockArgument argument : model.getArguments()) {
    std::string id = "input" + std::to_string(argument.getArgNumber());
    os << "  " << id << " [shape=ellipse, fillcolor=\"#ffffff\", label=\""
       << "input\\n"
       << formatShape(argument.getType()) << "\"];\n";
    producers[argument] = id;
  }
  SmallVector<Operation *> layerOps = getModelLayers(model);
  llvm::DenseMap<Operation *, int64_t> layerIndex;
  for (auto [index, op] : llvm::enumerate(layerOps))
    layerIndex[op] = index;

  int64_t otherCount = 0;
  for (Operation &op : model.getBody().front()) {
    if (op.hasTrait<OpTrait::ConstantLike>())
      continue;
    std::string id, label;
    if (isa<func::ReturnOp>(op)) {
      id = "output";
      SmallVector<std::string> shapes;
      for (Value operand : op.getOperands())
        shapes.push_back(formatShape(operand.getType()));
      os << "  output [shape=ellipse, fillcolor=\"#ffffff\", label=\"output\\n"
         << llvm::join(shapes, ", ") << "\"];\n";
    } else if (auto it = layerIndex.find(&op); it != layerIndex.end()) {
      int64_t index = it->second;
      id = "n" + std::to_string(index);
      LayerInfoAttr layer = index < static_cast<int64_t>(layers.size())
                                ? layers[index]
                                : getLayerInfo(&op, index);
      label = escapeDot(layer.getName()) + "\\n" + escapeDot(layer.getOp()) +
              "\\n" + formatShape(layer.getShape().asArrayRef());
      if (layer.getFlops())
        label += "\\n" + formatScaled(layer.getFlops(), "FLOP");
      if (layer.getAlgorithm() != "-")
        label += "\\n" + escapeDot(layer.getAlgorithm());
      os << "  " << id << " [fillcolor=\""
         << fillColor(&op, layer.getAlgorithm()) << "\", label=\"" << label
         << "\"];\n";
    } else {
      id = "op" + std::to_string(otherCount++);
      label = escapeDot(op.getName().getStringRef());
      if (op.getNumResults() == 1)
        label += "\\n" + formatShape(op.getResult(0).getType());
      os << "  " << id << " [fillcolor=\"#eeeeee\", label=\"" << label
         << "\"];\n";
    }
    auto conv = dyn_cast<Conv2DOp>(op);
    for (OpOperand &operand : op.getOpOperands()) {
      auto producer = producers.find(operand.get());
      if (producer == producers.end())
        continue;
      os << "  " << producer->second << " -> " << id;
      if (conv && conv.getResidual() == operand.get())
        os << " [style=dashed, label=\"residual\", fontsize=9]";
      else if (conv && conv.getInputScale() == operand.get())
        os << " [style=dotted, label=\"gate\", fontsize=9]";
      os << ";\n";
    }
    for (Value result : op.getResults())
      producers[result] = id;
  }
  os << "}\n";
}

//===----------------------------------------------------------------------===//
// Summary
//===----------------------------------------------------------------------===//

namespace {
/// The input window a value's element sees: its size and the distance
/// between the windows of neighbouring elements (the jump), per axis.
struct ReceptiveField {
  int64_t height = 1, width = 1;
  int64_t jumpHeight = 1, jumpWidth = 1;

  /// After a window of `kernel` (dilated) with `strides`.
  ReceptiveField through(ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                         ArrayRef<int64_t> dilations) const {
    ReceptiveField next;
    next.height = height + (kernel[0] - 1) * dilations[0] * jumpHeight;
    next.width = width + (kernel[1] - 1) * dilations[1] * jumpWidth;
    next.jumpHeight = jumpHeight * strides[0];
    next.jumpWidth = jumpWidth * strides[1];
    return next;
  }

  static ReceptiveField largest(const ReceptiveField &a,
                                const ReceptiveField &b) {
    ReceptiveField field;
    field.height = std::max(a.height, b.height);
    field.width = std::max(a.width, b.width);
    field.jumpHeight = std::max(a.jumpHeight, b.jumpHeight);
    field.jumpWidth = std::max(a.jumpWidth, b.jumpWidth);
    return field;
  }

  std::string str() const {
    if (height == width)
      return std::to_string(height);
    return std::to_string(height) + "x" + std::to_string(width);
  }
  std::string jumpStr() const {
    if (jumpHeight == jumpWidth)
      return std::to_string(jumpHeight);
    return std::to_string(jumpHeight) + "x" + std::to_string(jumpWidth);
  }
};

struct SummaryRow {
  int64_t index;
  std::string name, kind, shape;
  int64_t parameters, macs;
  ReceptiveField field;
};
} // namespace

/// Learnable parameters as PyTorch counts them: weights and biases, a batch
/// norm's scale and shift (its running statistics are buffers), a layer
/// norm's scale and bias, and the constant tensors of elementwise
/// arithmetic (a layer scale, a decomposed layer norm's affine) except
/// single numbers (an epsilon, GELU's 0.5).
static int64_t countParameters(Operation *op) {
  auto elements = [](Value value) -> int64_t {
    return value ? cast<ShapedType>(value.getType()).getNumElements() : 0;
  };
  if (auto conv = dyn_cast<Conv2DOp>(op))
    return elements(conv.getFilter()) + elements(conv.getBias());
  if (auto linear = dyn_cast<LinearOp>(op))
    return elements(linear.getWeight()) + elements(linear.getBias());
  if (auto norm = dyn_cast<BatchNormOp>(op))
    return elements(norm.getScale()) + elements(norm.getShift());
  if (auto norm = dyn_cast<LayerNormOp>(op))
    return elements(norm.getScale()) + elements(norm.getBias());
  if (isa<AddOp, SubOp, MulOp, DivOp>(op)) {
    int64_t count = 0;
    for (Value operand : op->getOperands())
      if (matchPattern(operand, m_Constant()) && elements(operand) > 1)
        count += elements(operand);
    return count;
  }
  return 0;
}

/// The receptive field of `op`'s result, from those of its operands.
static ReceptiveField
propagateField(Operation *op,
               const llvm::DenseMap<Value, ReceptiveField> &fields) {
  ReceptiveField joined;
  bool any = false;
  for (Value operand : op->getOperands()) {
    auto it = fields.find(operand);
    if (it == fields.end())
      continue;
    joined = any ? ReceptiveField::largest(joined, it->second) : it->second;
    any = true;
  }
  auto inputField = [&](Value input) {
    auto it = fields.find(input);
    return it == fields.end() ? ReceptiveField() : it->second;
  };
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    ArrayRef<int64_t> filter = conv.getFilter().getType().getShape();
    ReceptiveField field = inputField(conv.getInput())
                               .through(filter.drop_front(2), conv.getStrides(),
                                        conv.getDilations());
    if (conv.getResidual())
      field = ReceptiveField::largest(field, inputField(conv.getResidual()));
    return field;
  }
  int64_t one[] = {1, 1};
  // A strided slice samples every step-th element: the jump grows.
  if (auto slice = dyn_cast<SliceOp>(op)) {
    ArrayRef<int64_t> steps = slice.getSteps();
    if (steps.size() == 4)
      return inputField(slice.getInput())
          .through(one, steps.drop_front(2), one);
  }
  if (auto pool = dyn_cast<MaxPool2DOp>(op))
    return inputField(pool.getInput())
        .through(pool.getKernel(), pool.getStrides(), one);
  if (auto pool = dyn_cast<AvgPool2DOp>(op))
    return inputField(pool.getInput())
        .through(pool.getKernel(), pool.getStrides(), one);
  // A global pool, or a flatten of a spatial tensor, is one window over the
  // whole extent.
  if (isa<GlobalAvgPoolOp, FlattenOp>(op)) {
    auto type = cast<ShapedType>(op->getOperand(0).getType());
    if (type.getRank() == 4) {
      int64_t extent[] = {type.getDimSize(2), type.getDimSize(3)};
      return inputField(op->getOperand(0)).through(extent, one, one);
    }
  }
  return joined;
}

void cnn::printModelSummary(func::FuncOp model, StringRef modelName, bool json,
                            llvm::raw_ostream &os) {
  llvm::DenseMap<Value, ReceptiveField> fields;
  for (BlockArgument argument : model.getArguments())
    fields[argument] = ReceptiveField();
  SmallVector<SummaryRow> rows;
  ReceptiveField spatialField;
  int64_t totalParameters = 0, totalMacs = 0;
  if (model.getBody().hasOneBlock()) {
    for (Operation &op : model.getBody().front()) {
      if (op.hasTrait<OpTrait::ConstantLike>() || op.getNumResults() != 1)
        continue;
      ReceptiveField field = propagateField(&op, fields);
      fields[op.getResult(0)] = field;
      if (!isa<CnnDialect>(op.getDialect()))
        continue;
      // The network's receptive field: its deepest spatial map's, before a
      // global pool sees everything.
      if (isa<Conv2DOp, MaxPool2DOp, AvgPool2DOp>(op))
        spatialField = ReceptiveField::largest(spatialField, field);
      int64_t index = rows.size();
      SummaryRow row{index,
                     getLayerName(&op, index),
                     getLayerKind(&op),
                     formatShape(op.getResult(0).getType()),
                     countParameters(&op),
                     getLayerFlops(&op) / 2,
                     field};
      totalParameters += row.parameters;
      totalMacs += row.macs;
      rows.push_back(std::move(row));
    }
  }
  std::string inputShape = model.getNumArguments()
                               ? formatShape(model.getArgument(0).getType())
                               : "";

  if (json) {
    llvm::json::OStream out(os, /*IndentSize=*/2);
    auto fieldArray = [&](int64_t height, int64_t width) {
      out.array([&] {
        out.value(height);
        out.value(width);
      });
    };
    out.object([&] {
      out.attribute("model", modelName);
      out.attribute("input", inputShape);
      out.attributeArray("layers", [&] {
        for (const SummaryRow &row : rows)
          out.object([&] {
            out.attribute("index", row.index);
            out.attribute("name", row.name);
            out.attribute("op", row.kind);
            out.attribute("output", row.shape);
            out.attribute("parameters", row.parameters);
            out.attribute("macs", row.macs);
            out.attributeBegin("receptive_field");
            fieldArray(row.field.height, row.field.width);
            out.attributeEnd();
            out.attributeBegin("jump");
            fieldArray(row.field.jumpHeight, row.field.jumpWidth);
            out.attributeEnd();
          });
      });
      out.attributeObject("totals", [&] {
        out.attribute("layers", static_cast<int64_t>(rows.size()));
        out.attribute("parameters", totalParameters);
        out.attribute("macs", totalMacs);
        out.attributeBegin("receptive_field");
        fieldArray(spatialField.height, spatialField.width);
        out.attributeEnd();
      });
    });
    os << "\n";
    return;
  }

  size_t nameWidth = 5, kindWidth = 2, shapeWidth = 6;
  for (const SummaryRow &row : rows) {
    nameWidth = std::max(nameWidth, std::min<size_t>(row.name.size(), 32));
    kindWidth = std::max(kindWidth, row.kind.size());
    shapeWidth = std::max(shapeWidth, row.shape.size());
  }
  os << fmt::format("{} (input {}): {} layer{}\n\n", modelName.str(),
                    inputShape, rows.size(), rows.size() == 1 ? "" : "s");
  os << fmt::format("{:>4}  {:<{}}  {:<{}}  {:<{}}  {:>12}  {:>15}  {:>9}  "
                    "{:>4}\n",
                    "#", "layer", nameWidth, "op", kindWidth, "output",
                    shapeWidth, "params", "MACs", "RF", "jump");
  for (const SummaryRow &row : rows) {
    std::string name =
        row.name.size() > nameWidth
            ? "..." + row.name.substr(row.name.size() - (nameWidth - 3))
            : row.name;
    os << fmt::format("{:>4}  {:<{}}  {:<{}}  {:<{}}  {:>12}  {:>15}  {:>9}  "
                      "{:>4}\n",
                      row.index, name, nameWidth, row.kind, kindWidth,
                      row.shape, shapeWidth, groupDigits(row.parameters),
                      groupDigits(row.macs), row.field.str(),
                      row.field.jumpStr());
  }
  os << fmt::format("\ntotal: {} parameters ({}), {} MACs ({}), receptive "
                    "field {} (jump {})\n",
                    groupDigits(totalParameters),
                    formatScaled(totalParameters, ""), groupDigits(totalMacs),
                    formatScaled(totalMacs, "MAC"), spatialField.str(),
                    spatialField.jumpStr());
}
