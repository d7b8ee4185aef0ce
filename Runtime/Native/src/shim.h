// The C ABI between libtorch and the managed runtime. Tensors cross it as
// opaque handles (heap-allocated at::Tensor). Every entry point catches C++
// exceptions and records the message in a thread-local last error: functions
// that return a handle return null on failure, the others return -1.
#pragma once
#include <ATen/ATen.h>
#include <cstdint>
#include <string>

#define DSL_API extern "C" __attribute__((visibility("default")))

using Handle = at::Tensor*;

void dsl_set_error(const std::string& message);
void dsl_clear_error();

inline at::Tensor& T(Handle h) { return *h; }
inline Handle wrap(at::Tensor t) { return new at::Tensor(std::move(t)); }
inline c10::optional<at::Tensor> opt(Handle h) {
  return h ? c10::optional<at::Tensor>(*h) : c10::nullopt;
}
inline at::IntArrayRef ints(const int64_t* values, int count) { return at::IntArrayRef(values, count); }
inline std::vector<at::Tensor> handles(Handle* tensors, int count) {
  std::vector<at::Tensor> list;
  list.reserve(count);
  for (int i = 0; i < count; ++i) list.push_back(*tensors[i]);
  return list;
}
inline at::Device device_of(int type, int index) {
  return at::Device(static_cast<c10::DeviceType>(type), static_cast<c10::DeviceIndex>(index));
}

#define DSL_GUARD(fail, ...)                                        \
  try {                                                             \
    dsl_clear_error();                                              \
    __VA_ARGS__                                                     \
  } catch (const c10::Error& e) {                                   \
    dsl_set_error(e.what_without_backtrace());                      \
    return fail;                                                    \
  } catch (const std::exception& e) {                               \
    dsl_set_error(e.what());                                        \
    return fail;                                                    \
  } catch (...) {                                                   \
    dsl_set_error("unknown native error");                          \
    return fail;                                                    \
  }

// Wraps an expression that yields an at::Tensor.
#define DSL_TENSOR(...) DSL_GUARD(nullptr, return wrap(__VA_ARGS__);)
// Wraps statements; success returns 0.
#define DSL_STATUS(...) DSL_GUARD(-1, __VA_ARGS__ return 0;)
