// Attrs: the typed, already-converted options of one op call (read by kernels on any thread).
#pragma once
#include <cstdint>
#include <utility>
#include <string>
#include <vector>

#include "status.h"

namespace tn {

struct AttrValue {
  enum class Kind { Number, Numbers, String } kind = Kind::Number;
  double number = 0;
  std::vector<double> numbers;
  std::string text;
};

class Attrs {
 public:
  void set(const std::string& name, AttrValue v);
  bool has(const std::string& name) const { return find(name) != nullptr; }

  Status getNumber(const std::string& name, double& out) const;
  Status getInt(const std::string& name, int64_t& out) const;
  Status getInts(const std::string& name, std::vector<int64_t>& out) const;
  Status getString(const std::string& name, std::string& out) const;
  // Optional variants: leave `out` untouched when absent.
  Status getNumberOr(const std::string& name, double& out) const { return has(name) ? getNumber(name, out) : Status::ok(); }
  Status getIntOr(const std::string& name, int64_t& out) const { return has(name) ? getInt(name, out) : Status::ok(); }

 private:
  const AttrValue* find(const std::string& name) const;
  // A handful per op: a flat list searched linearly is cheaper to build (once per call) and to read than a map.
  std::vector<std::pair<std::string, AttrValue>> values_;
};

}  // namespace tn
