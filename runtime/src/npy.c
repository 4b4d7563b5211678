//===- npy.c - Reading and writing float32 .npy files -------------*- C -*-===//
//
// Part of the cnnc project.
//
//===----------------------------------------------------------------------===//
//
// NPY format (numpy.lib.format): the magic "\x93NUMPY", a major and minor
// version byte, a little-endian header length (2 bytes in v1.0, 4 bytes in
// v2.0/v3.0), then a Python dict literal such as
//   {'descr': '<f4', 'fortran_order': False, 'shape': (1, 3), }
// padded with spaces and a final '\n', then the raw array data.
//
// The reader treats the file as untrusted: every length is checked against
// the file size before anything is read or allocated.
//
//===----------------------------------------------------------------------===//

// For fileno, fstat and getpid under -std=c11.
#define _POSIX_C_SOURCE 200809L

#include "cnnrt/cnnrt.h"
#include "internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static const char npy_magic[6] = {'\x93', 'N', 'U', 'M', 'P', 'Y'};
// numpy itself refuses headers over 10000 bytes by default; be generous but
// keep a bound so a corrupt v2.0 length cannot make us allocate gigabytes.
enum { npy_max_header_bytes = 1 << 20 };

static bool host_is_little_endian(void) {
  const uint32_t one = 1;
  unsigned char first;
  memcpy(&first, &one, 1);
  return first == 1;
}

static void byteswap_floats(float *values, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    unsigned char bytes[4], swapped[4];
    memcpy(bytes, &values[i], 4);
    swapped[0] = bytes[3];
    swapped[1] = bytes[2];
    swapped[2] = bytes[1];
    swapped[3] = bytes[0];
    memcpy(&values[i], swapped, 4);
  }
}

//===----------------------------------------------------------------------===//
// Header dict parser
//===----------------------------------------------------------------------===//

typedef struct npy_header {
  bool has_descr;
  bool has_fortran_order;
  bool has_shape;
  char descr[32];
  bool descr_is_structured; // A list of fields instead of a string.
  bool fortran_order;
  int64_t rank;
  int64_t shape[CNNRT_MAX_RANK];
} npy_header;

typedef struct header_parser {
  const char *begin;
  const char *cur;
  const char *end;
  const char *path;
  char *err;
  size_t errlen;
} header_parser;

static void skip_whitespace(header_parser *p) {
  while (p->cur < p->end && (*p->cur == ' ' || *p->cur == '\t' ||
                             *p->cur == '\n' || *p->cur == '\r'))
    ++p->cur;
}

static bool consume(header_parser *p, char c) {
  skip_whitespace(p);
  if (p->cur < p->end && *p->cur == c) {
    ++p->cur;
    return true;
  }
  return false;
}

static bool consume_word(header_parser *p, const char *word) {
  size_t len = strlen(word);
  if ((size_t)(p->end - p->cur) < len || memcmp(p->cur, word, len) != 0)
    return false;
  p->cur += len;
  return true;
}

// Reports a syntax error with the offset and a short excerpt of the header.
static int malformed(header_parser *p, const char *expected) {
  size_t offset = (size_t)(p->cur - p->begin);
  size_t remaining = (size_t)(p->end - p->cur);
  int excerpt_len = remaining > 20 ? 20 : (int)remaining;
  cnnrt_set_error(
      p->err, p->errlen,
      "%s: malformed header: expected %s at offset %zu (near '%.*s')", p->path,
      expected, offset, excerpt_len, p->cur);
  return CNNRT_ERR_FORMAT;
}

// Parses a '...' or "..." literal (no escapes: numpy never writes any in the
// keys and descr strings we accept) into out[outlen], truncating.
static int parse_string(header_parser *p, char *out, size_t outlen,
                        bool *truncated) {
  skip_whitespace(p);
  if (p->cur >= p->end || (*p->cur != '\'' && *p->cur != '"'))
    return malformed(p, "a quoted string");
  char quote = *p->cur++;
  const char *start = p->cur;
  while (p->cur < p->end && *p->cur != quote)
    ++p->cur;
  if (p->cur >= p->end)
    return malformed(p, "a closing quote");
  size_t len = (size_t)(p->cur - start);
  ++p->cur;
  *truncated = len >= outlen;
  if (*truncated)
    len = outlen - 1;
  memcpy(out, start, len);
  out[len] = '\0';
  return CNNRT_OK;
}

