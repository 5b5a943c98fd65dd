// Status: how native code reports failure (never exit/abort/print); napi/ turns it into a typed JS error.
#pragma once
#include <sstream>
#include <string>
#include <utility>

namespace tn {

// Each kind maps to one JS error class (lib/errors.ts).
enum class ErrorKind { Ok, Shape, DType, Device, Value, OutOfMemory, Disposed, Backend, Internal };

inline const char* errorKindName(ErrorKind k) {
  switch (k) {
    case ErrorKind::Ok: return "Ok";
    case ErrorKind::Shape: return "ShapeError";
    case ErrorKind::DType: return "DTypeError";
    case ErrorKind::Device: return "DeviceError";
    case ErrorKind::Value: return "ValueError";
    case ErrorKind::OutOfMemory: return "OutOfMemoryError";
    case ErrorKind::Disposed: return "DisposedError";
    case ErrorKind::Backend: return "BackendError";
    default: return "InternalError";
  }
}

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorKind kind, std::string message) : kind_(kind), message_(std::move(message)) {}
  static Status ok() { return Status(); }
  bool isOk() const { return kind_ == ErrorKind::Ok; }
  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }

 private:
  ErrorKind kind_ = ErrorKind::Ok;
  std::string message_;
};

// Builds a message from any streamable pieces: makeError(ErrorKind::Shape, "matmul: ", a, " vs ", b).
template <typename... Parts>
Status makeError(ErrorKind kind, const Parts&... parts) {
  std::ostringstream os;
  (os << ... << parts);
  return Status(kind, os.str());
}

}  // namespace tn

#define TN_RETURN_IF_ERROR(expr)            \
  do {                                      \
    ::tn::Status tn_status_ = (expr);       \
    if (!tn_status_.isOk()) return tn_status_; \
  } while (0)

// Checks a condition inside a kernel; on failure returns an error of the given kind.
#define TN_CHECK(cond, kind, ...)                                   \
  do {                                                              \
    if (!(cond)) return ::tn::makeError(::tn::ErrorKind::kind, __VA_ARGS__); \
  } while (0)
