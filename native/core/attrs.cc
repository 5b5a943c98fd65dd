// Typed accessors for Attrs, with errors that name the attribute.
#include "attrs.h"

#include <cmath>

namespace tn {

Status Attrs::getNumber(const std::string& name, double& out) const {
  auto it = values_.find(name);
  TN_CHECK(it != values_.end(), Value, "missing attribute '", name, "'");
  TN_CHECK(it->second.kind == AttrValue::Kind::Number, Value, "attribute '", name, "' must be a number");
  out = it->second.number;
  return Status::ok();
}

Status Attrs::getInt(const std::string& name, int64_t& out) const {
  double v = 0;
  TN_RETURN_IF_ERROR(getNumber(name, v));
  TN_CHECK(std::isfinite(v) && std::floor(v) == v && std::fabs(v) < 9.0e15, Value, "attribute '", name,
           "' must be an integer, got ", v);
  out = static_cast<int64_t>(v);
  return Status::ok();
}

Status Attrs::getInts(const std::string& name, std::vector<int64_t>& out) const {
  auto it = values_.find(name);
  TN_CHECK(it != values_.end(), Value, "missing attribute '", name, "'");
  TN_CHECK(it->second.kind == AttrValue::Kind::Numbers, Value, "attribute '", name, "' must be a list of integers");
  out.clear();
  for (double v : it->second.numbers) {
    TN_CHECK(std::isfinite(v) && std::floor(v) == v && std::fabs(v) < 9.0e15, Value, "attribute '", name,
             "' must hold integers, got ", v);
    out.push_back(static_cast<int64_t>(v));
  }
  return Status::ok();
}

Status Attrs::getString(const std::string& name, std::string& out) const {
  auto it = values_.find(name);
  TN_CHECK(it != values_.end(), Value, "missing attribute '", name, "'");
  TN_CHECK(it->second.kind == AttrValue::Kind::String, Value, "attribute '", name, "' must be a string");
  out = it->second.text;
  return Status::ok();
}

}  // namespace tn
