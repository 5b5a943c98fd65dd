// Conversions from JS values to native types (devices, shapes, attrs), each failing with a clear error.
#pragma once
#include <napi.h>

#include "../core/attrs.h"
#include "../core/device.h"
#include "../core/shape.h"

namespace tn {

Device parseDevice(Napi::Env env, const Napi::Value& value);
Shape parseShape(Napi::Env env, const Napi::Value& value, const std::string& what);
// The same check without an error: false when `value` is not a valid shape (parseShape then says why).
bool tryParseShape(const Napi::Value& value, Shape& out);
Attrs parseAttrs(Napi::Env env, const Napi::Value& value, const std::string& op);

}  // namespace tn