static int parse_bool(header_parser *p, bool *value) {
  skip_whitespace(p);
  if (consume_word(p, "True")) {
    *value = true;
    return CNNRT_OK;
  }
  if (consume_word(p, "False")) {
    *value = false;
    return CNNRT_OK;
  }
  return malformed(p, "True or False");
}

// Parses a tuple of non-negative integers: "()", "(3,)", "(2, 3)", and also
// the Python 2 long suffix "(2L, 3L)" that old numpy versions wrote.
static int parse_shape(header_parser *p, npy_header *header) {
  if (!consume(p, '('))
    return malformed(p, "'(' starting the shape tuple");
  header->rank = 0;
  skip_whitespace(p);
  while (!consume(p, ')')) {
    skip_whitespace(p);
    if (p->cur < p->end && *p->cur == '-') {
      cnnrt_set_error(p->err, p->errlen,
                      "%s: invalid header: negative dimension in 'shape'",
                      p->path);
      return CNNRT_ERR_FORMAT;
    }
    if (p->cur >= p->end || *p->cur < '0' || *p->cur > '9')
      return malformed(p, "a dimension or ')'");
    int64_t dim = 0;
    while (p->cur < p->end && *p->cur >= '0' && *p->cur <= '9') {
      int digit = *p->cur - '0';
      if (dim > (INT64_MAX - digit) / 10) {
        cnnrt_set_error(
            p->err, p->errlen,
            "%s: shape has a dimension that does not fit in 64 bits", p->path);
        return CNNRT_ERR_TOO_LARGE;
      }
      dim = dim * 10 + digit;
      ++p->cur;
    }
    if (p->cur < p->end && (*p->cur == 'L' || *p->cur == 'l'))
      ++p->cur;
    if (header->rank == CNNRT_MAX_RANK) {
      cnnrt_set_error(p->err, p->errlen,
                      "%s: shape has more than %d dimensions, which is not "
                      "supported",
                      p->path, CNNRT_MAX_RANK);
      return CNNRT_ERR_UNSUPPORTED;
    }
    header->shape[header->rank++] = dim;
    if (consume(p, ','))
      continue;
    if (consume(p, ')'))
      break;
    return malformed(p, "',' or ')' in the shape tuple");
  }
  return CNNRT_OK;
}

// Parses the whole dict. The header text is NUL-free only by luck, so the
// parser works on [begin, end) and never relies on a terminator.
static int parse_header(header_parser *p, npy_header *header) {
  memset(header, 0, sizeof(*header));
  if (!consume(p, '{'))
    return malformed(p, "'{'");
  while (!consume(p, '}')) {
    char key[32];
    bool truncated = false;
    int status = parse_string(p, key, sizeof(key), &truncated);
    if (status != CNNRT_OK)
      return status;
    if (!consume(p, ':'))
      return malformed(p, "':' after a key");

    bool *seen;
    if (strcmp(key, "descr") == 0) {
      seen = &header->has_descr;
      skip_whitespace(p);
      if (p->cur < p->end && *p->cur == '[') {
        // Structured dtypes are lists; report them once the key is known
        // rather than trying to parse nested tuples.
        header->descr_is_structured = true;
        *seen = true;
        return CNNRT_OK;
      }
      bool descr_truncated = false;
      status = parse_string(p, header->descr, sizeof(header->descr),
                            &descr_truncated);
    } else if (strcmp(key, "fortran_order") == 0) {
      seen = &header->has_fortran_order;
      status = parse_bool(p, &header->fortran_order);
    } else if (strcmp(key, "shape") == 0) {
      seen = &header->has_shape;
      status = parse_shape(p, header);
    } else {
      cnnrt_set_error(p->err, p->errlen,
                      "%s: invalid header: unexpected key '%s%s' (expected "
                      "'descr', 'fortran_order' and 'shape')",
                      p->path, key, truncated ? "..." : "");
      return CNNRT_ERR_FORMAT;
    }
    if (status != CNNRT_OK)
      return status;
    if (*seen) {
      cnnrt_set_error(p->err, p->errlen,
                      "%s: invalid header: duplicate key '%s'", p->path, key);
      return CNNRT_ERR_FORMAT;
    }
    *seen = true;

    if (consume(p, ','))
      continue;
    if (consume(p, '}'))
      break;
    return malformed(p, "',' or '}'");
  }
  // Only the padding (spaces and the final newline) may follow the dict.
  skip_whitespace(p);
  if (p->cur != p->end)
    return malformed(p, "only padding after the closing '}'");
  return CNNRT_OK;
}

