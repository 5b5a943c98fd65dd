// Element types a tensor can hold, and their sizes.
#pragma once
#include <cstddef>
#include <cstdint>

namespace tn {

// Bool is stored as a 32-bit 0/1 (int32 layout), so every layout kernel (copy, transpose, slice, gather, ...) moves it
// unchanged; only the JS layer shows it as booleans (Uint8Array values, as tfjs does).
enum class DType : int32_t { Float32 = 0, Int32 = 1, Bool = 2 };

inline size_t dtypeSize(DType) { return 4; }  // every supported dtype is 32-bit
inline const char* dtypeName(DType d) {
  return d == DType::Float32 ? "float32" : d == DType::Int32 ? "int32" : "bool";
}
inline bool dtypeFromCode(int32_t code, DType& out) {
  if (code < 0 || code > 2) return false;
  out = static_cast<DType>(code);
  return true;
}
// True for the dtypes whose storage is int32 (int32 and bool).
inline bool isIntStorage(DType d) { return d != DType::Float32; }

}  // namespace tn
