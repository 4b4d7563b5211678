//===- NpyTest.cpp - Unit tests of the cnnrt .npy reader/writer -----------===//
//
// Part of the cnnc project.
//
//===----------------------------------------------------------------------===//
//
// The fixtures are built byte by byte here rather than with numpy, so the
// tests run anywhere and each one shows exactly which bytes it feeds in.
//
//===----------------------------------------------------------------------===//

#include "cnnrt/cnnrt.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

std::string littleEndianFloats(const std::vector<float> &values) {
  std::string bytes;
  for (float value : values) {
    uint32_t bits;
    std::memcpy(&bits, &value, 4);
    for (int i = 0; i < 4; ++i)
      bytes.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  }
  return bytes;
}

// Builds a .npy file: preamble for `major`.0, the given dict text padded like
// numpy does (to a multiple of 64 with a final '\n'), then `data`.
std::string makeNpy(const std::string &dict, const std::string &data,
                    int major = 1) {
  size_t lengthBytes = major == 1 ? 2 : 4;
  size_t unpadded = 8 + lengthBytes + dict.size() + 1;
  std::string header =
      dict + std::string((64 - unpadded % 64) % 64, ' ') + "\n";
  std::string bytes("\x93NUMPY", 6);
  bytes.push_back(static_cast<char>(major));
  bytes.push_back(0);
  for (size_t i = 0; i < lengthBytes; ++i)
    bytes.push_back(static_cast<char>((header.size() >> (8 * i)) & 0xff));
  return bytes + header + data;
}

std::string f4Dict(const std::string &shape, const std::string &descr = "<f4",
                   const std::string &fortranOrder = "False") {
  return "{'descr': '" + descr + "', 'fortran_order': " + fortranOrder +
         ", 'shape': " + shape + ", }";
}

class NpyTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "cnnrt-npy-XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    ASSERT_NE(mkdtemp(buffer.data()), nullptr);
    dir = buffer.data();
  }

  void TearDown() override {
    cnnrt_tensor_free(&tensor);
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }

  std::string path(const std::string &name) const {
    return (fs::path(dir) / name).string();
  }

  std::string writeFile(const std::string &name, const std::string &bytes) {
    std::string filePath = path(name);
    std::ofstream out(filePath, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    EXPECT_TRUE(out.good());
    return filePath;
  }

  std::string readFile(const std::string &filePath) {
    std::ifstream in(filePath, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  // Reads `bytes` as name.npy and expects `status` and a message containing
  // both the file path and `expected`.
  void expectReadError(const std::string &name, const std::string &bytes,
                       int status, const std::string &expected) {
    std::string filePath = writeFile(name, bytes);
    EXPECT_EQ(cnnrt_npy_read(filePath.c_str(), &tensor, err, sizeof(err)),
              status);
    EXPECT_NE(std::string(err).find(expected), std::string::npos)
        << "message: " << err;
    EXPECT_EQ(std::string(err).rfind(filePath + ": ", 0), 0u)
        << "message does not start with the path: " << err;
    EXPECT_EQ(std::string(err).find('\n'), std::string::npos);
    EXPECT_EQ(tensor.data, nullptr);
  }

  void expectRoundTrip(const std::vector<int64_t> &shape) {
    int64_t numel = 1;
    for (int64_t dim : shape)
      numel *= dim;
    std::vector<float> values(static_cast<size_t>(numel));
    for (size_t i = 0; i < values.size(); ++i)
      values[i] = static_cast<float>(i) * 0.25f - 7.0f;
    std::string filePath = path("roundtrip.npy");
    ASSERT_EQ(cnnrt_npy_write(filePath.c_str(), values.data(),
                              static_cast<int64_t>(shape.size()), shape.data(),
                              err, sizeof(err)),
              CNNRT_OK)
        << err;
    ASSERT_EQ(cnnrt_npy_read(filePath.c_str(), &tensor, err, sizeof(err)),
              CNNRT_OK)
        << err;
    ASSERT_EQ(tensor.rank, static_cast<int64_t>(shape.size()));
    for (size_t i = 0; i < shape.size(); ++i)
      EXPECT_EQ(tensor.shape[i], shape[i]);
    ASSERT_EQ(tensor.numel, numel);
    ASSERT_NE(tensor.data, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(tensor.data) % CNNRT_ALIGNMENT, 0u);
    for (size_t i = 0; i < values.size(); ++i)
      EXPECT_EQ(tensor.data[i], values[i]) << "at " << i;
    // The data must start on a 64-byte boundary, as numpy writes it.
    EXPECT_EQ((readFile(filePath).size() - values.size() * 4) % 64, 0u);
    cnnrt_tensor_free(&tensor);
  }

  std::string dir;
  cnnrt_tensor tensor = {};
  char err[CNNRT_ERROR_MAX] = "";
};

//===----------------------------------------------------------------------===//
// Round trips and accepted inputs
//===----------------------------------------------------------------------===//

TEST_F(NpyTest, RoundTripRank0) { expectRoundTrip({}); }
TEST_F(NpyTest, RoundTripRank1) { expectRoundTrip({3}); }
TEST_F(NpyTest, RoundTripRank2) { expectRoundTrip({1, 10}); }
TEST_F(NpyTest, RoundTripRank4) { expectRoundTrip({2, 3, 4, 5}); }
TEST_F(NpyTest, RoundTripRank8) { expectRoundTrip({1, 2, 1, 2, 1, 3, 1, 2}); }

TEST_F(NpyTest, RoundTripZeroSizeDimGivesEmptyTensor) {
  expectRoundTrip({2, 0, 3});
  int64_t shape[] = {2, 0, 3};
  std::string filePath = path("empty_dim.npy");
  ASSERT_EQ(
      cnnrt_npy_write(filePath.c_str(), nullptr, 3, shape, err, sizeof(err)),
      CNNRT_OK)
      << err;
  ASSERT_EQ(cnnrt_npy_read(filePath.c_str(), &tensor, err, sizeof(err)),
            CNNRT_OK)
      << err;
  EXPECT_EQ(tensor.numel, 0);
  EXPECT_NE(tensor.data, nullptr);
}

TEST_F(NpyTest, RoundTripKeepsSpecialValuesBitExact) {
  std::vector<float> values = {std::numeric_limits<float>::quiet_NaN(),
                               std::numeric_limits<float>::infinity(),
                               -std::numeric_limits<float>::infinity(),
                               -0.0f,
                               std::numeric_limits<float>::denorm_min(),
                               std::numeric_limits<float>::max()};
  int64_t shape[] = {6};
  std::string filePath = path("special.npy");
  ASSERT_EQ(cnnrt_npy_write(filePath.c_str(), values.data(), 1, shape, err,
                            sizeof(err)),
            CNNRT_OK);
  ASSERT_EQ(cnnrt_npy_read(filePath.c_str(), &tensor, err, sizeof(err)),
            CNNRT_OK)
      << err;
  EXPECT_EQ(std::memcmp(tensor.data, values.data(), values.size() * 4), 0);
}

TEST_F(NpyTest, WriterProducesNumpyLayout) {
  std::vector<float> values = {1, 2, 3, 4, 5, 6};
  int64_t shape[] = {2, 3};
  std::string filePath = path("layout.npy");
  ASSERT_EQ(cnnrt_npy_write(filePath.c_str(), values.data(), 2, shape, err,
                            sizeof(err)),
            CNNRT_OK);
  std::string expected =
      makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
              littleEndianFloats(values));
  EXPECT_EQ(readFile(filePath), expected);
  // Spelled out: a 118-byte header makes the data start at offset 128.
  ASSERT_EQ(expected.size(), 128u + 24u);
  EXPECT_EQ(expected.substr(0, 10),
            std::string("\x93NUMPY\x01\x00\x76\x00", 10));
  EXPECT_EQ(expected[127], '\n');
}

TEST_F(NpyTest, WriterSpellsShapesAsPythonTuples) {
  float value = 1.0f;
  int64_t shape1[] = {1};
  std::string rank1 = path("rank1.npy"), rank0 = path("rank0.npy");
  ASSERT_EQ(cnnrt_npy_write(rank1.c_str(), &value, 1, shape1, err, sizeof(err)),
            CNNRT_OK);
  ASSERT_EQ(
      cnnrt_npy_write(rank0.c_str(), &value, 0, nullptr, err, sizeof(err)),
      CNNRT_OK);
  EXPECT_NE(readFile(rank1).find("'shape': (1,), }"), std::string::npos);
  EXPECT_NE(readFile(rank0).find("'shape': (), }"), std::string::npos);
}

TEST_F(NpyTest, WriteTensorWritesTheTensor) {
  int64_t shape[] = {2, 2};
  ASSERT_EQ(cnnrt_tensor_alloc(&tensor, 2, shape, err, sizeof(err)), CNNRT_OK);
  tensor.data[3] = 42.0f;
  std::string filePath = path("tensor.npy");
  ASSERT_EQ(cnnrt_npy_write_tensor(filePath.c_str(), &tensor, err, sizeof(err)),
            CNNRT_OK)
      << err;
  cnnrt_tensor_free(&tensor);
  ASSERT_EQ(cnnrt_npy_read(filePath.c_str(), &tensor, err, sizeof(err)),
            CNNRT_OK);
  EXPECT_EQ(tensor.data[0], 0.0f);
  EXPECT_EQ(tensor.data[3], 42.0f);
}

TEST_F(NpyTest, ReadsVersion2Header) {
  std::string filePath = writeFile(
      "v2.npy", makeNpy(f4Dict("(2,)"), littleEndianFloats({1.5f, -2.5f}), 2));
  ASSERT_EQ(cnnrt_npy_read(filePath.c_str(), &tensor, err, sizeof(err)),
            CNNRT_OK)
      << err;
  ASSERT_EQ(tensor.rank, 1);
  EXPECT_EQ(tensor.shape[0], 2);
  EXPECT_EQ(tensor.data[0], 1.5f);
  EXPECT_EQ(tensor.data[1], -2.5f);
}

TEST_F(NpyTest, ReadsVersion3Header) {
  std::string filePath =
      writeFile("v3.npy", makeNpy(f4Dict("()"), littleEndianFloats({7}), 3));
  ASSERT_EQ(cnnrt_npy_read(filePath.c_str(), &tensor, err, sizeof(err)),
            CNNRT_OK)
      << err;
  EXPECT_EQ(tensor.rank, 0);
  EXPECT_EQ(tensor.numel, 1);
  EXPECT_EQ(tensor.data[0], 7.0f);
}

TEST_F(NpyTest, AcceptsHeaderSpellingVariants) {
  const char *dicts[] = {
      // Keys in another order, double quotes, no trailing comma.
      "{\"shape\": (1, 2), \"fortran_order\": False, \"descr\": \"<f4\"}",
      // Python 2 era long suffix and odd whitespace.
      "{ 'descr' : '<f4' ,'fortran_order':False,'shape':( 1L ,2L ) , }",
      // Trailing comma inside the tuple.
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2,), }",
  };
  for (const char *dict : dicts) {
    std::string filePath =
        writeFile("variant.npy", makeNpy(dict, littleEndianFloats({1, 2})));
    ASSERT_EQ(cnnrt_npy_read(filePath.c_str(), &tensor, err, sizeof(err)),
              CNNRT_OK)
        << dict << ": " << err;
    EXPECT_EQ(tensor.rank, 2);
    EXPECT_EQ(tensor.shape[1], 2);
    cnnrt_tensor_free(&tensor);
  }
}

