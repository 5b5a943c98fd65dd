// TN_HD marks small inline functions shared by the CPU backend and CUDA kernels.
#pragma once
#if defined(__CUDACC__)
#define TN_HD __host__ __device__ __forceinline__
#else
#define TN_HD inline
#endif