//===----------------------------------------------------------------------===//
// dtype check
//===----------------------------------------------------------------------===//

// A readable name for common numpy type codes ("f8" -> "float64"), or NULL.
static const char *dtype_name(const char *code) {
  static const char *const names[][2] = {
      {"f2", "float16"},      {"f4", "float32"},   {"f8", "float64"},
      {"f16", "float128"},    {"i1", "int8"},      {"i2", "int16"},
      {"i4", "int32"},        {"i8", "int64"},     {"u1", "uint8"},
      {"u2", "uint16"},       {"u4", "uint32"},    {"u8", "uint64"},
      {"b1", "bool"},         {"c8", "complex64"}, {"c16", "complex128"},
      {"O", "Python objects"}};
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); ++i)
    if (strcmp(code, names[i][0]) == 0)
      return names[i][1];
  if (code[0] == 'U')
    return "unicode string";
  if (code[0] == 'S')
    return "byte string";
  if (code[0] == 'V')
    return "raw bytes";
  if (code[0] == 'M' || code[0] == 'm')
    return "datetime";
  return NULL;
}

static int check_dtype(const char *path, const npy_header *header, char *err,
                       size_t errlen) {
  if (header->descr_is_structured) {
    cnnrt_set_error(
        err, errlen,
        "%s: structured dtype is not supported; expected '<f4' float32", path);
    return CNNRT_ERR_UNSUPPORTED;
  }
  const char *descr = header->descr;
  if (strcmp(descr, "<f4") == 0)
    return CNNRT_OK;

  bool has_order =
      descr[0] == '<' || descr[0] == '>' || descr[0] == '|' || descr[0] == '=';
  const char *code = has_order ? descr + 1 : descr;
  const char *name = dtype_name(code);
  const char *order = descr[0] == '>' ? "big-endian " : "";
  if (descr[0] == '>' && strcmp(code, "f4") == 0)
    cnnrt_set_error(
        err, errlen,
        "%s: dtype '%s' (big-endian) is not supported; expected '<f4' "
        "float32",
        path, descr);
  else if (name)
    cnnrt_set_error(err, errlen,
                    "%s: dtype '%s' (%s%s) is not supported; expected '<f4' "
                    "float32",
                    path, descr, order, name);
  else
    cnnrt_set_error(err, errlen,
                    "%s: dtype '%s' is not supported; expected '<f4' float32",
                    path, descr);
  return CNNRT_ERR_UNSUPPORTED;
}

//===----------------------------------------------------------------------===//
// Reading
//===----------------------------------------------------------------------===//

static uint32_t read_le(const unsigned char *bytes, int count) {
  uint32_t value = 0;
  for (int i = count - 1; i >= 0; --i)
    value = (value << 8) | bytes[i];
  return value;
}

