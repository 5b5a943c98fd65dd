// Every cuDNN call of the addon (kept in this one file so a move to the cuDNN graph API stays local).
#include <cudnn.h>

#include "cuda_backend.h"

namespace tn {
namespace cuda {

size_t cudnnRuntimeVersion() { return cudnnGetVersion(); }

Status cudnnCheckRuntime() {
  size_t version = cudnnGetVersion();
  size_t major = version / 10000;
  TN_CHECK(major == CUDNN_MAJOR, Device, "the loaded cuDNN is version ", version, " but tensornode was built against cuDNN ",
           CUDNN_MAJOR, ".", CUDNN_MINOR, " (major versions must match)");
  return Status::ok();
}

}  // namespace cuda
}  // namespace tn
