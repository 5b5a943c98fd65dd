// Shapes: element counts, contiguous strides and NumPy broadcasting helpers shared by all backends.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace tn {

using Shape = std::vector<int64_t>;

// A zero dim anywhere gives 0 before any product: [9e15, 9e15, 0] passes napi's bounds (each dim and the total at
// most 9e15) and must not overflow int64 on the way (UB; found by native/fuzz).
inline int64_t numel(const Shape& s) {
  for (int64_t d : s)
    if (d == 0) return 0;
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

inline std::string shapeStr(const Shape& s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? "," : "") + std::to_string(s[i]);
  return out + "]";
}

inline Shape contiguousStrides(const Shape& s) {
  Shape st(s.size(), 1);
  for (int i = static_cast<int>(s.size()) - 2; i >= 0; --i) st[i] = st[i + 1] * s[i + 1];
  return st;
}

// Strides of `in` viewed at the rank of `out` under broadcasting: 0 where `in` has size 1 (or is missing).
inline Shape broadcastStrides(const Shape& in, const Shape& out) {
  Shape st(out.size(), 0);
  Shape inStrides = contiguousStrides(in);
  size_t offset = out.size() - in.size();
  for (size_t i = 0; i < in.size(); ++i) st[offset + i] = in[i] == 1 ? 0 : inStrides[i];
  return st;
}

// True when `in` broadcasts to `out` (every dim equal or 1, aligned at the right).
inline bool broadcastsTo(const Shape& in, const Shape& out) {
  if (in.size() > out.size()) return false;
  size_t offset = out.size() - in.size();
  for (size_t i = 0; i < in.size(); ++i)
    if (in[i] != 1 && in[i] != out[offset + i]) return false;
  return true;
}

}  // namespace tn