// Reads the header and validates everything but the data. On success `file`
// is positioned at the start of the data, and data_bytes_in_file holds how
// many bytes follow.
static int read_header(FILE *file, const char *path, int64_t file_size,
                       npy_header *header, int64_t *data_bytes_in_file,
                       char *err, size_t errlen) {
  if (file_size == 0) {
    cnnrt_set_error(err, errlen, "%s: file is empty (not a .npy file)", path);
    return CNNRT_ERR_FORMAT;
  }

  // Magic (6), version (2) and the longest header length field (4).
  unsigned char prefix[12];
  size_t prefix_len = file_size < 12 ? (size_t)file_size : 12;
  if (fread(prefix, 1, prefix_len, file) != prefix_len) {
    cnnrt_set_error(err, errlen, "%s: read error: %s", path, strerror(errno));
    return CNNRT_ERR_IO;
  }
  size_t magic_len = prefix_len < 6 ? prefix_len : 6;
  if (memcmp(prefix, npy_magic, magic_len) != 0) {
    cnnrt_set_error(err, errlen, "%s: not a .npy file (bad magic)", path);
    return CNNRT_ERR_FORMAT;
  }
  if (prefix_len < 8) {
    cnnrt_set_error(err, errlen,
                    "%s: truncated header: file has only %zu bytes", path,
                    prefix_len);
    return CNNRT_ERR_FORMAT;
  }

  int major = prefix[6], minor = prefix[7];
  if ((major != 1 && major != 2 && major != 3) || minor != 0) {
    cnnrt_set_error(
        err, errlen,
        "%s: unsupported .npy format version %d.%d (supported: 1.0, "
        "2.0, 3.0)",
        path, major, minor);
    return CNNRT_ERR_UNSUPPORTED;
  }
  size_t length_field = major == 1 ? 2 : 4;
  size_t preamble = 8 + length_field;
  if (prefix_len < preamble) {
    cnnrt_set_error(err, errlen,
                    "%s: truncated header: file has only %zu bytes", path,
                    prefix_len);
    return CNNRT_ERR_FORMAT;
  }
  uint32_t header_len = read_le(prefix + 8, (int)length_field);
  int64_t after_preamble = file_size - (int64_t)preamble;
  if ((int64_t)header_len > after_preamble) {
    cnnrt_set_error(err, errlen,
                    "%s: truncated header: header length is %u bytes but only "
                    "%lld bytes follow",
                    path, header_len, (long long)after_preamble);
    return CNNRT_ERR_FORMAT;
  }
  if (header_len > npy_max_header_bytes) {
    cnnrt_set_error(err, errlen,
                    "%s: header length %u exceeds the limit of %d bytes", path,
                    header_len, npy_max_header_bytes);
    return CNNRT_ERR_FORMAT;
  }

  // The prefix read may have consumed the first header bytes (v1.0).
  if (fseek(file, (long)preamble, SEEK_SET) != 0) {
    cnnrt_set_error(err, errlen, "%s: seek error: %s", path, strerror(errno));
    return CNNRT_ERR_IO;
  }
  char *text = (char *)malloc(header_len ? header_len : 1);
  if (!text) {
    cnnrt_set_error(err, errlen, "%s: out of memory reading the header", path);
    return CNNRT_ERR_OUT_OF_MEMORY;
  }
  if (fread(text, 1, header_len, file) != header_len) {
    cnnrt_set_error(err, errlen,
                    "%s: truncated header: could not read %u bytes", path,
                    header_len);
    free(text);
    return CNNRT_ERR_FORMAT;
  }
  header_parser parser = {text, text, text + header_len, path, err, errlen};
  int status = parse_header(&parser, header);
  free(text);
  if (status != CNNRT_OK)
    return status;

  // The dtype comes first: it is the most useful thing to report, and the
  // parser stops at a structured descr before seeing the other keys.
  if (header->has_descr) {
    status = check_dtype(path, header, err, errlen);
    if (status != CNNRT_OK)
      return status;
  }
  if (!header->has_descr || !header->has_fortran_order || !header->has_shape) {
    cnnrt_set_error(err, errlen, "%s: invalid header: missing key '%s'", path,
                    !header->has_descr           ? "descr"
                    : !header->has_fortran_order ? "fortran_order"
                                                 : "shape");
    return CNNRT_ERR_FORMAT;
  }
  if (header->fortran_order) {
    cnnrt_set_error(
        err, errlen,
        "%s: fortran_order=True (column-major) data is not supported; "
        "save a C-order array (numpy.ascontiguousarray)",
        path);
    return CNNRT_ERR_UNSUPPORTED;
  }
  *data_bytes_in_file = after_preamble - (int64_t)header_len;
  return CNNRT_OK;
}