TEST_F(NpyTest, AcceptsUnalignedHeaderOfOldNumpy) {
  // numpy < 1.9 padded to 16 bytes only; the reader must not insist on 64.
  std::string dict = f4Dict("(1,)") + "  \n";
  std::string bytes("\x93NUMPY\x01\x00", 8);
  bytes.push_back(static_cast<char>(dict.size()));
  bytes.push_back(0);
  std::string filePath =
      writeFile("old.npy", bytes + dict + littleEndianFloats({3}));
  ASSERT_EQ(cnnrt_npy_read(filePath.c_str(), &tensor, err, sizeof(err)),
            CNNRT_OK)
      << err;
  EXPECT_EQ(tensor.data[0], 3.0f);
}

TEST_F(NpyTest, WriteReplacesExistingFileAndLeavesNoTemporary) {
  std::string filePath = writeFile("out.npy", "old contents");
  float value = 5.0f;
  ASSERT_EQ(
      cnnrt_npy_write(filePath.c_str(), &value, 0, nullptr, err, sizeof(err)),
      CNNRT_OK)
      << err;
  ASSERT_EQ(cnnrt_npy_read(filePath.c_str(), &tensor, err, sizeof(err)),
            CNNRT_OK)
      << err;
  EXPECT_EQ(tensor.data[0], 5.0f);
  int entries = 0;
  for (const auto &entry : fs::directory_iterator(dir)) {
    (void)entry;
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

//===----------------------------------------------------------------------===//
// Reader errors
//===----------------------------------------------------------------------===//

TEST_F(NpyTest, ErrorMissingFile) {
  std::string filePath = path("missing.npy");
  EXPECT_EQ(cnnrt_npy_read(filePath.c_str(), &tensor, err, sizeof(err)),
            CNNRT_ERR_IO);
  EXPECT_EQ(std::string(err),
            filePath + ": cannot open: No such file or directory");
  EXPECT_EQ(tensor.data, nullptr);
}

TEST_F(NpyTest, ErrorDirectory) {
  EXPECT_EQ(cnnrt_npy_read(dir.c_str(), &tensor, err, sizeof(err)),
            CNNRT_ERR_IO);
  EXPECT_NE(std::string(err).find("not a regular file"), std::string::npos);
}

TEST_F(NpyTest, ErrorEmptyFile) {
  expectReadError("empty.npy", "", CNNRT_ERR_FORMAT, "file is empty");
}

TEST_F(NpyTest, ErrorBadMagic) {
  expectReadError("zip.npy", "PK\x03\x04 not numpy at all", CNNRT_ERR_FORMAT,
                  "not a .npy file (bad magic)");
  expectReadError("short.npy", "PK", CNNRT_ERR_FORMAT, "bad magic");
}

TEST_F(NpyTest, ErrorTruncatedPreamble) {
  expectReadError("magic_only.npy", std::string("\x93NUM", 4), CNNRT_ERR_FORMAT,
                  "truncated header");
  expectReadError("no_length.npy", std::string("\x93NUMPY\x01\x00\x10", 9),
                  CNNRT_ERR_FORMAT, "truncated header");
}

TEST_F(NpyTest, ErrorTruncatedHeader) {
  std::string full = makeNpy(f4Dict("(2,)"), littleEndianFloats({1, 2}));
  expectReadError("cut.npy", full.substr(0, 40), CNNRT_ERR_FORMAT,
                  "truncated header: header length is 118 bytes but only 30 "
                  "bytes follow");
}

TEST_F(NpyTest, ErrorHugeVersion2HeaderLength) {
  // A corrupt 4-byte length must be rejected without allocating it.
  std::string bytes("\x93NUMPY\x02\x00\xff\xff\xff\x7f", 12);
  expectReadError("v2len.npy", bytes + std::string(100, ' '), CNNRT_ERR_FORMAT,
                  "truncated header");
}

TEST_F(NpyTest, ErrorUnsupportedVersion) {
  std::string bytes = makeNpy(f4Dict("(1,)"), littleEndianFloats({1}));
  bytes[6] = 4;
  expectReadError("v4.npy", bytes, CNNRT_ERR_UNSUPPORTED,
                  "unsupported .npy format version 4.0");
}

TEST_F(NpyTest, ErrorBigEndianDtype) {
  expectReadError("be.npy",
                  makeNpy(f4Dict("(1,)", ">f4"), littleEndianFloats({1})),
                  CNNRT_ERR_UNSUPPORTED,
                  "dtype '>f4' (big-endian) is not supported; expected '<f4' "
                  "float32");
}

TEST_F(NpyTest, ErrorOtherDtypes) {
  expectReadError("f8.npy", makeNpy(f4Dict("(1,)", "<f8"), std::string(8, 0)),
                  CNNRT_ERR_UNSUPPORTED,
                  "dtype '<f8' (float64) is not supported");
  expectReadError("u1.npy", makeNpy(f4Dict("(1,)", "|u1"), std::string(1, 0)),
                  CNNRT_ERR_UNSUPPORTED, "dtype '|u1' (uint8)");
  expectReadError("f2.npy", makeNpy(f4Dict("(1,)", "<f2"), std::string(2, 0)),
                  CNNRT_ERR_UNSUPPORTED, "(float16)");
  expectReadError("bf.npy", makeNpy(f4Dict("(1,)", "|f4"), std::string(4, 0)),
                  CNNRT_ERR_UNSUPPORTED, "dtype '|f4'");
}

TEST_F(NpyTest, ErrorStructuredDtype) {
  expectReadError(
      "struct.npy",
      makeNpy("{'descr': [('a', '<f4'), ('b', '<i4')], 'fortran_order': "
              "False, 'shape': (1,), }",
              std::string(8, 0)),
      CNNRT_ERR_UNSUPPORTED, "structured dtype is not supported");
}

TEST_F(NpyTest, ErrorFortranOrder) {
  expectReadError("fortran.npy",
                  makeNpy(f4Dict("(2, 2)", "<f4", "True"),
                          littleEndianFloats({1, 2, 3, 4})),
                  CNNRT_ERR_UNSUPPORTED, "fortran_order=True");
}

TEST_F(NpyTest, ErrorTruncatedData) {
  std::string filePath = path("x.npy");
  expectReadError("x.npy",
                  makeNpy(f4Dict("(1, 3, 32, 32)"), std::string(100, 0)),
                  CNNRT_ERR_FORMAT, "truncated data");
  EXPECT_EQ(std::string(err),
            filePath + ": truncated data: expected 12288 bytes, found 100");
}

TEST_F(NpyTest, ErrorExtraBytes) {
  expectReadError("extra.npy",
                  makeNpy(f4Dict("(2,)"), littleEndianFloats({1, 2}) + "junk!"),
                  CNNRT_ERR_FORMAT, "file has 5 extra bytes");
}

TEST_F(NpyTest, ErrorElementCountOverflow) {
  expectReadError("overflow.npy",
                  makeNpy(f4Dict("(4294967296, 4294967296, 4294967296)"), ""),
                  CNNRT_ERR_TOO_LARGE, "too many elements");
  expectReadError("bigdim.npy",
                  makeNpy(f4Dict("(99999999999999999999999,)"), ""),
                  CNNRT_ERR_TOO_LARGE, "does not fit in 64 bits");
}

TEST_F(NpyTest, ErrorMoreThan4GiB) {
  // 2^30 + 1 floats: one element past the limit.
  expectReadError("huge.npy", makeNpy(f4Dict("(1073741825,)"), ""),
                  CNNRT_ERR_TOO_LARGE, "4 GiB");
}

TEST_F(NpyTest, ZeroSizeDimWithHugeOtherDimsIsEmpty) {
  std::string filePath =
      writeFile("zero.npy", makeNpy(f4Dict("(4294967296, 0, 4294967296)"), ""));
  ASSERT_EQ(cnnrt_npy_read(filePath.c_str(), &tensor, err, sizeof(err)),
            CNNRT_OK)
      << err;
  EXPECT_EQ(tensor.numel, 0);
}

TEST_F(NpyTest, ErrorNegativeDimension) {
  expectReadError("neg.npy", makeNpy(f4Dict("(-1, 3)"), ""), CNNRT_ERR_FORMAT,
                  "negative dimension");
}

TEST_F(NpyTest, ErrorRankAbove8) {
  expectReadError(
      "rank9.npy",
      makeNpy(f4Dict("(1, 1, 1, 1, 1, 1, 1, 1, 1)"), littleEndianFloats({1})),
      CNNRT_ERR_UNSUPPORTED, "more than 8 dimensions");
}

TEST_F(NpyTest, ErrorMissingKey) {
  expectReadError("nokey.npy",
                  makeNpy("{'descr': '<f4', 'fortran_order': False}",
                          littleEndianFloats({1})),
                  CNNRT_ERR_FORMAT, "missing key 'shape'");
}

TEST_F(NpyTest, ErrorUnexpectedAndDuplicateKeys) {
  expectReadError("unknown.npy",
                  makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': "
                          "(1,), 'extra': 1}",
                          littleEndianFloats({1})),
                  CNNRT_ERR_FORMAT, "unexpected key 'extra'");
  expectReadError("dup.npy",
                  makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': "
                          "(1,), 'shape': (1,)}",
                          littleEndianFloats({1})),
                  CNNRT_ERR_FORMAT, "duplicate key 'shape'");
}

