// Conversions from JS values to native types (devices, shapes, attrs), each failing with a clear error.
#pragma once
#include <napi.h>

#include "../core/attrs.h"
#include "../core/device.h"
#include "../core/shape.h"

namespace tn {

Device parseDevice(Napi::Env env, const Napi::Value& value);
Shape parseShape(Napi::Env env, const Napi::Value& value, const std::string& what);
Attrs parseAttrs(Napi::Env env, const Napi::Value& value, const std::string& op);

}  // namespace tn
