// glibc malloc settings for training: tensors of up to 32 MiB come from the heap and freed
// memory stays in the process, instead of every activation being a fresh mmap that the kernel
// zero-fills page by page (measured: 14% of a BERT-base CPU step went to page faults and
// clear_page). PLM_TORCH_MALLOC_TUNING=0 keeps glibc's defaults.
#pragma once

namespace plm {

// Applies the settings once per process; returns whether they are in effect.
bool tuneMallocForTraining();

}  // namespace plm