TEST_F(NpyTest, ErrorMalformedHeader) {
  expectReadError("nocolon.npy",
                  makeNpy("{'descr' '<f4', 'fortran_order': False, 'shape': "
                          "(1,)}",
                          littleEndianFloats({1})),
                  CNNRT_ERR_FORMAT, "malformed header: expected ':'");
  expectReadError("notdict.npy", makeNpy("[1, 2]", littleEndianFloats({1})),
                  CNNRT_ERR_FORMAT, "malformed header");
  expectReadError("unclosed.npy",
                  makeNpy("{'descr': '<f4, 'fortran_order': False",
                          littleEndianFloats({1})),
                  CNNRT_ERR_FORMAT, "malformed header");
  expectReadError("trailing.npy",
                  makeNpy(f4Dict("(1,)") + " garbage", littleEndianFloats({1})),
                  CNNRT_ERR_FORMAT, "malformed header");
  expectReadError("badbool.npy",
                  makeNpy(f4Dict("(1,)", "<f4", "0"), littleEndianFloats({1})),
                  CNNRT_ERR_FORMAT, "expected True or False");
}

TEST_F(NpyTest, ErrorMessagesStayOneLine) {
  expectReadError("ctrl.npy",
                  makeNpy(f4Dict("(1,)", "<f\n4"), littleEndianFloats({1})),
                  CNNRT_ERR_UNSUPPORTED, "dtype '<f?4'");
}

