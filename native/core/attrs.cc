// Typed accessors for Attrs, with errors that name the attribute.
#include "attrs.h"

#include <cmath>

namespace tn {

void Attrs::set(const std::string& name, AttrValue v) {
  for (auto& entry : values_) {
    if (entry.first == name) {
      entry.second = std::move(v);
      return;
    }
  }
  values_.emplace_back(name, std::move(v));
}

const AttrValue* Attrs::find(const std::string& name) const {
  for (const auto& entry : values_)
    if (entry.first == name) return &entry.second;
  return nullptr;
}

Status Attrs::getNumber(const std::string& name, double& out) const {
  const AttrValue* it = find(name);
  TN_CHECK(it, Value, "missing attribute '", name, "'");
  TN_CHECK(it->kind == AttrValue::Kind::Number, Value, "attribute '", name, "' must be a number");
  out = it->number;
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
  const AttrValue* it = find(name);
  TN_CHECK(it, Value, "missing attribute '", name, "'");
  TN_CHECK(it->kind == AttrValue::Kind::Numbers, Value, "attribute '", name, "' must be a list of integers");
  out.clear();
  for (double v : it->numbers) {
    TN_CHECK(std::isfinite(v) && std::floor(v) == v && std::fabs(v) < 9.0e15, Value, "attribute '", name,
             "' must hold integers, got ", v);
    out.push_back(static_cast<int64_t>(v));
  }
  return Status::ok();
}

Status Attrs::getString(const std::string& name, std::string& out) const {
  const AttrValue* it = find(name);
  TN_CHECK(it, Value, "missing attribute '", name, "'");
  TN_CHECK(it->kind == AttrValue::Kind::String, Value, "attribute '", name, "' must be a string");
  out = it->text;
  return Status::ok();
}

}  // namespace tn
