#pragma once
// The weights a model keeps for compute live in memory of their own, not in the file mapping.
// Page-cache pages are 4 KB where our own large buffers get 2 MB pages (quant/buffer.cpp), and
// decode streams every weight once per token: on this project's VM, FP32 decode from a mapped
// safetensors file ran 19-29% slower than from our own memory, and int8 weight-only from a
// saved folder 13-83% slower than the same weights quantized in memory (alternating runs). The
// FP32 baseline of a real model would have been the handicapped one, inflating every speedup.
#include <cstddef>

#include "common/mapped_file.h"
#include "quant/buffer.h"

namespace qs {

// Bytes [offset, offset + bytes) of the mapped file, read into an owned buffer; whatever of
// that range was mapped in is dropped, so the file and the copy do not both count in RSS.
// Throws Failure naming the file when it cannot be read.
Buffer resident_copy(const MappedFile& file, size_t offset, size_t bytes);

}  // namespace qs