//===----------------------------------------------------------------------===//
// Writer errors
//===----------------------------------------------------------------------===//

TEST_F(NpyTest, WriteErrorUnwritableDirectory) {
  std::string filePath = path("no/such/dir/out.npy");
  float value = 1.0f;
  EXPECT_EQ(
      cnnrt_npy_write(filePath.c_str(), &value, 0, nullptr, err, sizeof(err)),
      CNNRT_ERR_IO);
  EXPECT_EQ(std::string(err).rfind(filePath + ": cannot create temporary "
                                              "file",
                                   0),
            0u)
      << err;
  EXPECT_NE(std::string(err).find("No such file or directory"),
            std::string::npos);
  EXPECT_FALSE(fs::exists(filePath));
}

TEST_F(NpyTest, WriteErrorTargetIsDirectoryRemovesTemporary) {
  std::string target = path("taken");
  fs::create_directory(target);
  fs::create_directory(target + "/inside");
  float value = 1.0f;
  EXPECT_EQ(
      cnnrt_npy_write(target.c_str(), &value, 0, nullptr, err, sizeof(err)),
      CNNRT_ERR_IO);
  EXPECT_EQ(
      std::string(err).rfind(target + ": cannot write: it is a directory", 0),
      0u)
      << err;
  EXPECT_TRUE(fs::is_directory(target + "/inside"));
  int entries = 0;
  for (const auto &entry : fs::directory_iterator(dir)) {
    (void)entry;
    ++entries;
  }
  EXPECT_EQ(entries, 1) << "temporary file left behind";
}

