// Element types a tensor can hold, and their sizes.
#pragma once
#include <cstddef>
#include <cstdint>

namespace tn {

enum class DType : int32_t { Float32 = 0, Int32 = 1 };

inline size_t dtypeSize(DType) { return 4; }  // both supported dtypes are 32-bit
inline const char* dtypeName(DType d) { return d == DType::Float32 ? "float32" : "int32"; }
inline bool dtypeFromCode(int32_t code, DType& out) {
  if (code == 0) { out = DType::Float32; return true; }
  if (code == 1) { out = DType::Int32; return true; }
  return false;
}

}  // namespace tn
