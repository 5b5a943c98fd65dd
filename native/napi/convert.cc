// JS -> native conversions used by every entry point; bad values become ValueError/DeviceError, never UB.
#include "convert.h"

#include <cmath>

#include "errors.h"

namespace tn {

Device parseDevice(Napi::Env env, const Napi::Value& value) {
  if (!value.IsString()) throw toJsError(env, makeError(ErrorKind::Device, "device must be a string"));
  std::string s = value.As<Napi::String>().Utf8Value();
  if (s == "cpu") return Device{DeviceType::CPU, 0};
  if (s.rfind("cuda:", 0) == 0 && s.size() > 5 && s.size() < 9) {
    int index = 0;
    for (size_t i = 5; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') throw toJsError(env, makeError(ErrorKind::Device, "unknown device '", s, "'"));
      index = index * 10 + (s[i] - '0');
    }
    return Device{DeviceType::CUDA, index};
  }
  throw toJsError(env, makeError(ErrorKind::Device, "unknown device '", s, "' (expected 'cpu' or 'cuda:N')"));
}

namespace {

// Reads a shape into `out`; returns null, or what is wrong with it.
const char* readShape(const Napi::Value& value, Shape& out) {
  if (!value.IsArray()) return "shape must be an array";
  Napi::Array arr = value.As<Napi::Array>();
  uint32_t rank = arr.Length();
  out.resize(rank);
  double total = 1;
  for (uint32_t i = 0; i < rank; ++i) {
    Napi::Value v = arr.Get(i);
    double d = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : -1;
    if (!(d >= 0) || std::floor(d) != d || d > 9.0e15) return "shape entries must be non-negative integers";
    out[i] = static_cast<int64_t>(d);
    total *= d;
  }
  return total <= 9.0e15 ? nullptr : "shape is too large";
}

}  // namespace

Shape parseShape(Napi::Env env, const Napi::Value& value, const std::string& what) {
  Shape shape;
  if (const char* problem = readShape(value, shape)) throw toJsError(env, makeError(ErrorKind::Shape, what, ": ", problem));
  return shape;
}

namespace {

// One attribute value: a number, a boolean (as 0/1), a string or an array of numbers.
AttrValue attrValue(Napi::Env env, const Napi::Value& v, const std::string& op, const std::string& key) {
  AttrValue a;
  if (v.IsNumber()) {
    a.kind = AttrValue::Kind::Number;
    a.number = v.As<Napi::Number>().DoubleValue();
  } else if (v.IsBoolean()) {
    a.kind = AttrValue::Kind::Number;
    a.number = v.As<Napi::Boolean>().Value() ? 1 : 0;
  } else if (v.IsString()) {
    a.kind = AttrValue::Kind::String;
    a.text = v.As<Napi::String>().Utf8Value();
  } else if (v.IsArray()) {
    a.kind = AttrValue::Kind::Numbers;
    Napi::Array arr = v.As<Napi::Array>();
    uint32_t n = arr.Length();
    a.numbers.resize(n);
    for (uint32_t j = 0; j < n; ++j) {
      Napi::Value e = arr.Get(j);
      if (!e.IsNumber()) throw toJsError(env, makeError(ErrorKind::Value, op, ": attribute '", key, "' must hold numbers"));
      a.numbers[j] = e.As<Napi::Number>().DoubleValue();
    }
  } else {
    throw toJsError(env, makeError(ErrorKind::Value, op, ": attribute '", key, "' has an unsupported type"));
  }
  return a;
}

}  // namespace

Attrs parseAttrs(Napi::Env env, const Napi::Value& value, const std::string& op) {
  Attrs attrs;
  if (value.IsUndefined() || value.IsNull()) return attrs;
  // The flat form [name, value, name, value, ...] (what lib/native.ts sends): read by index, no key enumeration.
  if (value.IsArray()) {
    Napi::Array flat = value.As<Napi::Array>();
    uint32_t n = flat.Length();
    if (n % 2 != 0) throw toJsError(env, makeError(ErrorKind::Value, op, ": attrs must be [name, value, ...] pairs"));
    for (uint32_t i = 0; i < n; i += 2) {
      Napi::Value keyValue = flat.Get(i);
      if (!keyValue.IsString()) throw toJsError(env, makeError(ErrorKind::Value, op, ": attribute names must be strings"));
      Napi::Value v = flat.Get(i + 1);
      if (v.IsUndefined()) continue;
      std::string key = keyValue.As<Napi::String>().Utf8Value();
      attrs.set(key, attrValue(env, v, op, key));
    }
    return attrs;
  }
  if (!value.IsObject()) throw toJsError(env, makeError(ErrorKind::Value, op, ": attrs must be an object"));
  Napi::Object obj = value.As<Napi::Object>();
  Napi::Array keys = obj.GetPropertyNames();
  uint32_t nKeys = keys.Length();
  for (uint32_t i = 0; i < nKeys; ++i) {
    Napi::Value keyValue = keys.Get(i);
    Napi::Value v = obj.Get(keyValue);  // by the key's own JS string: no new string per lookup
    if (v.IsUndefined()) continue;
    std::string key = keyValue.As<Napi::String>().Utf8Value();
    attrs.set(key, attrValue(env, v, op, key));
  }
  return attrs;
}

}  // namespace tn