// A device is written in place: a file renamed over /dev/null would
// replace it.
TEST_F(NpyTest, WriteToDeviceKeepsTheDevice) {
  float value = 1.0f;
  EXPECT_EQ(cnnrt_npy_write("/dev/null", &value, 0, nullptr, err, sizeof(err)),
            CNNRT_OK)
      << err;
  EXPECT_EQ(fs::status("/dev/null").type(), fs::file_type::character);
}

TEST_F(NpyTest, WriteErrorInvalidArguments) {
  std::string filePath = path("bad.npy");
  float value = 1.0f;
  int64_t rank9[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
  EXPECT_EQ(
      cnnrt_npy_write(filePath.c_str(), &value, 9, rank9, err, sizeof(err)),
      CNNRT_ERR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(err).find("rank 9"), std::string::npos) << err;
  int64_t negative[] = {2, -1};
  EXPECT_EQ(
      cnnrt_npy_write(filePath.c_str(), &value, 2, negative, err, sizeof(err)),
      CNNRT_ERR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(err).find("negative dimension"), std::string::npos);
  int64_t two[] = {2};
  EXPECT_EQ(
      cnnrt_npy_write(filePath.c_str(), nullptr, 1, two, err, sizeof(err)),
      CNNRT_ERR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(err).find("data is NULL"), std::string::npos);
  EXPECT_FALSE(fs::exists(filePath));
}

//===----------------------------------------------------------------------===//
// Tensors, shapes, timing, threads
//===----------------------------------------------------------------------===//

TEST_F(NpyTest, TensorAllocIsZeroedAndAligned) {
  int64_t shape[] = {3, 5};
  ASSERT_EQ(cnnrt_tensor_alloc(&tensor, 2, shape, err, sizeof(err)), CNNRT_OK);
  EXPECT_EQ(tensor.numel, 15);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(tensor.data) % CNNRT_ALIGNMENT, 0u);
  for (int64_t i = 0; i < tensor.numel; ++i)
    EXPECT_EQ(tensor.data[i], 0.0f);
  cnnrt_tensor_free(&tensor);
  EXPECT_EQ(tensor.data, nullptr);
  cnnrt_tensor_free(&tensor); // Freeing twice is harmless.
  cnnrt_tensor_free(nullptr);
}

