#pragma once
// glibc hands every allocation above 128 KB to mmap and returns it to the kernel on free, so a
// forward pass that allocates its activations, attention scores and BLAS outputs afresh pays a
// page fault per 4 KB on every layer (measured: over 40% of a stories260K perplexity run).
// Raising the mmap and trim thresholds lets freed blocks be reused instead. Idempotent.
namespace qs {

void tune_allocator();

}  // namespace qs
