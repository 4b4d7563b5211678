//===- internal.h - Helpers shared by the runtime's sources -------*- C -*-===//
//
// Part of the cnnc project. Not installed: internal to libcnnrt.
//
//===----------------------------------------------------------------------===//

#ifndef CNNRT_INTERNAL_H
#define CNNRT_INTERNAL_H

#include <stddef.h>

/// Formats a one-line message into `err` (if non-NULL); control characters
/// from paths or file contents are replaced so the message stays one line.
void cnnrt_set_error(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif // CNNRT_INTERNAL_H