TEST_F(NpyTest, TensorAllocErrors) {
  int64_t negative[] = {3, -5};
  EXPECT_EQ(cnnrt_tensor_alloc(&tensor, 2, negative, err, sizeof(err)),
            CNNRT_ERR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(err).find("negative dimension"), std::string::npos);
  int64_t shape[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
  EXPECT_EQ(cnnrt_tensor_alloc(&tensor, 9, shape, err, sizeof(err)),
            CNNRT_ERR_INVALID_ARGUMENT);
  int64_t huge[] = {INT64_MAX, 2};
  EXPECT_EQ(cnnrt_tensor_alloc(&tensor, 2, huge, err, sizeof(err)),
            CNNRT_ERR_TOO_LARGE);
  EXPECT_EQ(tensor.data, nullptr);
  // A NULL error buffer is allowed.
  EXPECT_EQ(cnnrt_tensor_alloc(&tensor, 2, negative, nullptr, 0),
            CNNRT_ERR_INVALID_ARGUMENT);
}

TEST_F(NpyTest, ShapeHelpers) {
  char buf[CNNRT_SHAPE_STR_MAX];
  int64_t shape[] = {1, 3, 32, 32};
  EXPECT_STREQ(cnnrt_format_shape(4, shape, buf, sizeof(buf)),
               "(1, 3, 32, 32)");
  EXPECT_STREQ(cnnrt_format_shape(1, shape, buf, sizeof(buf)), "(1,)");
  EXPECT_STREQ(cnnrt_format_shape(0, nullptr, buf, sizeof(buf)), "()");
  char tiny[6];
  EXPECT_STREQ(cnnrt_format_shape(4, shape, tiny, sizeof(tiny)), "(1, 3");
  int64_t other[] = {1, 3, 32, 31};
  EXPECT_TRUE(cnnrt_shape_equal(4, shape, 4, shape));
  EXPECT_FALSE(cnnrt_shape_equal(4, shape, 4, other));
  EXPECT_FALSE(cnnrt_shape_equal(4, shape, 3, shape));
}

TEST(RuntimeTest, ClockIsMonotonic) {
  double first = cnnrt_now_ms();
  double second = cnnrt_now_ms();
  EXPECT_GE(second, first);
  EXPECT_GT(first, 0.0);
}

TEST(RuntimeTest, Threads) {
  EXPECT_GE(cnnrt_default_num_threads(), 1);
  // Must be harmless with or without an OpenMP runtime linked in.
  cnnrt_set_num_threads(1);
  cnnrt_set_num_threads(0);
  EXPECT_TRUE(cnnrt_openmp_available() == 0 || cnnrt_openmp_available() == 1);
}

} // namespace
