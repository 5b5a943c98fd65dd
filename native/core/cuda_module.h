// The interface between the core addon and the separately built CUDA module (tensornode_cuda.so), which the core
// dlopen()s at run time: one C entry point, checked against an ABI stamp of the structs both sides share.
#pragma once
#include <cstdint>

#include "backend.h"

namespace tn {

// Bump kCudaModuleVersion when the meaning of the interface changes; the sizes catch a module built from other headers.
constexpr uint64_t kCudaModuleVersion = 1;
constexpr uint64_t kCudaModuleAbi = (kCudaModuleVersion << 48) | (uint64_t{sizeof(KernelContext)} << 32) |
                                    (uint64_t{sizeof(CudaHooks)} << 16) | uint64_t{sizeof(TensorArg)};

// The core's kernel registration, handed to the module so its CUDA kernels land in the core's table.
using RegisterKernelFn = bool (*)(DeviceType type, const char* name, KernelFn fn);

// Exported by the module as `tn_cuda_module_init`: when `abi` equals the module's kCudaModuleAbi it registers the
// CUDA kernels through `registerKernel`, fills `hooks` and returns 0; otherwise it returns its own ABI stamp.
using CudaModuleInitFn = uint64_t (*)(uint64_t abi, CudaHooks* hooks, RegisterKernelFn registerKernel);
constexpr const char* kCudaModuleInitSymbol = "tn_cuda_module_init";
// File name of the module, looked up next to the addon (TENSORNODE_CUDA_MODULE overrides the path).
constexpr const char* kCudaModuleFile = "tensornode_cuda.so";

}  // namespace tn