int cnnrt_npy_read(const char *path, cnnrt_tensor *out, char *err,
                   size_t errlen) {
  if (out)
    memset(out, 0, sizeof(*out));
  if (!path || !out) {
    cnnrt_set_error(err, errlen, "cnnrt_npy_read: %s is NULL",
                    !path ? "path" : "out");
    return CNNRT_ERR_INVALID_ARGUMENT;
  }

  FILE *file = fopen(path, "rb");
  if (!file) {
    cnnrt_set_error(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    return CNNRT_ERR_IO;
  }
  struct stat info;
  if (fstat(fileno(file), &info) != 0) {
    cnnrt_set_error(err, errlen, "%s: cannot stat: %s", path, strerror(errno));
    fclose(file);
    return CNNRT_ERR_IO;
  }
  // The size checks below need a real file size (fopen also accepts
  // directories on Linux).
  if (!S_ISREG(info.st_mode)) {
    cnnrt_set_error(err, errlen, "%s: not a regular file", path);
    fclose(file);
    return CNNRT_ERR_IO;
  }

  npy_header header;
  int64_t data_bytes_in_file = 0;
  int status = read_header(file, path, (int64_t)info.st_size, &header,
                           &data_bytes_in_file, err, errlen);
  if (status != CNNRT_OK) {
    fclose(file);
    return status;
  }

  // Size checks come before allocating, so a corrupt shape cannot trigger a
  // huge allocation.
  char shape_str[CNNRT_SHAPE_STR_MAX];
  cnnrt_format_shape(header.rank, header.shape, shape_str, sizeof(shape_str));
  int64_t numel = 1;
  for (int64_t i = 0; i < header.rank; ++i)
    if (header.shape[i] == 0)
      numel = 0;
  for (int64_t i = 0; i < header.rank && numel != 0; ++i) {
    if (numel > INT64_MAX / header.shape[i]) {
      cnnrt_set_error(err, errlen,
                      "%s: shape %s has too many elements (overflows 64 bits)",
                      path, shape_str);
      fclose(file);
      return CNNRT_ERR_TOO_LARGE;
    }
    numel *= header.shape[i];
  }
  if (numel > CNNRT_NPY_MAX_DATA_BYTES / (int64_t)sizeof(float)) {
    cnnrt_set_error(err, errlen,
                    "%s: shape %s has %lld elements, more than the 4 GiB data "
                    "limit",
                    path, shape_str, (long long)numel);
    fclose(file);
    return CNNRT_ERR_TOO_LARGE;
  }
  int64_t data_bytes = numel * (int64_t)sizeof(float);
  if (data_bytes_in_file < data_bytes) {
    cnnrt_set_error(err, errlen,
                    "%s: truncated data: expected %lld bytes, found %lld", path,
                    (long long)data_bytes, (long long)data_bytes_in_file);
    fclose(file);
    return CNNRT_ERR_FORMAT;
  }
  if (data_bytes_in_file > data_bytes) {
    cnnrt_set_error(
        err, errlen,
        "%s: file has %lld extra bytes after the %lld bytes of data of "
        "shape %s",
        path, (long long)(data_bytes_in_file - data_bytes),
        (long long)data_bytes, shape_str);
    fclose(file);
    return CNNRT_ERR_FORMAT;
  }

  status = cnnrt_tensor_alloc(out, header.rank, header.shape, err, errlen);
  if (status != CNNRT_OK) {
    // Put the path in front of the allocator's message.
    char detail[CNNRT_ERROR_MAX];
    snprintf(detail, sizeof(detail), "%s", err ? err : "");
    cnnrt_set_error(err, errlen, "%s: %s", path, detail);
    fclose(file);
    return status;
  }
  size_t got = fread(out->data, 1, (size_t)data_bytes, file);
  fclose(file);
  // The file may have shrunk since fstat.
  if (got != (size_t)data_bytes) {
    cnnrt_set_error(err, errlen,
                    "%s: truncated data: expected %lld bytes, found %zu", path,
                    (long long)data_bytes, got);
    cnnrt_tensor_free(out);
    return CNNRT_ERR_FORMAT;
  }
  if (!host_is_little_endian())
    byteswap_floats(out->data, (size_t)numel);
  return CNNRT_OK;
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

// Writes the data little-endian, swapping through a small buffer on
// big-endian hosts so the caller's data stays const.
static bool write_floats(FILE *file, const float *data, size_t count) {
  // data may be NULL for empty tensors, which fwrite does not allow.
  if (count == 0)
    return true;
  if (host_is_little_endian())
    return fwrite(data, sizeof(float), count, file) == count;
  float chunk[1024];
  while (count > 0) {
    size_t n = count < 1024 ? count : 1024;
    memcpy(chunk, data, n * sizeof(float));
    byteswap_floats(chunk, n);
    if (fwrite(chunk, sizeof(float), n, file) != n)
      return false;
    data += n;
    count -= n;
  }
  return true;
}

// Writes the preamble, the header and the data, then closes `file`.
// Returns 0, or the errno of the first failure (fclose included: a full
// disk is usually reported there).
static int write_npy_file(FILE *file, const unsigned char *preamble,
                          size_t preamble_len, const char *header,
                          size_t header_len, const float *data, size_t count) {
  bool written = fwrite(preamble, 1, preamble_len, file) == preamble_len &&
                 fwrite(header, 1, header_len, file) == header_len &&
                 write_floats(file, data, count);
  int write_errno = written ? 0 : (errno ? errno : EIO);
  if (fclose(file) != 0 && written)
    write_errno = errno ? errno : EIO;
  return write_errno;
}

int cnnrt_npy_write(const char *path, const float *data, int64_t rank,
                    const int64_t *shape, char *err, size_t errlen) {
  if (!path) {
    cnnrt_set_error(err, errlen, "cnnrt_npy_write: path is NULL");
    return CNNRT_ERR_INVALID_ARGUMENT;
  }
  if (rank < 0 || rank > CNNRT_MAX_RANK || (rank > 0 && !shape)) {
    cnnrt_set_error(err, errlen,
                    "%s: cannot write rank %lld (expected 0 to %d)", path,
                    (long long)rank, CNNRT_MAX_RANK);
    return CNNRT_ERR_INVALID_ARGUMENT;
  }
  char shape_str[CNNRT_SHAPE_STR_MAX];
  cnnrt_format_shape(rank, shape, shape_str, sizeof(shape_str));
  int64_t numel = 1;
  for (int64_t i = 0; i < rank; ++i) {
    if (shape[i] < 0) {
      cnnrt_set_error(err, errlen,
                      "%s: cannot write shape %s: negative dimension", path,
                      shape_str);
      return CNNRT_ERR_INVALID_ARGUMENT;
    }
    if (shape[i] == 0)
      numel = 0;
  }
  for (int64_t i = 0; i < rank && numel != 0; ++i) {
    if (numel > INT64_MAX / shape[i] ||
        (uint64_t)(numel * shape[i]) > SIZE_MAX / sizeof(float)) {
      cnnrt_set_error(err, errlen,
                      "%s: cannot write shape %s: too many elements", path,
                      shape_str);
      return CNNRT_ERR_TOO_LARGE;
    }
    numel *= shape[i];
  }
  if (numel > 0 && !data) {
    cnnrt_set_error(err, errlen, "%s: cannot write: data is NULL", path);
    return CNNRT_ERR_INVALID_ARGUMENT;
  }

  // Header: dict, space padding, '\n', so that magic + version + length +
  // header is a multiple of 64 bytes (numpy's alignment).
  char dict[CNNRT_SHAPE_STR_MAX + 64];
  int dict_len = snprintf(
      dict, sizeof(dict),
      "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }", shape_str);
  size_t unpadded = 10 + (size_t)dict_len + 1;
  size_t header_len = (size_t)dict_len + 1 + (64 - unpadded % 64) % 64;
  // Rank <= 8 keeps the header far below the 65535-byte limit of v1.0.
  unsigned char preamble[10];
  memcpy(preamble, npy_magic, sizeof(npy_magic));
  preamble[6] = 1;
  preamble[7] = 0;
  preamble[8] = (unsigned char)(header_len & 0xff);
  preamble[9] = (unsigned char)(header_len >> 8);
  char header[CNNRT_SHAPE_STR_MAX + 128];
  memcpy(header, dict, (size_t)dict_len);
  memset(header + dict_len, ' ', header_len - (size_t)dict_len - 1);
  header[header_len - 1] = '\n';

  // A device or a pipe (/dev/null, a FIFO) is written in place: renaming a
  // file over it would replace it.
  struct stat target;
  if (stat(path, &target) == 0 && !S_ISREG(target.st_mode)) {
    FILE *file = S_ISDIR(target.st_mode) ? NULL : fopen(path, "wb");
    if (!file) {
      cnnrt_set_error(err, errlen, "%s: cannot write: %s", path,
                      S_ISDIR(target.st_mode) ? "it is a directory"
                                              : strerror(errno));
      return CNNRT_ERR_IO;
    }
    int write_errno = write_npy_file(file, preamble, sizeof(preamble), header,
                                     header_len, data, (size_t)numel);
    if (write_errno) {
      cnnrt_set_error(err, errlen, "%s: cannot write: %s", path,
                      strerror(write_errno));
      return CNNRT_ERR_IO;
    }
    return CNNRT_OK;
  }

  // Same directory as the target so that rename() stays atomic.
  size_t tmp_size = strlen(path) + 32;
  char *tmp_path = (char *)malloc(tmp_size);
  if (!tmp_path) {
    cnnrt_set_error(err, errlen, "%s: out of memory", path);
    return CNNRT_ERR_OUT_OF_MEMORY;
  }
  snprintf(tmp_path, tmp_size, "%s.tmp.%ld", path, (long)getpid());

  // "x": never clobber a file we did not create.
  FILE *file = fopen(tmp_path, "wbx");
  if (!file) {
    cnnrt_set_error(err, errlen, "%s: cannot create temporary file '%s': %s",
                    path, tmp_path, strerror(errno));
    free(tmp_path);
    return CNNRT_ERR_IO;
  }
  int write_errno = write_npy_file(file, preamble, sizeof(preamble), header,
                                   header_len, data, (size_t)numel);
  if (write_errno) {
    cnnrt_set_error(err, errlen, "%s: cannot write temporary file '%s': %s",
                    path, tmp_path, strerror(write_errno));
    remove(tmp_path);
    free(tmp_path);
    return CNNRT_ERR_IO;
  }
  if (rename(tmp_path, path) != 0) {
    cnnrt_set_error(err, errlen, "%s: cannot rename '%s' to '%s': %s", path,
                    tmp_path, path, strerror(errno));
    remove(tmp_path);
    free(tmp_path);
    return CNNRT_ERR_IO;
  }
  free(tmp_path);
  return CNNRT_OK;
}

int cnnrt_npy_write_tensor(const char *path, const cnnrt_tensor *tensor,
                           char *err, size_t errlen) {
  if (!tensor) {
    cnnrt_set_error(err, errlen, "%s: cannot write: tensor is NULL",
                    path ? path : "(null)");
    return CNNRT_ERR_INVALID_ARGUMENT;
  }
  return cnnrt_npy_write(path, tensor->data, tensor->rank, tensor->shape, err,
                         errlen);
}
